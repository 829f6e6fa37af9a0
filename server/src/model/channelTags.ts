/**
 * Floating tags: tags made only of release-channel words (`stable`, `lts`, `edge`, …) and variant
 * words (`alpine`, `slim`), like `lts-alpine`, `stable-slim` or plain `alpine`. They move with every
 * release exactly as `latest` does, so they are reported and pinned like it; a tag with a version
 * (`20-alpine`) or a distribution codename (`bookworm-slim`) is a version tag.
 */
const CHANNEL_WORDS = new Set([
  'latest',
  'stable',
  'lts',
  'edge',
  'nightly',
  'main',
  'master',
  'dev',
  'develop',
  'rolling',
  'current',
  'canary',
  'beta',
  'alpha',
  'unstable',
  'testing',
  'mainline',
]);
const VARIANT_WORDS = new Set(['alpine', 'slim']);

function words(tag: string): string[] {
  return tag.toLowerCase().split(/[-._]/);
}

/** Whether a tag floats like `latest`: only channel and variant words, `latest` itself included. */
export function isFloatingTag(tag: string): boolean {
  const parts = words(tag);
  return parts.every((w) => CHANNEL_WORDS.has(w) || VARIANT_WORDS.has(w));
}

/** The variant a floating tag stands for: `alpine` for `lts-alpine`, `''` for `stable` or `latest`. */
export function floatingTagVariant(tag: string): string {
  return words(tag)
    .filter((w) => VARIANT_WORDS.has(w))
    .join('-');
}
