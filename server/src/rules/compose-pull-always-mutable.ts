import { isScalar } from 'yaml';
import { defineRule } from '../engine/rule';
import { parseImageReference } from '../model/imageRef';
import { compose } from '../kinds/compose';

export default defineRule({
  meta: {
    id: 'compose-pull-always-mutable',
    category: 'mutable-reference',
    description:
      'pull_policy: always on a service whose image has no digest: each “docker compose up” may run a different image.',
    kinds: ['compose'],
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    messages: {
      pullAlways:
        '“pull_policy: always” with “{{image}}”, which has no digest: every “docker compose up” may pull and run a ' +
        'different image. Pin the digest, or drop “pull_policy: always”.',
    },
  },
  check(context) {
    const model = context.model.parsedAs(compose);
    if (!model) return;
    for (const service of model.services()) {
      // A service with `build:` names its own build output; nothing is pulled by tag there.
      if (service.field('build') !== undefined) continue;
      const policy = model.resolve(service.field('pull_policy'));
      if (!isScalar(policy) || String(policy.value).toLowerCase() !== 'always') continue;
      const imageNode = model.resolve(service.field('image'));
      if (!isScalar(imageNode) || typeof imageNode.value !== 'string') continue;
      const resolved = model.interpolate(imageNode.value);
      if (!resolved) continue;
      const image = parseImageReference(resolved.value);
      if (!image || image.digest) continue;
      const range = model.rangeOfNode(policy);
      if (range) context.report({ range, messageId: 'pullAlways', data: { image: resolved.value } });
    }
  },
});
