import type { Problem, Range, TextEdit } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import type { ActionUseSite } from '../model/actionUses';
import type { ResolvedRef } from '../actions/refResolution';
import type { ActionRefService } from '../actions/refService';
import { pinUsesEdits, pinUsesTitle } from './usesRewrite';
import { describeFailure } from './resolve';
import { hostFixesOf } from '../rules';

/** Whether the rule's findings take the action pin host fix. */
export function isActionPinRule(ruleId: string): boolean {
  return hostFixesOf(ruleId).actionPin === true;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The `uses:` a finding of an action rule is about. */
export function actionSiteOf(
  model: DocumentModel,
  problem: Pick<Problem, 'ruleId' | 'range'>,
): ActionUseSite | undefined {
  if (!isActionPinRule(problem.ruleId)) return undefined;
  return model.actionUses().find((site) => sameRange(site.refRange, problem.range));
}

/** The pin of one `uses:`: its title and edits, or why it cannot be made. */
export type ActionPin = { title: string; edits: TextEdit[]; resolved: ResolvedRef } | { reason: string };

/** Turns a lookup's answer into the pin of `site` (no network). */
export function actionPinFor(
  model: DocumentModel,
  site: ActionUseSite,
  resolution: ResolvedRef | { reason: string },
): ActionPin {
  if ('reason' in resolution) return { reason: `${site.uses.repository}: ${resolution.reason}` };
  if (!site.site)
    return { reason: 'the `uses:` value is not written as plain text (escapes or a block scalar): pin it by hand' };
  return {
    title: pinUsesTitle(resolution),
    edits: pinUsesEdits(model.source, site.site, resolution),
    resolved: resolution,
  };
}

/** Resolves and pins one site; network failures become a reason. */
export async function resolveActionPin(
  model: DocumentModel,
  site: ActionUseSite,
  service: ActionRefService,
  signal?: AbortSignal,
): Promise<ActionPin> {
  try {
    return actionPinFor(model, site, await service.resolve(site.uses.repository, site.uses.ref, signal));
  } catch (error) {
    return { reason: describeFailure(error) };
  }
}
