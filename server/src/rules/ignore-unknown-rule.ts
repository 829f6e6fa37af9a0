import { defineRule } from '../engine/rule';

export default defineRule({
  meta: {
    id: 'ignore-unknown-rule',
    category: 'configuration',
    description: 'An ignore comment names a rule id that does not exist, so it suppresses nothing.',
    severity: { recommended: 'hint', strict: 'warning' },
    fixable: true,
    internal: true,
    messages: {
      unknown:
        '“{{id}}” is not a DriftGuard rule id, so this comment suppresses nothing for it. Known ids are listed in ' +
        'the README.',
      misspelt:
        '“{{id}}” is not a DriftGuard rule id, so this comment suppresses nothing for it. ' +
        'Did you mean {{suggestion}}?',
    },
  },
  check(context) {
    for (const unknown of context.ignoreComments.unknownIds) {
      const suggestion = unknown.suggestion;
      if (!suggestion) {
        context.report({ range: unknown.range, messageId: 'unknown', data: { id: unknown.id } });
        continue;
      }
      // The comment then suppresses what its author meant to: the fix writes the id they meant.
      context.report({
        range: unknown.range,
        messageId: 'misspelt',
        data: { id: unknown.id, suggestion },
        fixes: [{ title: `Change to ${suggestion}`, edits: [{ range: unknown.range, newText: suggestion }] }],
      });
    }
  },
});
