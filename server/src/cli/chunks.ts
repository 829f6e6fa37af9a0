/**
 * Hands out the next tasks (indexes into a phase's task list) to a thread that asks; thread 0 is
 * the main thread, 1… the workers. Every index is handed out exactly once.
 */
export interface ChunkSource {
  next(thread: number): number[] | undefined;
  /** True while tasks are held for `thread` alone that it has not taken yet. */
  holdsFor(thread: number): boolean;
  /** `thread` is gone: whatever was held for it goes to the main thread. */
  release(thread: number): void;
}

/** Estimated lint cost of a file: its length plus a fixed cost per file (settings, parse set-up). */
export function taskCost(textLength: number): number {
  return textLength + PER_FILE_COST;
}

const PER_FILE_COST = 1500;
const MIN_CHUNK_COST = 8 * 1024;
const MAX_CHUNK_COST = 64 * 1024;

/**
 * One shared queue in task order. Chunks shrink as the queue drains (a quarter of each thread's
 * remaining share, within bounds), so all threads finish at about the same time while messages stay
 * few.
 */
export class SharedChunks implements ChunkSource {
  private nextIndex = 0;
  private remaining: number;

  constructor(
    private readonly costs: readonly number[],
    private readonly threads: number,
  ) {
    this.remaining = costs.reduce((a, b) => a + b, 0);
  }

  next(): number[] | undefined {
    if (this.nextIndex >= this.costs.length) return undefined;
    const target = Math.min(MAX_CHUNK_COST, Math.max(MIN_CHUNK_COST, this.remaining / (this.threads * 4)));
    const chunk: number[] = [];
    let cost = 0;
    while (this.nextIndex < this.costs.length && (chunk.length === 0 || cost < target)) {
      cost += this.costs[this.nextIndex]!;
      chunk.push(this.nextIndex++);
    }
    this.remaining -= cost;
    return chunk;
  }

  holdsFor(): boolean {
    return false;
  }

  release(): void {}
}

/**
 * Each task pinned to one thread (modulo the thread count), one task per chunk: tests place files on
 * chosen threads.
 */
export class PinnedChunks implements ChunkSource {
  private readonly queues = new Map<number, number[]>();

  constructor(threadOf: readonly number[], threads: number) {
    threadOf.forEach((pinned, index) => {
      const thread = ((pinned % threads) + threads) % threads;
      const queue = this.queues.get(thread) ?? [];
      queue.push(index);
      this.queues.set(thread, queue);
    });
  }

  next(thread: number): number[] | undefined {
    const index = this.queues.get(thread)?.shift();
    return index === undefined ? undefined : [index];
  }

  holdsFor(thread: number): boolean {
    return (this.queues.get(thread)?.length ?? 0) > 0;
  }

  release(thread: number): void {
    const held = this.queues.get(thread) ?? [];
    this.queues.delete(thread);
    if (held.length > 0) this.queues.set(0, [...(this.queues.get(0) ?? []), ...held]);
  }
}
