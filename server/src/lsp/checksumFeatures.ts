import { CodeAction, CodeActionKind, Diagnostic, Position } from 'vscode-languageserver/node';
import type { Problem } from '../engine/types';
import { CHECKSUM_DEADLINE_MS, sha256OfUrl } from '../pin/checksum';
import { hostFixesOf } from '../rules';
import type { RegistryService } from './registryService';
import { workspaceEdit } from './convert';

/** `CodeAction.data` of an "Add --checksum" action, resolved by downloading the URL. */
export interface ChecksumActionData {
  kind: 'driftguard.checksum';
  uri: string;
  version: number;
  url: string;
  at: Position;
}

export function isChecksumActionData(data: unknown): data is ChecksumActionData {
  return !!data && (data as ChecksumActionData).kind === 'driftguard.checksum';
}

/**
 * "Add --checksum" for findings whose rule declares the `checksum` host fix (`remote-add-unverified`
 * on a single-source `ADD <url>`): listed at once, the
 * download happens only when the user picks it (trusted workspace, network allowed).
 */
export function checksumCodeActions(
  problem: Problem,
  diagnostic: Diagnostic,
  uri: string,
  version: number,
  registry: RegistryService,
): CodeAction[] {
  const hostData = problem.hostData;
  if (!hostFixesOf(problem.ruleId).checksum || typeof hostData?.url !== 'string' || !hostData.checksumAt) return [];
  const title = 'Add --checksum (downloads the file to compute it)';
  const unavailable = registry.unavailableReason();
  const base = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  if (unavailable)
    return [{ ...base, disabled: { reason: unavailable.replace('registry lookups are', 'downloads are') } }];
  const data: ChecksumActionData = {
    kind: 'driftguard.checksum',
    uri,
    version,
    url: hostData.url,
    at: hostData.checksumAt as Position,
  };
  return [{ ...base, data }];
}

export async function resolveChecksumAction(
  action: CodeAction,
  registry: RegistryService,
  documentChanges: boolean,
  signal?: AbortSignal,
): Promise<CodeAction> {
  const data = action.data as ChecksumActionData;
  try {
    const settings = registry.currentSettings();
    const checksum = await sha256OfUrl(data.url, {
      deadlineMs: Math.max(CHECKSUM_DEADLINE_MS, 12 * (settings?.timeoutMs ?? 0)),
      insecure: settings?.insecure ?? [],
      ...(settings?.caFile ? { caFile: settings.caFile } : {}),
      ...(settings?.proxy ? { proxy: settings.proxy } : {}),
      ...(signal ? { signal } : {}),
    });
    return {
      ...action,
      edit: workspaceEdit(
        data.uri,
        data.version,
        [{ range: { start: data.at, end: data.at }, newText: ` --checksum=${checksum}` }],
        documentChanges,
      ),
    };
  } catch (error) {
    return {
      ...action,
      disabled: { reason: `download failed: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}
