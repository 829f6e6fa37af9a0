import { defineRule } from '../engine/rule';
import { packageOperation, PackageFamily } from '../shell/packages';
import { rangeInWord } from '../shell/words';

/** How each family writes a pinned version of `name`, for the message. */
const PIN_EXAMPLE: Readonly<Record<PackageFamily, (name: string) => string>> = {
  apt: (name) => `${name}=<version>`,
  apk: (name) => `${name}~<version>`,
  rpm: (name) => `${name}-<version>`,
  zypper: (name) => `${name}=<version>`,
  pip: (name) => (/^(?:git|hg|svn|bzr)\+/.test(name) ? `${name}@<commit>` : `${name}==<version>`),
  npm: (name) =>
    /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)|^[\w.-]+\/[\w.-]+$/.test(name)
      ? `${name}#<commit>`
      : `${name}@<version>`,
  gem: (name) => `${name}:<version>`,
  go: (name) => `${name.replace(/@latest$/, '')}@<version>`,
  other: (name) => `${name} with a version`,
};

export default defineRule({
  meta: {
    id: 'package-unpinned',
    category: 'mutable-reference',
    description: 'Image build installs named packages without a version, so each build can get different ones.',
    severity: { recommended: 'info', strict: 'warning' },
    fixable: false,
    hostFixes: { packagePin: true },
    messages: {
      unpinned: '{{name}} is installed without a version, so each build may get a different one. Pin it: {{example}}.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      if (command.context !== 'build') continue;
      const operation = packageOperation(command);
      if (!operation || operation.action !== 'install' || operation.family === 'other') continue;
      // One finding per package, on the package itself: a command may install dozens.
      for (const { word, pinned } of operation.packages) {
        if (pinned) continue;
        const name = word.value;
        context.report({
          range: rangeInWord(word, 0, name.length, context.model.source),
          messageId: 'unpinned',
          data: { name, example: PIN_EXAMPLE[operation.family](name) },
          hostData: { package: name, family: operation.family, manager: operation.manager },
        });
      }
    }
  },
});
