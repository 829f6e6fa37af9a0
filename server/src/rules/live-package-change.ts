import { defineRule } from '../engine/rule';
import { packageOperation, PackageAction } from '../shell/packages';
import { commandText, placePhrase, spanOf } from '../shell/describe';

const ACTION: Readonly<Record<PackageAction, string>> = {
  install: 'installs packages',
  upgrade: 'upgrades packages',
  'upgrade-all': 'upgrades every package',
  remove: 'removes packages',
};

export default defineRule({
  meta: {
    id: 'live-package-change',
    category: 'in-place-patching',
    description: 'Packages installed, upgraded or removed on a running machine or container instead of in its image.',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    messages: {
      change:
        '“{{command}}” {{action}} {{where}}: the change exists only there, so replacing the machine or container ' +
        'loses it and copies drift apart. Install packages when the image is built instead.',
      atStart:
        '“{{command}}” {{action}} {{where}}: each start gets whatever the package repository serves that day (or ' +
        'fails when it is down), so containers of the same image differ. Install packages in the image build ' +
        'instead.',
      remove:
        '“{{command}}” removes packages {{where}}: the machine then differs from the image or recipe it was ' +
        'built from, and copies drift apart. Leave the packages out when the image is built instead.',
      removeAtStart:
        '“{{command}}” removes packages {{where}}: the image still ships them and every start repeats the ' +
        'removal. Leave the packages out of the image build instead.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      if (command.context !== 'live') continue;
      const operation = packageOperation(command);
      if (!operation) continue;
      // npm/yarn/pnpm without -g/global, `go get` and `go run` change a project or a cache, not the machine.
      if ((operation.family === 'npm' || operation.family === 'go') && !operation.global) continue;
      const atStart = command.place === 'container-start';
      // Removals (an uninstaller's included) are reported, but not told to install anything.
      const removal = operation.action === 'remove';
      context.report({
        range: spanOf(operation.verb),
        messageId: removal ? (atStart ? 'removeAtStart' : 'remove') : atStart ? 'atStart' : 'change',
        data: {
          command: commandText(operation.verb),
          action: ACTION[operation.action],
          where: placePhrase(command.place, operation.action === 'install'),
        },
      });
    }
  },
});
