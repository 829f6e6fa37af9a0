import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileKind } from '../../server/src/engine/types';
import { discoverFiles } from '../../server/src/workspace/discover';
import { REPO_ROOT } from '../helpers/repo';

/** The shared corpus: `$DRIFTGUARD_CORPUS`, else `../shared/corpus` beside the repository. */
export function corpusRoot(): string {
  const root = process.env.DRIFTGUARD_CORPUS
    ? path.resolve(process.env.DRIFTGUARD_CORPUS)
    : path.resolve(REPO_ROOT, '../shared/corpus');
  if (!fs.existsSync(root)) throw new Error(`corpus not found at ${root} (set DRIFTGUARD_CORPUS)`);
  return root;
}

export interface CorpusFile {
  path: string;
  kind: FileKind;
}

let cached: CorpusFile[] | undefined;

/** Every file DriftGuard analyses in the corpus, sorted by path (stable across machines). */
export async function corpusFiles(): Promise<CorpusFile[]> {
  if (!cached) {
    const files: CorpusFile[] = [];
    for await (const file of discoverFiles([corpusRoot()])) files.push({ path: file.path, kind: file.kind });
    cached = files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return cached;
}

/** A deterministic sample of `n` files (every kind represented), from a seed. */
export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** mulberry32: a small seeded PRNG, so a failing seed replays exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
