import type { RegistryClient } from '../registry';
import { RegistryError } from '../registry';
import { PinFacts, PinTarget, wantsVersion } from './rewrite';

/** Looks up what a pin needs; errors become the user-facing message of the RegistryError. */
export async function resolvePinFacts(
  client: RegistryClient,
  target: PinTarget,
  signal?: AbortSignal,
): Promise<PinFacts> {
  const reference = target.reference.split('@')[0]!;
  if (wantsVersion(target.strategy)) {
    const match = await client.findVersionForLatest(reference, signal);
    if (match) return { digest: match.platformDigest ?? match.digest, version: match.tag };
  }
  const resolved = await client.resolveDigest(reference, signal);
  return { digest: resolved.platformDigest ?? resolved.digest };
}

export function describeFailure(error: unknown): string {
  if (error instanceof RegistryError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
