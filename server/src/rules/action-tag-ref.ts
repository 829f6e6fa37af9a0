import { defineRule } from '../engine/rule';
import { actionName, actionHostData } from './actionFindings';

export default defineRule({
  meta: {
    id: 'action-tag-ref',
    description: 'GitHub action or reusable workflow used at a tag or a short SHA, which can be moved or be ambiguous.',
    category: 'mutable-reference',
    kinds: ['workflow', 'action'],
    severity: { recommended: 'info', strict: 'warning' },
    fixable: false,
    hostFixes: { actionPin: true },
    messages: {
      tag:
        '“{{action}}@{{ref}}” is a tag, and tags can be moved to other code. ' +
        'Pin it to a full commit SHA (the tag stays as a comment).',
      shortSha:
        '“{{action}}@{{ref}}” is a short SHA: a branch or tag may have that name, and GitHub runs only full SHAs. ' +
        'Write the full commit SHA.',
    },
  },
  check(context) {
    for (const site of context.model.actionUses()) {
      const refClass = site.uses.refClass;
      if (refClass !== 'version' && refClass !== 'short-sha') continue;
      context.report({
        range: site.refRange,
        messageId: refClass === 'version' ? 'tag' : 'shortSha',
        data: { action: actionName(site), ref: site.uses.ref },
        hostData: actionHostData(site),
      });
    }
  },
});
