import type { CodeAction, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { CodeActionKind, MarkupKind } from 'vscode-languageserver/node';
import type { Problem } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import { rangeHolds } from '../model/positions';
import { imageName, parseImageReference } from '../model/imageRef';
import { PinTarget, rewriteFor, wantsVersion } from '../pin/rewrite';
import { pinTargetOf } from '../pin/pinDocument';
import { describeFailure } from '../pin/resolve';
import type { RegistryService } from './registryService';
import { workspaceEdit } from './convert';
import { CLIENT_COMMANDS } from './protocol';

/** `CodeAction.data` of a pin action the client resolves lazily (see `resolvePinAction`). */
export interface PinActionData {
  kind: 'driftguard.pin';
  uri: string;
  version: number;
  target: PinTarget;
  /** Listed after a failed lookup: forget that failure and ask the registry again when picked. */
  retry?: true;
}

function genericTitle(target: PinTarget): string {
  if (wantsVersion(target.strategy)) {
    const tag = parseImageReference(target.reference.split('@')[0]!)?.tag ?? 'latest';
    return `Pin to the exact version and digest of ${tag} (asks the registry)`;
  }
  return target.strategy === 'refresh'
    ? 'Update the pinned digest (asks the registry)'
    : 'Pin to digest (asks the registry)';
}

/**
 * Pin quick fixes for a problem. A cached lookup gives the final title and edit at once; otherwise the
 * action carries `data` and its edit is computed in `codeAction/resolve`: listing actions never
 * waits on the network and never sends anything. Failures show as disabled actions with the reason.
 */
export function pinCodeActions(
  problem: Problem,
  diagnostic: Diagnostic,
  uri: string,
  version: number,
  registry: RegistryService,
  documentChanges: boolean,
): CodeAction[] {
  const target = pinTargetOf(problem);
  if (!target) return [];
  const base = { kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  const unavailable = registry.unavailableReason();
  if (unavailable) return [{ ...base, title: genericTitle(target), disabled: { reason: unavailable } }];
  const cached = registry.cachedFacts(target);
  if (cached && 'facts' in cached) {
    const rewrite = rewriteFor(target, cached.facts);
    if ('reason' in rewrite) return [{ ...base, title: genericTitle(target), disabled: { reason: rewrite.reason } }];
    return [
      {
        ...base,
        title: rewrite.title,
        isPreferred: true,
        edit: workspaceEdit(uri, version, [{ range: rewrite.range, newText: rewrite.newText }], documentChanges),
      },
    ];
  }
  const failed = cached?.error ?? registry.registryDown(target.reference);
  if (failed) {
    // Not a disabled action: VS Code hides those, and the pin would vanish from the menu after one
    // failed lookup. The action says what happened, and picking it asks the registry again.
    const retry: PinActionData = { kind: 'driftguard.pin', uri, version, target, retry: true };
    return [{ ...base, title: `${genericTitle(target)} — try again (last lookup failed: ${failed})`, data: retry }];
  }
  if (!target.editTarget) {
    const rewrite = rewriteFor(target, { digest: '' });
    if ('reason' in rewrite) return [{ ...base, title: genericTitle(target), disabled: { reason: rewrite.reason } }];
  }
  // Listing sends nothing (editors list actions whenever the cursor rests on a line): the lookup
  // runs when the action is picked (`codeAction/resolve`), and its answer then gives exact titles.
  const data: PinActionData = { kind: 'driftguard.pin', uri, version, target };
  return [{ ...base, title: genericTitle(target), isPreferred: true, data }];
}

export function isPinActionData(data: unknown): data is PinActionData {
  return !!data && (data as PinActionData).kind === 'driftguard.pin';
}

/** Fills in the edit of a lazily listed pin action, or disables it with the registry's reason. */
export async function resolvePinAction(
  action: CodeAction,
  registry: RegistryService,
  documentChanges: boolean,
  signal?: AbortSignal,
): Promise<CodeAction> {
  const data = action.data as PinActionData;
  if (data.retry) registry.forgetFailures();
  try {
    const facts = await registry.pinFacts(data.target, signal);
    const rewrite = rewriteFor(data.target, facts);
    if ('reason' in rewrite) return { ...action, disabled: { reason: rewrite.reason } };
    return {
      ...action,
      edit: workspaceEdit(
        data.uri,
        data.version,
        [{ range: rewrite.range, newText: rewrite.newText }],
        documentChanges,
      ),
    };
  } catch (error) {
    return { ...action, disabled: { reason: describeFailure(error) } };
  }
}

/** Hover on an image reference: what the registry says about it now. */
export async function imageHover(
  model: DocumentModel,
  position: Position,
  registry: RegistryService,
  signal?: AbortSignal,
  lookUpAgainLink = false,
): Promise<Hover | null> {
  const ref = model.imageReferences().find((r) => rangeHolds(r.range, position));
  if (!ref) return null;
  const lines = [`**${ref.resolved}**${ref.viaVariable ? ` (written \`${ref.written}\`)` : ''}`];
  const unavailable = registry.unavailableReason();
  if (unavailable) {
    lines.push('', `_${unavailable}_`);
  } else {
    try {
      const info = await registry.inspect(ref.resolved, signal);
      lines.push('', `| | |`, `|---|---|`, `| digest | \`${info.digest}\` |`);
      if (info.platformDigest) lines.push(`| platform digest | \`${info.platformDigest}\` |`);
      if (info.platforms.length) lines.push(`| platforms | ${info.platforms.join(', ')} |`);
      const others = info.tagsSharingDigest.filter((t) => t !== ref.image.tag);
      if (others.length)
        lines.push(`| same image as | ${others.map((t) => `\`${imageName(ref.image)}:${t}\``).join(', ')} |`);
      if (info.created) lines.push(`| created | ${info.created} |`);
      if (ref.image.digest && ref.image.digest !== info.digest && ref.image.digest !== info.platformDigest)
        lines.push('', `The pinned digest \`${ref.image.digest.slice(0, 19)}…\` is not what this resolves to now.`);
    } catch (error) {
      // A failure seen a moment ago is shown as it is (no request); the link forgets it.
      const again = lookUpAgainLink ? ` [Look up again](command:${CLIENT_COMMANDS.lookUpAgain})` : '';
      lines.push('', `_registry lookup failed: ${describeFailure(error)}_${again}`);
    }
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: ref.range };
}
