#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, UsageError, USAGE, userSettingsOf } from './args';
import { scan } from './scan';
import { formatText } from './formatters/text';
import { formatJson } from './formatters/json';
import { formatSarif } from './formatters/sarif';
import { packageVersion } from '../version';
import { createEngine } from '../createEngine';
import { prepareHostRuntime } from '../hostRuntime';
import { pinCommand } from './pin';
import { IS_SCAN_WORKER } from './scanWorker';
import { failsOn } from './failOn';
import { writeAll as write } from './output';
import { wantsColor } from './color';
import { printable } from './terminalText';
import { writeThrough } from '../workspace/replaceFile';

// The bundle's exports: the GitHub Action's entry (action/index.js) starts runAction.
export { runAction } from '../action/run';

/** Runs the CLI; resolves to the exit code. Output is written with backpressure, never truncated. */
export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`driftguard: ${printable(error.message)}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === 'help') {
    await write(process.stdout, USAGE + '\n');
    return 0;
  }
  if (args.command === 'version') {
    await write(process.stdout, packageVersion() + '\n');
    return 0;
  }
  const missing = args.paths.filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    process.stderr.write(`driftguard: no such file or folder: ${printable(missing.join(', '))}\n`);
    return 2;
  }
  if (args.config && !fs.existsSync(args.config)) {
    process.stderr.write(`driftguard: config file not found: ${printable(args.config)}\n`);
    return 2;
  }
  const engine = await createEngine();
  const cwd = process.cwd();
  if (args.command === 'pin') return pinCommand(engine, args, (text) => write(process.stdout, text), cwd);
  const outcome = await scan(engine, {
    user: userSettingsOf(args),
    log: (message) => process.stderr.write(`driftguard: ${printable(message)}\n`),
    paths: args.paths,
    ...(args.config ? { configPath: args.config } : {}),
    ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}),
  });
  const toStdout = !args.output;
  const report =
    args.format === 'json'
      ? formatJson(outcome, cwd)
      : args.format === 'sarif'
        ? formatSarif(outcome, cwd, packageVersion())
        : formatText(outcome, cwd, { color: toStdout && wantsColor(args.color, process.env, process.stdout) });
  if (args.output) {
    const written = await writeThrough(args.output, report);
    if (!written.written) {
      process.stderr.write(`driftguard: report not written to ${printable(args.output)}: ${written.reason}\n`);
      return 2;
    }
  } else {
    await write(process.stdout, report);
  }
  for (const file of outcome.files)
    for (const e of file.internalErrors) process.stderr.write(`driftguard: internal error: ${printable(e)}\n`);
  if (outcome.configProblems.length > 0) {
    // The text report on standard output already lists them: print each config problem once.
    const listed = args.format === 'text' && toStdout;
    if (!listed)
      for (const p of outcome.configProblems)
        process.stderr.write(
          `driftguard: config error: ${printable(path.relative(cwd, p.path))}:${p.line + 1}:${p.character + 1}: ` +
            `${printable(p.message)}\n`,
        );
    return 2;
  }
  return failsOn(outcome, args.failOn) ? 1 : 0;
}

// Not in a scan worker: the bundle is also the workers' script (see scanWorker.ts).
if (require.main === module && !IS_SCAN_WORKER) {
  // Compiler flags and library patches, measured: see hostRuntime.ts and v8Flags.ts.
  prepareHostRuntime();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`driftguard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
