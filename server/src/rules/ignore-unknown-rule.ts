import { defineRule } from '../engine/rule';

export default defineRule({
  meta: {
    id: 'ignore-unknown-rule',
    category: 'configuration',
    description: 'An ignore comment names a rule id that does not exist, so it suppresses nothing.',
    severity: { recommended: 'hint', strict: 'warning' },
    fixable: false,
    internal: true,
    messages: {
      unknown:
        '“{{id}}” is not a DriftGuard rule id, so this comment suppresses nothing for it. Known ids are listed in ' +
        'the README.',
    },
  },
  check(context) {
    for (const unknown of context.ignoreComments.unknownIds) {
      context.report({ range: unknown.range, messageId: 'unknown', data: { id: unknown.id } });
    }
  },
});
