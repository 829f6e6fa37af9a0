import { defineRule } from '../engine/rule';
import { imageName } from '../model/imageRef';
import { referenceHostData } from './imageFindings';

/** `name:tag` key of a pinned reference, as hosts key `currentDigests`. */
export function tagKey(name: string, tag: string): string {
  return `${name}:${tag}`;
}

export default defineRule({
  meta: {
    id: 'image-digest-stale',
    category: 'mutable-reference',
    description: 'A pinned digest is no longer what its tag points to (online checks only; asks the registry).',
    // Asks the registry: runs only when the user turns online checks on.
    network: true,
    severity: { recommended: 'warning', strict: 'warning' },
    fixable: false,
    hostFixes: { imagePin: 'refresh' },
    messages: {
      stale:
        '“{{tag}}” now points to {{current}}, not the pinned {{pinned}}: the pin is intact, but it no longer gets ' +
        'the fixes pushed to “{{tag}}”. Update the digest when you are ready.',
    },
  },
  check(context) {
    const current = context.settings.currentDigests;
    if (!current || current.size === 0) return;
    for (const ref of context.model.imageReferences()) {
      const { tag, digest } = ref.image;
      if (!tag || !digest) continue;
      const now = current.get(tagKey(imageName(ref.image), tag));
      if (!now || now === digest) continue;
      context.report({
        range: ref.digestRange ?? ref.range,
        messageId: 'stale',
        data: { tag: `${imageName(ref.image)}:${tag}`, current: shortDigest(now), pinned: shortDigest(digest) },
        hostData: referenceHostData(ref),
      });
    }
  },
});

function shortDigest(digest: string): string {
  return `${digest.slice(0, 19)}…`;
}
