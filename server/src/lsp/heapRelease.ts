import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Gives back the heap a long-lived server has just stopped needing (a Scan Workspace: with the small
 * young generation the server runs with, see nodeFlags.ts, every file's model is promoted to the old
 * space). V8 collects that old space only when it next grows, which an idle server never does.
 * Measured after a Scan Workspace of the corpus: the server kept 133 MB RSS (46–49 MB of heap used, 60
 * committed) for as long as it ran. One full collection frees the garbage (22 MB used) but keeps the
 * pages committed; a second one, sized on the small live heap, releases them: 30 MB committed and
 * 100–101 MB RSS once V8's unmapper has run (tens of milliseconds). Both take 50–160 ms together,
 * once per scan. Undefined when the runtime does not expose the collector.
 *
 * `gc` is exposed to a new context only, as test runners do to log heap use (jest's `--logHeapUsage`),
 * and the flag is turned off again so no other code sees it.
 */
export function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const exposed: unknown = runInNewContext('gc');
    if (typeof exposed !== 'function') return undefined;
    const gc = exposed as () => void;
    return () => {
      gc();
      gc();
    };
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * `fullCollection`, set up on the first call: exposing the collector creates a new context (about
 * 6 ms), which a server that never runs a Scan Workspace should not pay at start-up.
 */
export function fullCollectionOnFirstUse(): () => void {
  let collect: (() => void) | undefined | null = null;
  return () => {
    if (collect === null) collect = fullCollection();
    collect?.();
  };
}
