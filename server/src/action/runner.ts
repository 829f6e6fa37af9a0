import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * What a JavaScript action exchanges with the GitHub Actions runner: inputs in `INPUT_<NAME>`
 * environment variables, outputs and the job summary appended to the files named by
 * `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`, annotations as `::error::` lines on standard output.
 */
export interface RunnerEnv {
  [name: string]: string | undefined;
}

/** An input as the runner passes it: `INPUT_` + the name in upper case, spaces as `_` (dashes stay). */
export function input(env: RunnerEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Appends `name` to the step's outputs; multi-line safe (a random heredoc delimiter). No file: no-op. */
export function setOutput(env: RunnerEnv, name: string, value: string): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  fs.appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** Appends Markdown to the job summary. No file (not on a runner): no-op. */
export function appendSummary(env: RunnerEnv, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) fs.appendFileSync(file, markdown);
}

/** A workflow command's message with the characters the runner would read as syntax escaped. */
export function errorCommand(message: string): string {
  return `::error::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
}
