import { defineRule } from '../engine/rule';
import { classifyImage, findingRange, referenceData, referenceHostData } from './imageFindings';

export default defineRule({
  meta: {
    id: 'image-unpinned-digest',
    category: 'mutable-reference',
    description: 'Image tag without an @sha256: digest (tags are mutable).',
    // Advice rather than a warning by default: Docker official images refuse digest-pinned FROM.
    severity: { recommended: 'info', strict: 'warning' },
    fixable: false,
    hostFixes: { imagePin: 'digest' },
    messages: {
      unpinned:
        '{{ref}} is a tag, and tags move: pin the digest ({{name}}:{{tag}}@sha256:…) so every build and deploy pulls ' +
        'the same image.',
    },
  },
  check(context) {
    for (const ref of context.model.imageReferences()) {
      if (classifyImage(ref, context.settings) !== 'unpinned') continue;
      context.report({
        range: findingRange(ref, 'unpinned'),
        messageId: 'unpinned',
        data: referenceData(ref),
        hostData: referenceHostData(ref),
      });
    }
  },
});
