import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'driftguard.driftguard';

/** Timings measured by the tests, reported in the suite summary. */
export const activation: {
  activationMs?: number;
  /** CPU time of the extension host thread inside activate(): what the 50 ms budget is checked against. */
  activationCpuMs?: number;
  codeLoadMs?: number;
  apiActivateMs?: number;
  firstDiagnosticsMs?: number;
} = {};

/** The workspace folder the harness opened (a temp copy of test/fixtures/editor-workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension tests need a workspace folder (test/fixtures/editor-workspace)');
  return folder.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** The rule ids the engine registers, read from the compiled server next to these tests. */
export function registeredRules(): Map<string, { fixable: boolean }> {
  // out/test/editor/suite -> out/server/src/rules
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RULES } = require(path.join(__dirname, '..', '..', '..', 'server', 'src', 'rules', 'index.js')) as {
    RULES: ReadonlyArray<{ meta: { id: string; fixable: boolean } }>;
  };
  return new Map(RULES.map((r) => [r.meta.id, { fixable: r.meta.fixable }]));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'driftguard');
}

/** `rule@l:c-l:c severity` for readable assertion messages. */
export function describeDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return (
    `${codeOf(d)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ` +
    `${vscode.DiagnosticSeverity[d.severity]}`
  );
}

export function describeAll(ds: readonly vscode.Diagnostic[]): string {
  return `[${ds.map(describeDiagnostic).sort().join(', ')}]`;
}

/**
 * Polls `probe` until it returns something other than undefined/false, then returns that. The
 * workbench and the server answer asynchronously; a fixed sleep would either flake or waste time.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20000,
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${describe ? `; last state: ${describe()}` : ''}`,
      );
    await new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => {
        sub.dispose();
        clearTimeout(t);
        resolve();
      });
      const t = setTimeout(() => {
        sub.dispose();
        resolve();
      }, 50);
    });
  }
}

/** Waits until the diagnostics of `uri` satisfy `accept`, and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} in ${path.basename(uri.fsPath)}`,
    () => {
      const ds = ours(uri);
      return accept(ds) ? ds : undefined;
    },
    timeoutMs,
    () => describeAll(ours(uri)),
  );
}

/** Diagnostics with exactly these `rule@l:c-l:c Severity` descriptions (order-free). */
export function exactly(expected: string[]): (ds: vscode.Diagnostic[]) => boolean {
  const want = [...expected].sort().join(', ');
  return (ds) => ds.map(describeDiagnostic).sort().join(', ') === want;
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Polls `vscode.executeCodeActionProvider` (the workbench trails the extension host) until `accept` finds an action.
 */
export async function waitForCodeAction(
  uri: vscode.Uri,
  range: vscode.Range,
  accept: (a: vscode.CodeAction) => boolean,
  kind?: string,
): Promise<vscode.CodeAction> {
  let last: string[] = [];
  return waitFor(
    `a code action at ${range.start.line}:${range.start.character} in ${path.basename(uri.fsPath)}`,
    async () => {
      const actions =
        (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
          'vscode.executeCodeActionProvider',
          uri,
          range,
          kind,
        )) ?? [];
      const codeActions = actions.filter(
        (a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'),
      );
      last = codeActions.map((a) => a.title);
      return codeActions.find(accept);
    },
    20000,
    () => `offered: ${JSON.stringify(last)}`,
  );
}

/** Writes `text` to the workspace file `rel` (through VS Code's file system) and returns its URI. */
export async function write(rel: string, text: string): Promise<vscode.Uri> {
  const uri = fileUri(rel);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  return uri;
}

export function isCodeAction(a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction {
  return !('command' in a && typeof a.command === 'string');
}

/**
 * Quick fixes at `range` with the first `resolveCount` of them resolved (`itemResolveCount`, the 4th
 * argument): a network-backed pin is listed without its edit and gets it from `codeAction/resolve`.
 */
export async function quickFixes(
  uri: vscode.Uri,
  range: vscode.Range,
  resolveCount?: number,
): Promise<vscode.CodeAction[]> {
  const args: unknown[] = [uri, range, vscode.CodeActionKind.QuickFix.value];
  if (resolveCount !== undefined) args.push(resolveCount);
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    ...args,
  );
  return (actions ?? []).filter(isCodeAction);
}
