import { createHash } from 'node:crypto';
import type { ScriptIndex } from './buildScriptIndex';
import { scriptContextOf } from './scriptContext';

/** A shell script of the workspace, as read from disk. */
export interface ScriptText {
  /** Absolute path. */
  path: string;
  text: string;
}

/**
 * Shorter scripts are left alone: two small files (`exec "$@"`) can be equal by chance, while a
 * longer one equal to another byte for byte is a copy of it.
 */
const MIN_COPY_LENGTH = 256;

/**
 * Gives a script that nothing places (it would run on the host) the place of a byte-identical
 * script that runs inside containers: a template that a generator copies beside each Dockerfile
 * (`cp docker-entrypoint.sh "$dir/entrypoint.sh"`) is the entrypoint its copies are. Copies of build
 * or CI scripts are left alone: a product's host installer is often also run by a test image's
 * build or a CI job, and it still runs on hosts.
 */
export function addScriptCopies(index: ScriptIndex, scripts: readonly ScriptText[], roots: readonly string[]): void {
  const inContainers = new Set<string>();
  const unplaced: Array<{ script: ScriptText; digest: string }> = [];
  for (const script of scripts) {
    if (script.text.length < MIN_COPY_LENGTH) continue;
    const digest = digestOf(script.text);
    const place = placeOf(script, index, roots);
    if (place === 'host') unplaced.push({ script, digest });
    else if (place === 'container') inContainers.add(digest);
  }
  for (const { script, digest } of unplaced) if (inContainers.has(digest)) index.entrypoint.add(script.path);
}

/**
 * The scripts `addScriptCopies` can place, in their order: those long enough whose text another one
 * shares. A script whose text no other script has is never placed by it (its twin would be itself),
 * so a host that keeps the scripts for later calls keeps these alone (none of the corpus's 1,635, 17
 * on corpus-eval).
 */
export function copyCandidates(scripts: readonly ScriptText[]): ScriptText[] {
  const digests = scripts.map((script) => (script.text.length < MIN_COPY_LENGTH ? '' : digestOf(script.text)));
  const counts = new Map<string, number>();
  for (const digest of digests) if (digest) counts.set(digest, (counts.get(digest) ?? 0) + 1);
  return scripts.filter((_, i) => (counts.get(digests[i] ?? '') ?? 0) > 1);
}

const digestOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** Where a script runs by what the index and the script itself say. */
export function placeOf(
  script: ScriptText,
  index: ScriptIndex,
  roots: readonly string[],
): 'build' | 'container' | 'ephemeral' | 'host' {
  const firstLine = script.text.slice(0, script.text.indexOf('\n') >>> 0);
  const context = scriptContextOf(
    { path: script.path, firstLine, configuredBuildScript: false, text: script.text },
    index,
    roots,
  );
  if (context.shellContext === 'build' || context.shellContext === 'ephemeral') return context.shellContext;
  return context.scriptRole === 'entrypoint' ? 'container' : 'host';
}
