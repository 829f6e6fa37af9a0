import * as fs from 'node:fs';
import { checkEngine, EngineFailure } from './harness';
import { corpusFiles, prng } from './corpus';
import { mutate } from './mutators';

export interface FuzzFailure extends EngineFailure {
  seed: number;
  iteration: number;
  file: string;
  mutations: string[];
}

export interface FuzzStats {
  mutations: number;
  analysed: number;
  skipped: number;
  failures: FuzzFailure[];
  byMutator: Record<string, number>;
  slowest: { ms: number; kb: number; file: string; mutations: string[] };
}

/**
 * Mutates `count` corpus files (chosen and mutated from `seed`, so a failure replays) and runs each
 * through the decode path and the engine. Returns what failed, never throws for a finding.
 */
export async function fuzzCorpus(
  seed: number,
  count: number,
  onProgress?: (done: number) => void,
  budgetFactor = 1,
): Promise<FuzzStats> {
  const files = await corpusFiles();
  const random = prng(seed);
  const stats: FuzzStats = {
    mutations: 0,
    analysed: 0,
    skipped: 0,
    failures: [],
    byMutator: {},
    slowest: { ms: 0, kb: 0, file: '', mutations: [] },
  };
  const donor = () => fs.readFileSync(files[Math.floor(random() * files.length)]!.path);
  for (let i = 0; i < count; i++) {
    const file = files[Math.floor(random() * files.length)]!;
    const { bytes, applied } = mutate(fs.readFileSync(file.path), file.kind, random, donor);
    stats.mutations++;
    applied.forEach((m) => {
      stats.byMutator[m] = (stats.byMutator[m] ?? 0) + 1;
    });
    const check = checkEngine(bytes, file.kind, {
      budgetFactor,
      shellContext: random() < 0.5 ? 'build' : 'live',
      ...(file.kind === 'compose' && random() < 0.3 ? { dotenv: 'TAG=1.0\nIMAGE=nginx:latest\nX=${Y:-z}\n' } : {}),
    });
    if (check.skipped) stats.skipped++;
    else stats.analysed++;
    if (check.ms > stats.slowest.ms)
      stats.slowest = { ms: check.ms, kb: bytes.length / 1024, file: file.path, mutations: applied };
    for (const f of check.failures)
      stats.failures.push({ ...f, seed, iteration: i, file: file.path, mutations: applied });
    onProgress?.(i + 1);
  }
  return stats;
}
