import { defineRule } from '../engine/rule';
import type { ShellCommand } from '../shell';
import type { ShellWord } from '../shell/words';
import { kubectlSubcommand } from '../shell/programs';
import { firstOperand, hasOption } from '../shell/options';
import { commandText, spanOf } from '../shell/describe';

const KUBECTL_VALUED = {
  shortValued: 'nclfo',
  longValued: [
    '--namespace',
    '--container',
    '--selector',
    '--filename',
    '--output',
    '--type',
    '--patch',
    '--patch-file',
    '--replicas',
    '--current-replicas',
    '--resource-version',
    '--to-revision',
    '--field-manager',
    '--timeout',
    '--subresource',
  ],
};

/**
 * A `kubectl cp` operand in a pod: `[namespace/]pod:path`, the names written out or held in variables
 * (`"$POD":/etc/app.conf`, `${NS}/${POD}:/x`, `$(kubectl get pod -l app=api -o name):/x`).
 */
const NAME_PART = String.raw`(?:[\w.-]|\$\w+|\$\{[^}]*\}|\$\([^)]*\))+`;
const POD_PATH = new RegExp(`^${NAME_PART}(?:/${NAME_PART})?:`);

/**
 * The imperative subcommands that change an existing object's live spec outside version control.
 * `apply`/`create`/`replace -f` read manifests (the declarative path); `rollout restart`, `delete`,
 * `drain`, `cordon` and `exec` change no spec (exec payloads are checked by the other rules).
 */
function mutation(command: ShellCommand): ShellWord[] | undefined {
  const argv = command.argv;
  const sub = kubectlSubcommand(argv);
  if (!sub) return undefined;
  const verb = [argv[0]!, argv[sub.index]!];
  switch (sub.name) {
    case 'edit':
    case 'patch':
    case 'scale':
      return verb;
    case 'set': {
      const what = argv[sub.index + 1];
      return what?.literal && !what.value.startsWith('-') ? [...verb, what] : verb;
    }
    case 'rollout': {
      const what = argv[firstOperand(argv, sub.index + 1, KUBECTL_VALUED)];
      return what?.value === 'undo' ? [...verb, what] : undefined;
    }
    case 'label':
    case 'annotate':
      return hasOption(argv, ['--overwrite'], sub.index + 1) ? verb : undefined;
    case 'cp': {
      const operands: ShellWord[] = [];
      for (
        let i = firstOperand(argv, sub.index + 1, KUBECTL_VALUED);
        i < argv.length;
        i = firstOperand(argv, i + 1, KUBECTL_VALUED)
      )
        operands.push(argv[i]!);
      const destination = operands[operands.length - 1];
      return operands.length >= 2 &&
        destination &&
        POD_PATH.test(destination.value) &&
        !/^[A-Za-z]:[\\/]/.test(destination.value)
        ? verb
        : undefined;
    }
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'kubectl-live-mutation',
    category: 'in-place-patching',
    description:
      'kubectl changes live cluster objects in place (edit, patch, set, scale, rollout undo, label/annotate ' +
      '--overwrite, cp into a pod).',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    messages: {
      mutation:
        '“{{command}}” changes live objects in place: the cluster drifts from the manifests in version control, and ' +
        'the next apply silently reverts it. Change the manifest and apply it.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      const verb = mutation(command);
      if (verb) context.report({ range: spanOf(verb), messageId: 'mutation', data: { command: commandText(verb) } });
    }
  },
});
