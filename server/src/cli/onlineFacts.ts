import type { Engine } from '../engine/engine';
import { imageName } from '../model/imageRef';
import { RegistryClient } from '../registry';
import { registryOptions } from '../registry/userOptions';
import { mapLimit } from '../net/semaphore';
import { describeFailure } from '../pin/resolve';
import { tagKey } from '../rules/image-digest-stale';
import type { UserSettings } from '../net/userSettings';
import { lintInputFor } from '../workspace/lintFile';
import type { SettingsResolver } from '../workspace/settingsResolver';
import type { LintTask } from './lintTask';

/** What rules that need the network read, fetched by the host before linting. Plain data (Maps clone). */
export interface NetworkFacts {
  /** `name:tag` → the digest that tag points to now (`image-digest-stale`). */
  currentDigests: Map<string, string>;
}

/**
 * `driftguard --online`: the facts the network rules need for these files, asked of the
 * registries with the user's settings. A lookup that fails leaves its fact unknown (the rule stays
 * silent for it) and is reported through `log`.
 */
export async function gatherNetworkFacts(
  engine: Engine,
  tasks: readonly LintTask[],
  resolver: SettingsResolver,
  user: UserSettings,
  log: (message: string) => void,
): Promise<NetworkFacts> {
  const keys = new Set<string>();
  for (const task of tasks) {
    const input = lintInputFor(engine.kinds, { path: task.path, kind: task.kind, text: task.text }, resolver);
    for (const ref of engine.model(input).imageReferences())
      if (ref.image.tag && ref.image.digest) keys.add(tagKey(imageName(ref.image), ref.image.tag));
  }
  const currentDigests = new Map<string, string>();
  if (keys.size === 0 || !user.registry.enable) return { currentDigests };
  const client = new RegistryClient({ ...registryOptions(user.registry), allowCredentialHelpers: true });
  try {
    await mapLimit([...keys], 4, async (key) => {
      try {
        const resolved = await client.resolveDigest(key);
        currentDigests.set(key, resolved.platformDigest ?? resolved.digest);
      } catch (error) {
        log(`online check of ${key} failed: ${describeFailure(error)}`);
      }
    });
  } finally {
    client.close();
  }
  return { currentDigests };
}
