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
 * script that the index does place: a template that a generator copies beside each Dockerfile
 * (`cp docker-entrypoint.sh "$dir/entrypoint.sh"`), a shared library script synced into each image
 * folder. A copy runs the way its twin does: at build, in containers, or on a CI runner.
 */
export function addScriptCopies(index: ScriptIndex, scripts: readonly ScriptText[], roots: readonly string[]): void {
  const placed = new Map<string, ScriptText>();
  const unplaced: Array<{ script: ScriptText; digest: string }> = [];
  for (const script of scripts) {
    if (script.text.length < MIN_COPY_LENGTH) continue;
    const digest = createHash('sha256').update(script.text).digest('hex');
    if (placeOf(script, index, roots) === 'host') unplaced.push({ script, digest });
    else if (!placed.has(digest)) placed.set(digest, script);
  }
  for (const { script, digest } of unplaced) {
    const twin = placed.get(digest);
    if (!twin) continue;
    const place = placeOf(twin, index, roots);
    if (place === 'build') index.build.add(script.path);
    else if (place === 'container') index.entrypoint.add(script.path);
    else if (place === 'ephemeral') index.ephemeral.add(script.path);
  }
}

function placeOf(
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
