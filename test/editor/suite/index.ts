import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { activation } from './util';

/** One test as the runner reports it. */
export interface EditorTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms: number;
  error?: string;
}

/** What `run()` writes to `$DRIFTGUARD_EDITOR_RESULT` for test/runAll.js. */
export interface EditorSuiteSummary {
  passed: number;
  failed: number;
  pending: number;
  tests: EditorTestResult[];
  /** The extension's activate(), call to resolution. */
  activationMs?: number;
  /** CPU time of the host thread inside activate(). */
  activationCpuMs?: number;
  codeLoadMs?: number;
  apiActivateMs?: number;
  firstDiagnosticsMs?: number;
  vscodeVersion: string;
  appName: string;
}

/**
 * Entry point the extension host calls (`--extensionTestsPath`): runs every `*.test.js` next to this
 * file with mocha, in file-name order, in one host (the tests share the editor and the server).
 * When `DRIFTGUARD_EDITOR_RESULT` is set, a JSON summary is written there; the promise rejects
 * when a test failed, so the host exits non-zero as well.
 */
export function run(): Promise<void> {
  return runSuite(__dirname);
}

/** Runs every `*.test.js` of `dir` as `run()` does (other suites' entry points call it with their folder). */
export async function runSuite(dir: string): Promise<void> {
  const vscode = await import('vscode');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${dir}`);
  for (const f of files) mocha.addFile(path.join(dir, f));
  await mocha.loadFilesAsync();

  const tests: EditorTestResult[] = [];
  const started = new Map<unknown, number>();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('test', (t) => started.set(t, Date.now()));
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) =>
      tests.push({
        title: t.fullTitle(),
        state: 'failed',
        ms: Date.now() - (started.get(t) ?? Date.now()),
        error: err && (err.message || String(err)),
      }),
    );
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending', ms: 0 }));
  });

  const summary: EditorSuiteSummary = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
    ...activation,
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
  };
  const out = process.env.DRIFTGUARD_EDITOR_RESULT;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  }
  console.log(
    `[editor-suite] ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} pending (VS Code ` +
      `${summary.vscodeVersion}, ${summary.appName})`,
  );
  if (failures > 0 || summary.pending > 0)
    throw new Error(`${failures} extension test(s) failed, ${summary.pending} pending`);
}
