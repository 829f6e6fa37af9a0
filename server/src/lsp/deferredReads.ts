/** The timers deferred work waits on; tests pass a clock they move themselves. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Work kept off the keystroke path until typing pauses: reading again what a file tells other
 * files (the builds it defines, the files a script sources), each a full parse of a large file.
 *
 * Contract: waiting tasks run once `delayMs` have passed since the last deferral or the end of the
 * last lint, whichever is later, with no lint pending or running (of any document) then; a task
 * deferred again under the same key replaces the waiting one. So it never lands between two keystrokes of
 * any document, even when one keystroke's lint takes longer than the delay on a busy machine: the
 * wait starts over once that lint has published. (Measured on the bench's 3,000-line script: a
 * re-read armed when a keystroke arrived fired right after a lint slower than the delay and delayed
 * the next keystroke, the slowest samples of a session.)
 */
export class DeferredReads {
  private readonly tasks = new Map<string, () => void>();
  private timer: unknown;

  constructor(
    private readonly delayMs: number,
    /** Whether a lint is pending or running. */
    private readonly linting: () => boolean,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** Runs `task` once typing pauses, in place of the task waiting under `key`. */
  defer(key: string, task: () => void): void {
    this.tasks.set(key, task);
    this.wait();
  }

  /** A lint ended (published, abandoned or skipped): waiting tasks wait the whole delay from now. */
  lintEnded(): void {
    if (this.tasks.size > 0) this.wait();
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.tasks.clear();
  }

  private wait(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => this.due(), this.delayMs);
  }

  private due(): void {
    this.timer = undefined;
    // The lint in flight calls lintEnded() when it ends, which starts the wait again.
    if (this.linting()) return;
    const tasks = [...this.tasks.values()];
    this.tasks.clear();
    for (const task of tasks) task();
  }
}
