/** Mocha hooks: a no-auth registry seeded with the standard plan, shared by one describe block. */
import { rmSync } from 'node:fs';
import { RegistryClient, type RegistryClientOptions } from '../../server/src/registry';
import { requireTools, startRegistry, tempDir, type RunningRegistry } from './registryHarness';
import { seedStandardPlan, type SeededPlan } from './registrySeed';

export interface SeededRegistry {
  registry: RunningRegistry;
  plan: SeededPlan;
}

let shared: Promise<SeededRegistry> | undefined;

async function startShared(): Promise<SeededRegistry> {
  const registry = await startRegistry();
  try {
    return { registry, plan: await seedStandardPlan(registry.url) };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

// Loaded from spec files outside any describe: this hook joins the root suite, so the shared
// registry is started once per mocha run and stopped (by its own PID) after all files.
after(async function () {
  this.timeout(10_000);
  const current = shared;
  shared = undefined;
  const running = await current?.catch(() => undefined);
  await running?.registry.stop();
});

/**
 * A no-auth registry seeded with the standard plan, shared by every registry spec file
 * (other registries in the tests serve its storage read-only). Filled in by a `before` hook.
 */
export function useSeededRegistry(): SeededRegistry {
  const holder = {} as SeededRegistry;
  before(async function () {
    this.timeout(20_000);
    requireTools('docker-registry', 'htpasswd', 'openssl');
    shared ??= startShared();
    Object.assign(holder, await shared);
  });
  return holder;
}

/** Tracks clients and temp dirs created by a test and releases them afterwards. */
export function useClients(): { client(options?: RegistryClientOptions): RegistryClient; dir(prefix: string): string } {
  const clients: RegistryClient[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    client(options: RegistryClientOptions = {}) {
      // Tests never touch the developer's ~/.docker or proxy settings.
      const c = new RegistryClient({
        env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
        retryBaseMs: 20,
        ...options,
      });
      clients.push(c);
      return c;
    },
    dir(prefix: string) {
      const d = tempDir(prefix);
      dirs.push(d);
      return d;
    },
  };
}
