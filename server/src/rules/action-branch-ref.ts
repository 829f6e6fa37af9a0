import { defineRule } from '../engine/rule';
import { actionName, actionHostData } from './actionFindings';

export default defineRule({
  meta: {
    id: 'action-branch-ref',
    description:
      'GitHub action or reusable workflow used at a branch: the workflow runs whatever is pushed there next.',
    category: 'mutable-reference',
    kinds: ['workflow', 'action'],
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    hostFixes: { actionPin: true },
    messages: {
      branch:
        '“{{action}}” runs branch “{{ref}}”: whatever is pushed there next runs in this workflow. ' +
        'Pin it to a full commit SHA.',
    },
  },
  check(context) {
    for (const site of context.model.actionUses()) {
      if (site.uses.refClass !== 'branch') continue;
      context.report({
        range: site.refRange,
        messageId: 'branch',
        data: { action: actionName(site), ref: site.uses.ref },
        hostData: actionHostData(site),
      });
    }
  },
});
