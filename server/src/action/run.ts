import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../createEngine';
import { prepareHostRuntime } from '../hostRuntime';
import { FAIL_ON_VALUES, failsOn, isFailOn } from '../cli/failOn';
import { formatSarif } from '../cli/formatters/sarif';
import { formatText } from '../cli/formatters/text';
import { writeAll, writeFileAtomic } from '../cli/output';
import { scan } from '../cli/scan';
import { packageVersion } from '../version';
import { appendSummary, errorCommand, input, RunnerEnv, setOutput } from './runner';
import { jobSummary } from './summary';

/**
 * The GitHub Action (action.yml): scans `paths`, prints the text report to the log, writes SARIF
 * to `sarif-file` for `github/codeql-action/upload-sarif`, sets the outputs `sarif-file` and
 * `findings`, writes the job summary, and exits 1 when a finding is at or above `fail-on`, 2 on
 * a bad input or configuration (the SARIF file is written first either way, for the upload).
 * The defaults below are action.yml's, for a run outside the runner.
 */
export async function runAction(env: RunnerEnv = process.env, cwd = process.cwd()): Promise<number> {
  // The action is a host of its own: compiler flags and library patches, measured (hostRuntime.ts,
  // v8Flags.ts).
  prepareHostRuntime();
  const code = await run(env, cwd).catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(errorCommand(`DriftGuard failed: ${message}`));
    return 2;
  });
  process.exitCode = code;
  return code;
}

async function run(env: RunnerEnv, cwd: string): Promise<number> {
  const paths = input(env, 'paths').split(/\s+/).filter(Boolean);
  if (paths.length === 0) paths.push('.');
  const failOn = input(env, 'fail-on') || 'warning';
  const config = input(env, 'config');
  const sarifFile = input(env, 'sarif-file') || 'driftguard.sarif';
  const usage = [
    isFailOn(failOn) ? '' : `fail-on must be ${FAIL_ON_VALUES.join(', ')} (got ${failOn})`,
    ...paths.filter((p) => !fs.existsSync(path.resolve(cwd, p))).map((p) => `no such file or folder: ${p}`),
    config && !fs.existsSync(path.resolve(cwd, config)) ? `config file not found: ${config}` : '',
  ].filter(Boolean);
  if (usage.length > 0 || !isFailOn(failOn)) {
    for (const message of usage) process.stdout.write(errorCommand(`DriftGuard: ${message}`));
    return 2;
  }
  const engine = await createEngine();
  const outcome = await scan(engine, {
    paths: paths.map((p) => path.resolve(cwd, p)),
    ...(config ? { configPath: path.resolve(cwd, config) } : {}),
  });
  await writeAll(process.stdout, formatText(outcome, cwd));
  const sarifPath = path.resolve(cwd, sarifFile);
  fs.mkdirSync(path.dirname(sarifPath), { recursive: true });
  await writeFileAtomic(sarifPath, formatSarif(outcome, cwd, packageVersion()));
  const findings = outcome.files.reduce((n, f) => n + f.problems.length, 0);
  setOutput(env, 'sarif-file', sarifFile);
  setOutput(env, 'findings', String(findings));
  const configFailed = outcome.configProblems.length > 0;
  const failed = configFailed || failsOn(outcome, failOn);
  appendSummary(
    env,
    jobSummary(outcome, {
      cwd,
      sarifFile,
      failOn,
      failed,
      ...(env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA
        ? { blobBase: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/` }
        : {}),
    }),
  );
  if (configFailed) {
    for (const p of outcome.configProblems)
      process.stdout.write(
        errorCommand(
          `DriftGuard: config error: ${path.relative(cwd, p.path)}:${p.line + 1}:${p.character + 1}: ${p.message}`,
        ),
      );
    return 2;
  }
  if (!failed) return 0;
  process.stdout.write(errorCommand(`DriftGuard: findings at or above ${failOn} (fail-on); the report is above.`));
  return 1;
}
