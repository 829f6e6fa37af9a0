import type { CodeAction, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { CodeActionKind, MarkupKind } from 'vscode-languageserver/node';
import type { Problem } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import { rangeHolds } from '../model/positions';
import { parseImageReference } from '../model/imageRef';
import { distributionFromTag } from '../packages/distro';
import { packageTargets, PackageTarget, ScriptRunner, targetAt } from '../pin/packageTargets';
import type { PackagePin } from '../pin/packagePins';
import type { PackageService } from './packageService';
import { workspaceEdit } from './convert';
import { hostFixesOf } from '../rules';

/** `CodeAction.data` of a package pin resolved lazily: the targets travel with it (plain data). */
export interface PackagePinActionData {
  kind: 'driftguard.pinPackages';
  uri: string;
  version: number;
  targets: PackageTarget[];
}

export function isPackagePinActionData(data: unknown): data is PackagePinActionData {
  return !!data && (data as PackagePinActionData).kind === 'driftguard.pinPackages';
}

/**
 * Quick fixes of a `package-unpinned` finding: pin this package, and pin every unpinned package
 * of the same RUN. Listing never waits on the network: a version resolved earlier gives the
 * exact title and edit; otherwise the action is resolved when picked (`codeAction/resolve`).
 */
export function packageCodeActions(
  problem: Problem,
  diagnostic: Diagnostic,
  model: DocumentModel,
  uri: string,
  version: number,
  packages: PackageService,
  documentChanges: boolean,
  runner?: ScriptRunner,
): CodeAction[] {
  if (!hostFixesOf(problem.ruleId).packagePin) return [];
  const all = packageTargets(model, runner);
  const target = targetAt(all, problem.range);
  if (!target) return [];
  const base = { kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  const unavailable = packages.unavailableReason();
  const actions: CodeAction[] = [];
  const single = `Pin ${target.written} to the version ${manager(target)} would install today`;
  if (target.blocked) actions.push({ ...base, title: single, disabled: { reason: target.blocked } });
  else if (unavailable) actions.push({ ...base, title: single, disabled: { reason: unavailable } });
  else {
    const cached = packages.cached(target);
    if (cached?.edit && cached.title)
      actions.push({
        ...base,
        title: cached.title,
        isPreferred: true,
        edit: workspaceEdit(uri, version, [cached.edit], documentChanges),
      });
    else
      actions.push({
        ...base,
        title: single,
        isPreferred: true,
        data: { kind: 'driftguard.pinPackages', uri, version, targets: [target] } satisfies PackagePinActionData,
      });
  }
  const siblings = all.filter((t) => t.instruction.line === target.instruction.line && !t.blocked);
  if (siblings.length > 1 && !unavailable)
    actions.push({
      ...base,
      title: `Pin all ${siblings.length} packages in this ${target.instruction.keyword}`,
      data: { kind: 'driftguard.pinPackages', uri, version, targets: siblings } satisfies PackagePinActionData,
    });
  return actions;
}

function manager(target: PackageTarget): string {
  return { apt: 'apt', apk: 'apk', pip: 'pip', npm: 'npm', gem: 'gem' }[target.family as string] ?? target.family;
}

/** Fills in the edit of a package pin action, or disables it with the reasons. */
export async function resolvePackagePinAction(
  action: CodeAction,
  packages: PackageService,
  documentChanges: boolean,
  signal?: AbortSignal,
): Promise<CodeAction> {
  const data = action.data as PackagePinActionData;
  const pins = await packages.resolve(data.targets, signal);
  const edits = pins.flatMap((p) => (p.edit ? [p.edit] : []));
  const left = pins.filter((p) => !p.edit);
  if (edits.length === 0) return { ...action, disabled: { reason: reasons(left) } };
  const resolved: CodeAction = { ...action, edit: workspaceEdit(data.uri, data.version, edits, documentChanges) };
  if (pins.length === 1 && pins[0]!.title) resolved.title = pins[0]!.title;
  return resolved;
}

function reasons(pins: readonly PackagePin[]): string {
  const unique = [...new Set(pins.map((p) => `${p.target.written}: ${p.reason ?? 'not resolved'}`))];
  return unique.length === 1 ? unique[0]!.replace(/^[^:]+: /, '') : unique.join('; ');
}

/**
 * Where a stage's packages come from when its tag does not name the release: the offer to pin the
 * base image's digest, so the release the versions were read from stays the one built on.
 */
export function baseOfTarget(model: DocumentModel, range: Problem['range']): PackageTarget['base'] | undefined {
  const target = targetAt(packageTargets(model), range);
  const base = target?.base;
  if (!base) return undefined;
  const image = parseImageReference(base.reference);
  return image && !image.digest && !distributionFromTag(image) ? base : undefined;
}

/** Hover on an unpinned package: the version its manager would install today and where it was read. */
export async function packageHover(
  model: DocumentModel,
  position: Position,
  packages: PackageService,
  signal?: AbortSignal,
  runner?: ScriptRunner,
): Promise<Hover | null> {
  const target = packageTargets(model, runner).find((t) => rangeHolds(t.range, position));
  if (!target) return null;
  const lines = [`**${target.written}** (${manager(target)}, unpinned)`];
  const unavailable = packages.unavailableReason();
  if (target.blocked) lines.push('', `Not pinned automatically: ${target.blocked}.`);
  else if (unavailable) lines.push('', `_${unavailable}_`);
  else {
    const [pin] = packages.cached(target) ? [packages.cached(target)!] : await packages.resolve([target], signal);
    if (pin?.edit && pin.version) {
      lines.push('', `Today: \`${target.written}${pin.edit.newText}\` — from ${pin.source}.`);
      if (target.base)
        lines.push(
          '',
          `Base image: \`${target.base.reference}\`${target.base.platform ? ` (${target.base.platform})` : ''}.`,
        );
      if (pin.drift) lines.push('', `_${pin.drift}._`);
    } else lines.push('', `_No version: ${pin?.reason ?? 'not resolved'}._`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: target.range };
}
