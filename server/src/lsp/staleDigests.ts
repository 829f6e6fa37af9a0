import type { LintInput } from '../engine/settings';
import type { DocumentModel } from '../engine/documentModel';
import { imageName } from '../model/imageRef';
import { tagKey } from '../rules/image-digest-stale';
import type { RegistryService } from './registryService';

/**
 * Feeds `image-digest-stale`: when the rule is on and the registry may be asked, looks up (in the
 * background) what each pinned reference's tag points to now, then asks for the document to be
 * linted again with those facts. The engine itself never touches the network.
 */
export class StaleDigestWatcher {
  private readonly known = new Map<string, string>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly registry: () => RegistryService,
    private readonly relint: (uri: string) => void,
  ) {}

  facts(): ReadonlyMap<string, string> {
    return this.known;
  }

  watch(uri: string, input: LintInput, model: DocumentModel): void {
    if ((input.settings.severities['image-digest-stale'] ?? 'off') === 'off') return;
    const registry = this.registry();
    if (registry.unavailableReason()) return;
    for (const ref of model.imageReferences()) {
      if (!ref.image.tag || !ref.image.digest) continue;
      const key = tagKey(imageName(ref.image), ref.image.tag);
      if (this.known.has(key) || this.asked.has(key)) continue;
      this.asked.add(key);
      registry.tagDigest(key).then(
        (digest) => {
          this.known.set(key, digest);
          this.relint(uri);
        },
        () => {
          /* unknown stays unknown: the rule stays silent for it */
        },
      );
    }
  }
}
