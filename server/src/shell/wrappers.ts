import type { OptionSpec } from './options';
import { firstOperand } from './options';
import type { ShellWord } from './words';
import { commandName } from './words';

interface WrapperSpec extends OptionSpec {
  /** `VAR=value` words may follow the options (sudo, env). */
  assignments?: boolean;
  /** Operands consumed before the wrapped command (`timeout 10 cmd`). */
  operands?: number;
}

/** Programs that run their operands as a command; seen through so `sudo apt-get` is `apt-get`. */
const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    shortValued: 'ugCDhprtUT',
    longValued: [
      '--user',
      '--group',
      '--prompt',
      '--chdir',
      '--close-from',
      '--role',
      '--type',
      '--other-user',
      '--host',
    ],
    assignments: true,
  },
  doas: { shortValued: 'uC' },
  env: { shortValued: 'uCS', longValued: ['--unset', '--chdir', '--split-string'], assignments: true },
  nice: { shortValued: 'n', longValued: ['--adjustment'] },
  ionice: { shortValued: 'cnp' },
  time: { shortValued: 'fo', longValued: ['--format', '--output'] },
  nohup: {},
  chronic: {},
  unbuffer: {},
  setsid: {},
  busybox: {},
  command: {},
  builtin: {},
  exec: { shortValued: 'a' },
  xargs: {
    shortValued: 'IPnLdsaE',
    longValued: [
      '--arg-file',
      '--delimiter',
      '--max-args',
      '--max-procs',
      '--max-lines',
      '--max-chars',
      '--eof',
      '--replace',
    ],
  },
  timeout: { shortValued: 'sk', longValued: ['--signal', '--kill-after'], operands: 1 },
  stdbuf: { shortValued: 'ioe', longValued: ['--input', '--output', '--error'] },
  // Init processes and privilege droppers that start a container's command (`tini -g -- cmd`,
  // `gosu user cmd`, `s6-setuidgid user cmd`): the command is what runs.
  tini: { shortValued: 'ep' },
  'tini-static': { shortValued: 'ep' },
  'dumb-init': { shortValued: 'r', longValued: ['--rewrite'] },
  catatonit: {},
  gosu: { operands: 1 },
  'su-exec': { operands: 1 },
  's6-setuidgid': { operands: 1 },
  's6-envuidgid': { operands: 1 },
  's6-applyuidgid': { shortValued: 'ugGU' },
  's6-envdir': { shortValued: 'c', operands: 1 },
  'with-contenv': {},
  chpst: { shortValued: 'uUbe/nlLmdopfc' },
  runuser: { shortValued: 'ugG', longValued: ['--user', '--group', '--supp-group'] },
  setpriv: {
    longValued: ['--reuid', '--regid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits'],
  },
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** `$STD apt-get …`: a lone variable in command position that prefixes a real command (quiet/verbose helpers). */
const PREFIX_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

/** Removes wrapper programs in front of a command; argv may end up empty (`sudo -i`). */
export function stripWrappers(words: readonly ShellWord[]): { argv: ShellWord[]; wrappers: string[] } {
  let argv = [...words];
  const wrappers: string[] = [];
  for (let guard = 0; guard < 8 && argv.length > 0; guard++) {
    const first = argv[0]!;
    if (!first.literal && PREFIX_VARIABLE.test(first.value) && argv.length > 1 && argv[1]!.literal) {
      wrappers.push(first.value);
      argv = argv.slice(1);
      continue;
    }
    const name = commandName(first);
    const spec = name !== undefined ? WRAPPERS[name] : undefined;
    if (!spec || name === undefined) break;
    if (name === 'command' && argv.slice(1).some((w) => w.value === '-v' || w.value === '-V')) break;
    // `runuser -l user -c cmd` runs a login shell like su: its `-c` script is read as su's is.
    if (name === 'runuser' && argv.slice(1).some((w) => w.value === '-c' || w.value === '--command')) break;
    let i = firstOperand(argv, 1, spec);
    if (spec.assignments) while (i < argv.length && argv[i]!.literal && ASSIGNMENT.test(argv[i]!.value)) i++;
    i += spec.operands ?? 0;
    wrappers.push(name);
    argv = argv.slice(i);
  }
  return { argv, wrappers };
}
