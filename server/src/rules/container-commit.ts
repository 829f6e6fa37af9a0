import { defineRule } from '../engine/rule';
import { dockerSubcommand } from '../shell/programs';
import { commandText, spanOf } from '../shell/describe';

export default defineRule({
  meta: {
    id: 'container-commit',
    category: 'in-place-patching',
    description: 'docker commit or podman commit snapshots a hand-changed container into an image nobody can rebuild.',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    messages: {
      commit:
        '“{{command}}” snapshots a container that was changed by hand: the image has no recipe, so nobody can ' +
        'review, rebuild or patch it reproducibly. Build the image from a Dockerfile instead.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      const sub = dockerSubcommand(command.argv);
      // `buildah commit` is buildah's normal build step and `compose` has no commit: only docker-like CLIs.
      if (!sub || sub.name !== 'commit') continue;
      const verb = [command.argv[0]!, command.argv[sub.index]!];
      context.report({ range: spanOf(verb), messageId: 'commit', data: { command: commandText(verb) } });
    }
  },
});
