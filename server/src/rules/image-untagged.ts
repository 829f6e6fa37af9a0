import { defineRule } from '../engine/rule';
import { classifyImage, findingRange, referenceData, referenceHostData } from './imageFindings';

export default defineRule({
  meta: {
    id: 'image-untagged',
    category: 'mutable-reference',
    description: 'Image reference with neither tag nor digest (implicitly latest).',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    hostFixes: { imagePin: 'version' },
    messages: {
      untagged:
        '{{ref}} has no tag, so it means “latest”, which moves with every push: pin an exact version and its digest ' +
        '({{name}}:<version>@sha256:…).',
    },
  },
  check(context) {
    for (const ref of context.model.imageReferences()) {
      if (classifyImage(ref, context.settings) !== 'untagged') continue;
      context.report({
        range: findingRange(ref, 'untagged'),
        messageId: 'untagged',
        data: referenceData(ref),
        hostData: referenceHostData(ref),
      });
    }
  },
});
