/** Values computed at most once, by key, for the lifetime of one parsed document. */
export class MemoTable {
  private readonly values = new Map<string, unknown>();

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The value for `key`, computed by `compute` on first use. */
  get<T>(key: string, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = compute();
    this.values.set(key, value);
    return value;
  }
}
