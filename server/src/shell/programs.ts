import type { ShellWord } from './words';
import { commandName } from './words';
import { firstOperand } from './options';

/** Shells whose `-c` argument, script file or standard input is shell code. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh']);

/** How a shell invocation gets its code. */
export type ShellInvocation =
  { kind: 'command'; script: ShellWord } | { kind: 'file'; file: ShellWord } | { kind: 'stdin' };

/** For `sh|bash|… [opts] (-c script | file | <stdin>)`; undefined when argv is not a shell. */
export function shellInvocation(argv: readonly ShellWord[]): ShellInvocation | undefined {
  const name = commandName(argv[0]);
  if (name === undefined || !SHELLS.has(name)) return undefined;
  let command = false;
  let stdin = false;
  let i = 1;
  while (i < argv.length) {
    const word = argv[i]!;
    const value = word.value;
    if (!word.literal) break;
    if (value === '--' || value === '-') {
      i++;
      stdin ||= value === '-';
      break;
    }
    if (!/^[-+]/.test(value) || value.length < 2) break;
    if (value.startsWith('--')) {
      i += value === '--rcfile' || value === '--init-file' ? 2 : 1;
      continue;
    }
    const letters = value.slice(1);
    if (letters.includes('c')) command = true;
    if (letters.includes('s')) stdin = true;
    i += /[oO]$/.test(letters) ? 2 : 1;
  }
  if (command) return argv[i] ? { kind: 'command', script: argv[i]! } : undefined;
  if (stdin || i >= argv.length) return { kind: 'stdin' };
  return { kind: 'file', file: argv[i]! };
}

/**
 * `eval word…`: the words, joined by spaces, run as shell code. Undefined when a word holds a
 * command substitution (`eval "$(ssh-agent -s)"`): that code is another program's output, and the
 * substituted command is already seen where it is written.
 */
export function evalPayload(argv: readonly ShellWord[]): ShellWord[] | undefined {
  if (commandName(argv[0]) !== 'eval' || argv.length < 2) return undefined;
  const payload = argv.slice(1);
  return payload.some((word) => /\$\(|`/.test(word.value)) ? undefined : payload;
}

const SSH_VALUED = 'BbcDEeFIiJLlmOopQRSWw';

/** `ssh [opts] host [command…]`: the host word and the remote command words. */
export function sshRemote(argv: readonly ShellWord[]): { host: ShellWord; remote: ShellWord[] } | undefined {
  if (commandName(argv[0]) !== 'ssh') return undefined;
  const i = firstOperand(argv, 1, { shortValued: SSH_VALUED });
  const host = argv[i];
  return host ? { host, remote: argv.slice(i + 1) } : undefined;
}

const DOCKER_FAMILY = new Set(['docker', 'podman', 'nerdctl']);

/**
 * Whether shell text may run a docker-like CLI (`dockerSubcommand` finds none otherwise), checked
 * before a script is analysed for such commands: a literal command word is the text as written, so
 * the program's name is in it, unless written split by quotes or escapes (`do"ck"er`), which the
 * text checks beside this one (`build`, `--rm`) miss as well. A command word known only from a
 * sourced file's variables (`$DOCKER`) is not in the text: callers whose model has sourced variables
 * do not ask.
 */
export function namesDockerProgram(text: string): boolean {
  for (const name of DOCKER_FAMILY) if (text.includes(name)) return true;
  return false;
}
const COMPOSE_PROGRAMS = new Set(['docker-compose', 'podman-compose']);
const DOCKER_GLOBAL = {
  shortValued: 'Hcl',
  longValued: [
    '--host',
    '--context',
    '--config',
    '--log-level',
    '--tlscacert',
    '--tlscert',
    '--tlskey',
    '--url',
    '--connection',
    '--root',
    '--runroot',
    '--namespace',
    '--address',
  ],
};
const COMPOSE_GLOBAL = {
  shortValued: 'fp',
  longValued: [
    '--file',
    '--project-name',
    '--env-file',
    '--profile',
    '--project-directory',
    '--ansi',
    '--progress',
    '--parallel',
  ],
};

/**
 * The subcommand of a docker-like CLI with its index: `docker [global opts] container run` →
 * `{ name: 'run', index }`; `docker compose exec` and `docker-compose exec` → `{ name: 'compose exec', index }`.
 */
export function dockerSubcommand(
  argv: readonly ShellWord[],
): { program: string; name: string; index: number } | undefined {
  const program = commandName(argv[0]);
  if (program === undefined) return undefined;
  let i: number;
  let prefix = '';
  if (COMPOSE_PROGRAMS.has(program)) {
    i = firstOperand(argv, 1, COMPOSE_GLOBAL);
    prefix = 'compose ';
  } else if (DOCKER_FAMILY.has(program)) {
    i = firstOperand(argv, 1, DOCKER_GLOBAL);
    const first = argv[i];
    if (first?.literal && (first.value === 'container' || first.value === 'image')) i++;
    else if (first?.literal && first.value === 'compose') {
      i = firstOperand(argv, i + 1, COMPOSE_GLOBAL);
      prefix = 'compose ';
    }
  } else return undefined;
  const word = argv[i];
  if (!word || !word.literal) return undefined;
  return { program, name: prefix + word.value, index: i };
}

/** `docker exec [opts] ctr cmd…`, `docker compose exec [opts] svc cmd…`: the command words run inside. */
export function dockerExecPayload(argv: readonly ShellWord[]): ShellWord[] | undefined {
  const sub = dockerSubcommand(argv);
  if (!sub || (sub.name !== 'exec' && sub.name !== 'compose exec')) return undefined;
  const spec =
    sub.name === 'exec'
      ? { shortValued: 'euw', longValued: ['--env', '--env-file', '--user', '--workdir', '--detach-keys'] }
      : { shortValued: 'euw', longValued: ['--env', '--user', '--workdir', '--index'] };
  const target = firstOperand(argv, sub.index + 1, spec);
  return target < argv.length ? argv.slice(target + 1) : undefined;
}

const KUBECTL_GLOBAL = {
  shortValued: 'ns',
  longValued: [
    '--namespace',
    '--context',
    '--kubeconfig',
    '--server',
    '--cluster',
    '--user',
    '--as',
    '--as-group',
    '--token',
    '--request-timeout',
    '--certificate-authority',
    '--client-certificate',
    '--client-key',
  ],
};

/** `kubectl|oc [global opts] <sub> …`: the subcommand and its index. */
export function kubectlSubcommand(
  argv: readonly ShellWord[],
): { program: string; name: string; index: number } | undefined {
  const program = commandName(argv[0]);
  if (program !== 'kubectl' && program !== 'oc') return undefined;
  const i = firstOperand(argv, 1, KUBECTL_GLOBAL);
  const word = argv[i];
  if (!word || !word.literal) return undefined;
  return { program, name: word.value, index: i };
}

/** `kubectl exec … -- cmd…`: the command words run in the pod (only the `--` form is unambiguous). */
export function kubectlExecPayload(argv: readonly ShellWord[]): ShellWord[] | undefined {
  const sub = kubectlSubcommand(argv);
  if (!sub || sub.name !== 'exec') return undefined;
  const dashes = argv.findIndex((w, i) => i > sub.index && w.literal && w.value === '--');
  return dashes > 0 && dashes + 1 < argv.length ? argv.slice(dashes + 1) : undefined;
}

/** `su [user] -c 'script'` (and `runuser`): the script word. */
export function suScript(argv: readonly ShellWord[]): ShellWord | undefined {
  const name = commandName(argv[0]);
  if (name !== 'su' && name !== 'runuser') return undefined;
  const c = argv.findIndex((w, i) => i > 0 && w.literal && (w.value === '-c' || w.value === '--command'));
  return c > 0 ? argv[c + 1] : undefined;
}
