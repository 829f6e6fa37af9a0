import type { CodeAction, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { CodeActionKind, MarkupKind } from 'vscode-languageserver/node';
import type { Problem } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import type { ActionUseSite } from '../model/actionUses';
import { rangeHolds } from '../model/positions';
import { resolveRef, tagCommit, tagsOn } from '../actions/refResolution';
import { actionPinFor, actionSiteOf, isActionPinRule, resolveActionPin } from '../pin/actionPins';
import { describeResolution, isVersionComment } from '../pin/usesRewrite';
import { describeFailure } from '../pin/resolve';
import type { ActionLookups } from './actionLookups';
import { workspaceEdit } from './convert';
import { CLIENT_COMMANDS } from './protocol';

/** `CodeAction.data` of an action pin resolved lazily (see `resolveActionPinAction`). */
export interface ActionPinData {
  kind: 'driftguard.actionPin';
  uri: string;
  version: number;
  ruleId: string;
  range: Problem['range'];
  /** Listed after a failed lookup: forget that failure and ask the git server again when picked. */
  retry?: true;
}

export function isActionPinData(data: unknown): data is ActionPinData {
  return !!data && (data as ActionPinData).kind === 'driftguard.actionPin';
}

function genericTitle(lookups: ActionLookups): string {
  const host = lookups.host();
  return host ? `Pin to a commit SHA (asks ${host})` : 'Pin to a commit SHA';
}

/**
 * The pin quick fix of an action finding. A cached listing gives the exact title and edit at once
 * (*Pin to 8e5e7e5 (v4.1.7)*); otherwise the action carries `data` and nothing is sent until it is
 * picked (`codeAction/resolve`). Failures show as disabled actions with the reason.
 */
export function actionPinCodeActions(
  problem: Problem,
  diagnostic: Diagnostic,
  model: DocumentModel,
  uri: string,
  version: number,
  lookups: ActionLookups,
  documentChanges: boolean,
): CodeAction[] {
  if (!isActionPinRule(problem.ruleId)) return [];
  const site = actionSiteOf(model, problem);
  if (!site) return [];
  const base = { kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  const unavailable = lookups.unavailableReason();
  const refs = lookups.refs();
  if (unavailable || !refs)
    return [{ ...base, title: genericTitle(lookups), disabled: { reason: unavailable ?? 'action lookups are off' } }];
  const data: ActionPinData = {
    kind: 'driftguard.actionPin',
    uri,
    version,
    ruleId: problem.ruleId,
    range: problem.range,
  };
  const cached = refs.cached(site.uses.repository, site.uses.ref);
  // Not a disabled action after a failed lookup: VS Code hides those, and the pin would vanish from the
  // menu. The action says what happened, and picking it asks the git server again (as image pins do).
  if (cached && 'error' in cached)
    return [
      {
        ...base,
        title: `${genericTitle(lookups)} — try again (last lookup failed: ${cached.error})`,
        data: { ...data, retry: true },
      },
    ];
  if (cached) {
    const pin = actionPinFor(model, site, cached);
    if ('reason' in pin) return [{ ...base, title: genericTitle(lookups), disabled: { reason: pin.reason } }];
    return [
      { ...base, title: pin.title, isPreferred: true, edit: workspaceEdit(uri, version, pin.edits, documentChanges) },
    ];
  }
  return [{ ...base, title: genericTitle(lookups), isPreferred: true, data }];
}

/**
 * Fills in the edit (and the exact title) of a picked action pin, or disables it with the reason.
 * `model` is the document as last linted, when that is still the version the action was listed for.
 */
export async function resolveActionPinAction(
  action: CodeAction,
  model: DocumentModel | undefined,
  lookups: ActionLookups,
  documentChanges: boolean,
  signal?: AbortSignal,
): Promise<CodeAction> {
  const data = action.data as ActionPinData;
  const refs = lookups.refs();
  const unavailable = lookups.unavailableReason();
  if (unavailable || !refs) return { ...action, disabled: { reason: unavailable ?? 'action lookups are off' } };
  const site = model && actionSiteOf(model, data);
  if (!model || !site) return { ...action, disabled: { reason: 'the document changed since the fix was listed' } };
  if (data.retry) lookups.forgetFailures();
  const pin = await resolveActionPin(model, site, refs, signal);
  if ('reason' in pin) return { ...action, disabled: { reason: pin.reason } };
  return { ...action, title: pin.title, edit: workspaceEdit(data.uri, data.version, pin.edits, documentChanges) };
}

/**
 * Hover on a `uses:` value: the commit the ref runs, what the ref is (branch, tag, both), the tags on
 * that commit; on a pinned SHA, its tags and whether the version comment still names it.
 */
export async function actionHover(
  model: DocumentModel,
  position: Position,
  lookups: ActionLookups,
  signal?: AbortSignal,
  lookUpAgainLink = false,
): Promise<Hover | null> {
  const site = model.actionUses().find((s) => rangeHolds(s.range, position));
  if (!site) return null;
  const lines = [`**${site.uses.repository}${site.uses.path ? `/${site.uses.path}` : ''}@${site.uses.ref}**`];
  const refs = lookups.refs();
  const unavailable = lookups.unavailableReason();
  if (unavailable || !refs) lines.push('', `_${unavailable ?? 'action lookups are off'}_`);
  else {
    try {
      lines.push('', ...describeSite(site, await refs.listing(site.uses.repository, signal)));
    } catch (error) {
      // A failure seen a moment ago is shown as it is (no request); the link forgets it.
      const again = lookUpAgainLink ? ` [Look up again](command:${CLIENT_COMMANDS.lookUpAgain})` : '';
      lines.push('', `_lookup failed: ${describeFailure(error)}_${again}`);
    }
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: site.range };
}

function describeSite(site: ActionUseSite, listing: Parameters<typeof resolveRef>[0]): string[] {
  const { ref, refClass } = site.uses;
  if (refClass === 'sha') {
    const tags = tagsOn(listing, ref);
    const lines = [
      '| | |',
      '|---|---|',
      `| commit | \`${ref}\` |`,
      `| tags on it | ${codeList(tags) || 'none (no branch or tag points at it)'} |`,
    ];
    const comment = site.site?.comment?.text;
    const named = comment && isVersionComment(comment) ? commentVersion(comment) : undefined;
    if (named) {
      const at = tagCommit(listing, named);
      lines.push(
        '',
        at === ref
          ? `The comment \`${named}\` matches: tag ${named} points at this commit.`
          : at
            ? `The comment says \`${named}\`, but tag ${named} points at \`${at.slice(0, 7)}\` now.`
            : `The comment says \`${named}\`, but the repository has no tag ${named}.`,
      );
    }
    return lines;
  }
  const resolution = resolveRef(listing, ref);
  if ('reason' in resolution) return [`_${resolution.reason}_`];
  const kind = resolution.ambiguous
    ? `both a branch and a tag — GitHub runs the branch (tag at \`${resolution.ambiguous.tagCommit.slice(0, 7)}\`)`
    : resolution.kind === 'branch'
      ? refClass === 'version'
        ? 'a branch, not a tag: it moves with every push'
        : 'a branch: it moves with every push'
      : resolution.kind;
  return [
    '| | |',
    '|---|---|',
    `| runs commit | \`${resolution.commit}\` |`,
    `| \`${ref}\` is | ${kind} |`,
    `| tags on the commit | ${codeList(resolution.tags) || 'none'} |`,
    '',
    `Pinning writes \`@${resolution.commit.slice(0, 7)}…\` with the comment \`# ${resolution.comment}\` ` +
      `(${describeResolution(resolution)}).`,
  ];
}

/** The version a version comment names: `# v4.1.7`, `# tag=v4`, `# ratchet:actions/checkout@v4`, `# pin @v4`. */
function commentVersion(comment: string): string | undefined {
  const body = comment.replace(/^#\s*/, '').trim();
  const at = body.lastIndexOf('@');
  const version = at >= 0 ? body.slice(at + 1) : body.replace(/^tag=/, '');
  return version.trim() || undefined;
}

/** `a`, `b` as inline code, comma-separated; empty for no items. */
function codeList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}
