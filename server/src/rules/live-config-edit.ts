import { defineRule } from '../engine/rule';
import type { ExecutionContext, Range } from '../engine/types';
import type { ShellCommand, ShellPlace } from '../shell';
import type { ShellWord } from '../shell/words';
import { commandName } from '../shell/words';
import { firstOperand, hasOption, optionValue } from '../shell/options';
import { dockerSubcommand } from '../shell/programs';
import { isSystemPath, remotePath } from '../shell/systemPaths';
import { placePhrase } from '../shell/describe';

interface Edit {
  range: Range;
  command: string;
  path: string;
  place: ShellPlace;
}

const EDITORS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'ed', 'pico', 'joe', 'mcedit']);

function operandWords(argv: readonly ShellWord[], spec: Parameters<typeof firstOperand>[2]): ShellWord[] {
  const words: ShellWord[] = [];
  for (let i = firstOperand(argv, 1, spec); i < argv.length; i = firstOperand(argv, i + 1, spec)) words.push(argv[i]!);
  return words;
}

/** The system files a command changes, with the words to point at. */
function edits(command: ShellCommand): Edit[] {
  const argv = command.argv;
  const name = commandName(argv[0]);
  if (name === undefined) return [];
  const at = (word: ShellWord, path = word.value, place = command.place): Edit => ({
    range: word.range,
    command: name,
    path,
    place,
  });
  const system = (words: ShellWord[]) => words.filter((w) => isSystemPath(w.value)).map((w) => at(w));
  switch (name) {
    case 'sed':
    case 'perl': {
      const inPlace = argv.some(
        (w) =>
          w.literal &&
          (/^-i/.test(w.value) ||
            w.value.startsWith('--in-place') ||
            (name === 'sed' ? /^-[nrEsuz]+i/ : /^-[a-zA-Z]*i/).test(w.value)),
      );
      if (!inPlace) return [];
      const operands = operandWords(argv, {
        shortValued: name === 'sed' ? 'efl' : 'eEIM',
        longValued: ['--expression', '--file', '--line-length'],
      });
      const scripted =
        hasOption(argv, ['-e', '--expression', '-f', '--file']) || (name === 'perl' && hasOption(argv, ['-E']));
      return system(scripted ? operands : operands.slice(1));
    }
    case 'tee':
      return system(operandWords(argv, {}));
    case 'cp':
    case 'mv':
    case 'install':
    case 'ln': {
      if (
        name === 'ln' &&
        !argv.some((w) => /^-[a-zA-Z]*[sf]/.test(w.value) || w.value === '--force' || w.value === '--symbolic')
      )
        return [];
      const target = optionValue(argv, ['-t', '--target-directory']);
      if (target !== undefined) return typeof target !== 'string' && isSystemPath(target.value) ? [at(target)] : [];
      const operands = operandWords(argv, {
        shortValued: name === 'install' ? 'mogSt' : 'St',
        longValued: ['--mode', '--owner', '--group', '--suffix', '--target-directory'],
      });
      if (operands.length < 2 && !(name === 'install' && hasOption(argv, ['-d']))) return [];
      return system(operands.slice(-1));
    }
    case 'scp':
    case 'rsync': {
      const operands = operandWords(
        argv,
        name === 'scp'
          ? { shortValued: 'cFiJloPSDX' }
          : {
              shortValued: 'eBfT',
              longValued: [
                '--rsh',
                '--exclude',
                '--include',
                '--filter',
                '--chown',
                '--chmod',
                '--rsync-path',
                '--exclude-from',
                '--include-from',
                '--files-from',
                '--port',
                '--password-file',
                '--timeout',
                '--log-file',
              ],
            },
      );
      const destination = operands[operands.length - 1];
      const path = destination && operands.length >= 2 ? remotePath(destination.value) : undefined;
      return path && isSystemPath(path) ? [at(destination!, path, 'remote-host')] : [];
    }
    case 'crontab':
      return hasOption(argv, ['-l']) || argv.length === 1 ? [] : [at(argv[0]!, 'the crontab')];
    case 'systemctl':
      return argv[firstOperand(argv, 1, {})]?.value === 'edit' ? [at(argv[0]!, 'a unit file')] : [];
    default: {
      if (EDITORS.has(name) && (command.place === 'remote-host' || command.place === 'container')) {
        return operandWords(argv, {})
          .filter((w) => w.literal)
          .map((w) => at(w));
      }
      const sub = dockerSubcommand(argv);
      if (sub?.name === 'cp') {
        const operands = operandWords(argv.slice(sub.index), {});
        const destination = operands[operands.length - 1];
        const path = destination && operands.length >= 2 ? remotePath(destination.value) : undefined;
        return path && isSystemPath(path) ? [at(destination!, path, 'container')] : [];
      }
      return [];
    }
  }
}

/**
 * scp/rsync to a host changes that host even when run from a build. Edits at container start
 * (CMD, ENTRYPOINT, Compose command) are exempt: every start begins again from the image, so
 * rendering a config from the environment there (`envsubst > /etc/nginx/…`) re-creates the same
 * file each time instead of accumulating drift.
 */
function counts(place: ShellPlace, context: ExecutionContext): boolean {
  if (place === 'remote-host') return true;
  return context === 'live' && place !== 'container-start';
}

/**
 * Whether any edit of `command` can count: off a live machine only those that reach another host
 * do (`counts`), and `edits` gives such a place to the commands run there and to scp/rsync alone.
 * Most commands of a Dockerfile run at build time: their edits are not looked for (the corpus's
 * Dockerfiles as a file list: about 2 % of the scan's CPU).
 */
function mayCount(command: ShellCommand): boolean {
  if (command.context === 'live' || command.place === 'remote-host') return true;
  const name = commandName(command.argv[0]);
  return name === 'scp' || name === 'rsync';
}

export default defineRule({
  meta: {
    id: 'live-config-edit',
    category: 'in-place-patching',
    description:
      'System files edited on a running machine or container (sed -i, redirections, cp/mv/ln, scp/rsync to a host, ' +
      'crontab -e).',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    messages: {
      edit:
        '“{{command}}” changes {{path}} {{where}}: the edit exists only on that machine, outside any recipe, so ' +
        'it is lost or diverges when the machine is replaced. Put the file in the image or manage it declaratively.',
    },
  },
  check(context) {
    const analysis = context.model.shell;
    const found: Edit[] = [];
    for (const command of analysis.commands) {
      if (!mayCount(command)) continue;
      for (const edit of edits(command)) {
        if (counts(edit.place, command.context)) found.push(edit);
      }
    }
    for (const redirect of analysis.redirects) {
      if (counts(redirect.place, redirect.context) && isSystemPath(redirect.target.value))
        found.push({
          range: redirect.range,
          command: redirect.operator,
          path: redirect.target.value,
          place: redirect.place,
        });
    }
    for (const edit of found) {
      const path = edit.path.startsWith('/') ? `“${edit.path}”` : edit.path;
      context.report({
        range: edit.range,
        messageId: 'edit',
        data: { command: edit.command, path, where: placePhrase(edit.place) },
      });
    }
  },
});
