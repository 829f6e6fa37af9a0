import { defineRule } from '../engine/rule';
import { packageOperation } from '../shell/packages';
import { commandText, spanOf } from '../shell/describe';

export default defineRule({
  meta: {
    id: 'package-upgrade',
    category: 'mutable-reference',
    description: 'Image build upgrades every installed package, so the image depends on the day it was built.',
    severity: { recommended: 'off', strict: 'warning' },
    fixable: true,
    messages: {
      upgradeAll:
        '“{{command}}” upgrades every package to whatever the mirrors serve on build day, so two builds of the same ' +
        'commit differ. For reproducible builds, take fixes from a newer pinned base image and pin the packages ' +
        'you need.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      if (command.context !== 'build') continue;
      const operation = packageOperation(command);
      if (!operation || operation.action !== 'upgrade-all') continue;
      const text = commandText(operation.verb);
      // The fix only deletes the command from an `&&`/`;` chain, so the rest still runs unchanged.
      const fixes = command.removal
        ? [{ title: `Remove “${text}” from the chain`, edits: [{ range: command.removal, newText: '' }] }]
        : [];
      context.report({ range: spanOf(operation.verb), messageId: 'upgradeAll', data: { command: text }, fixes });
    }
  },
});
