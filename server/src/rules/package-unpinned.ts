import { defineRule } from '../engine/rule';
import { shellAnalysis } from '../shell';
import { packageOperation, PackageFamily } from '../shell/packages';
import { commandText, spanOf } from '../shell/describe';

/** How each family writes a pinned version, for the message. */
const PIN_HINT: Readonly<Record<PackageFamily, string>> = {
  apt: '`name=<version>`',
  apk: '`name=<version>`',
  rpm: '`name-<version>`',
  zypper: '`name=<version>`',
  pip: '`name==<version>`',
  npm: '`name@<version>`',
  gem: '`-v <version>` or `name:<version>`',
  go: '`module@<version>`',
  other: 'a version',
};

export default defineRule({
  meta: {
    id: 'package-unpinned',
    description: 'Image build installs named packages without a version, so each build can get different ones.',
    kinds: ['dockerfile', 'shell', 'compose'],
    severity: { recommended: 'info', strict: 'warning' },
    fixable: false,
    messages: {
      unpinned:
        '`{{command}}` installs {{packages}} without a version: each build gets whatever the repository serves that day. Pin versions ({{hint}}); an ARG/ENV variable as the version is fine.',
    },
  },
  check(context) {
    for (const command of shellAnalysis(context.model).commands) {
      if (command.context !== 'build') continue;
      const operation = packageOperation(command);
      if (!operation || operation.action !== 'install' || operation.family === 'other') continue;
      const unpinned = operation.packages.filter((p) => !p.pinned).map((p) => `\`${p.word.value}\``);
      if (unpinned.length === 0) continue;
      context.report({
        range: spanOf(operation.verb),
        messageId: 'unpinned',
        data: { command: commandText(operation.verb), packages: unpinned.join(', '), hint: PIN_HINT[operation.family] },
        payload: {
          packages: operation.packages.filter((p) => !p.pinned).map((p) => p.word.value),
          manager: operation.manager,
        },
      });
    }
  },
});
