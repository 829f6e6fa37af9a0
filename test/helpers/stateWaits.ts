/**
 * Waits on states a test observes, never on a clock: whatever changes one of them calls `changed()`,
 * which wakes every `until` to test its condition again.
 */
export class StateWaits {
  private readonly waiting: Array<() => void> = [];

  readonly changed = (): void => this.waiting.splice(0).forEach((wake) => wake());

  async until(ok: () => boolean): Promise<void> {
    while (!ok()) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
