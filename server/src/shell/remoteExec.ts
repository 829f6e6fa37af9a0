import type { Range } from '../engine/types';
import type { ShellAnalysis, ShellCommand } from './types';
import type { ShellWord } from './words';
import { commandName } from './words';
import { shellInvocation, SHELLS } from './programs';
import { firstOperand, hasOption, optionValue } from './options';

/** Downloaded content handed to an interpreter without being checked. */
export interface RemoteExecution {
  /**
   * `pipe`: `curl … | sh`; `process`: `bash <(curl …)`;
   * `substitution`: `sh -c "$(curl …)"`, `eval "$(curl …)"`.
   */
  form: 'pipe' | 'process' | 'substitution';
  download: ShellCommand;
  runner: ShellCommand;
  /** The downloading and executing words (the pipeline, or the runner command). */
  range: Range;
  /** For `process`: the `<(…)` word. */
  substitutionWord?: ShellWord;
}

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
const INTERPRETER = /^(?:python[\d.]*|perl|ruby|node|php[\d.]*)$/;

/** A downloader whose content goes to standard output (curl without -o/-O, wget -O -). */
export function isStdoutDownload(command: ShellCommand): boolean {
  const name = commandName(command.argv[0]);
  if (name === 'curl') return !hasOption(command.argv, ['-o', '-O', '--output', '--remote-name', '--remote-name-all']);
  if (name === 'wget') {
    const argv = command.argv;
    for (let i = 1; i < argv.length; i++) {
      const value = argv[i]!.value;
      const long = /^--output-document(?:=(.*))?$/.exec(value);
      const short = /^-[a-zA-Z]*O(.*)$/.exec(value);
      const match = long ?? short;
      if (!match) continue;
      const target = match[1] ? match[1] : argv[i + 1]?.value;
      return target === '-' || target === '/dev/stdout';
    }
    return false;
  }
  return (
    name === 'fetch' &&
    ['-', '/dev/stdout'].includes(String((optionValue(command.argv, ['-o']) as ShellWord | undefined)?.value ?? ''))
  );
}

/** An interpreter that runs code from its standard input (`sh`, `bash -s --`, `python3 -`). */
export function readsStdin(command: ShellCommand): boolean {
  const argv = command.argv;
  const name = commandName(argv[0]);
  if (name === undefined) return false;
  if (SHELLS.has(name)) return shellInvocation(argv)?.kind === 'stdin';
  if (!INTERPRETER.test(name)) return false;
  if (hasOption(argv, ['-c', '-m', '-e', '-E', '-r', '-p', '--eval', '--print'])) return false;
  const operand = argv[firstOperand(argv, 1, { shortValued: 'WX' })];
  return operand === undefined || operand.value === '-';
}

function downloadIn(word: ShellWord): ShellCommand | undefined {
  return word.substitutions.find((c) => DOWNLOADERS.has(commandName(c.argv[0]) ?? '') && isStdoutDownload(c));
}

/** Every unverified execution of downloaded content in an analysis. */
export function remoteExecutions(analysis: ShellAnalysis): RemoteExecution[] {
  const found: RemoteExecution[] = [];
  for (const runner of analysis.commands) {
    const name = commandName(runner.argv[0]);
    if (name === undefined) continue;
    if (runner.pipeline) {
      const index = runner.pipeline.indexOf(runner);
      const download = runner.pipeline
        .slice(0, index)
        .find((c) => DOWNLOADERS.has(commandName(c.argv[0]) ?? '') && isStdoutDownload(c));
      if (download && readsStdin(runner)) {
        found.push({ form: 'pipe', download, runner, range: { start: download.range.start, end: runner.range.end } });
        continue;
      }
    }
    const runsFiles = SHELLS.has(name) || INTERPRETER.test(name) || name === '.' || name === 'source';
    if (runsFiles) {
      const word = runner.argv.slice(1).find((w) => w.type === 'process_substitution');
      const download = word && downloadIn(word);
      if (word && download) {
        found.push({ form: 'process', download, runner, range: runner.range, substitutionWord: word });
        continue;
      }
    }
    const shell = shellInvocation(runner.argv);
    const script =
      shell?.kind === 'command'
        ? shell.script
        : name === 'eval'
          ? runner.argv[1]
          : INTERPRETER.test(name)
            ? optionValue(runner.argv, ['-c', '-e'])
            : undefined;
    const download = script && typeof script !== 'string' ? downloadIn(script) : undefined;
    if (download) found.push({ form: 'substitution', download, runner, range: runner.range });
  }
  return found;
}
