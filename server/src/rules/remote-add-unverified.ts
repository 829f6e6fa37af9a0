import { Add } from 'dockerfile-ast';
import { defineRule } from '../engine/rule';
import { dockerfile } from '../kinds/dockerfile';
import { transferOf } from '../model/transfer';

const HTTP = /^https?:\/\//i;
const GIT = /^(?:git@|git:\/\/|ssh:\/\/)|\.git(?:[#?]|$)/i;
/**
 * A commit id as the ref (`#<sha>`, `?ref=<sha>&…`); tags and branches move. A ref from an ARG
 * (`?ref=${VERSION}`) counts as pinned, as versions from variables do for packages: the recipe
 * names one revision and a scan cannot see which.
 */
const PINNED_REF = /(?:#|[?&]ref=)(?:[0-9a-f]{7,40}|\$\{?\w+\}?)(?=$|[&:])/i;

export default defineRule({
  meta: {
    id: 'remote-add-unverified',
    category: 'unverified-download',
    description: 'Dockerfile ADD of a URL without --checksum, or of a Git repository without a pinned commit.',
    kinds: ['dockerfile'],
    severity: { recommended: 'warning', strict: 'error' },
    fixable: false,
    hostFixes: { checksum: true },
    messages: {
      url:
        '“ADD {{url}}” downloads without --checksum: whatever the URL serves at build time goes into the image. ' +
        'Add --checksum=sha256:<digest>.',
      git: '“ADD {{url}}” follows a branch or tag, which can move: pin the commit (#<commit sha>).',
    },
  },
  check(context) {
    const model = context.model.parsedAs(dockerfile);
    if (!model) return;
    for (const instruction of model.instructions) {
      if (!(instruction instanceof Add)) continue;
      const flags = instruction.getFlags().map((f) => f.getName().toLowerCase());
      const hasChecksum = flags.includes('checksum');
      const transfer = transferOf(instruction);
      if (!transfer) continue;
      for (const source of transfer.sources) {
        const url = source.value;
        if (GIT.test(url) && (HTTP.test(url) || /^(?:git@|git:\/\/|ssh:\/\/)/i.test(url))) {
          if (!hasChecksum && !PINNED_REF.test(url))
            context.report({ range: source.range, messageId: 'git', data: { url } });
        } else if (HTTP.test(url) && !hasChecksum) {
          // Hosts offer "Add --checksum" (download + sha256) only for a single-source ADD, where the
          // checksum unambiguously belongs to this URL.
          const single = transfer.sources.length === 1;
          context.report({
            range: source.range,
            messageId: 'url',
            data: { url },
            hostData: { url, ...(single ? { checksumAt: instruction.getInstructionRange().end } : {}) },
          });
        }
      }
    }
  },
});
