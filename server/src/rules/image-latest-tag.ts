import { defineRule } from '../engine/rule';
import { classifyImage, findingRange, referenceData, referenceHostData } from './imageFindings';

export default defineRule({
  meta: {
    id: 'image-latest-tag',
    category: 'mutable-reference',
    description: 'Explicit latest tag, or another floating tag (stable, lts-alpine, slim, …), without a digest.',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    hostFixes: { imagePin: 'version' },
    messages: {
      latest:
        '{{ref}} uses “latest”, which moves with every push: pin the exact version it is today and its digest ' +
        '({{name}}:<version>@sha256:…).',
      floating:
        '{{ref}} uses “{{tag}}”, a floating tag that moves with every release like latest: pin the exact version ' +
        'it is today and its digest ({{name}}:<version>@sha256:…).',
    },
  },
  check(context) {
    for (const ref of context.model.imageReferences()) {
      if (classifyImage(ref, context.settings) !== 'latest') continue;
      context.report({
        range: findingRange(ref, 'latest'),
        messageId: ref.image.tag === 'latest' ? 'latest' : 'floating',
        data: referenceData(ref),
        hostData: referenceHostData(ref),
      });
    }
  },
});
