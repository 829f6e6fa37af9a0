import { compareDebianVersions } from '../dpkgVersion';

/** The newest version of each package for one architecture (plus `all`), with where it was seen. */
export type DebianVersions = Map<string, { version: string; source: string }>;

/**
 * Reads a `Packages` index as it streams in (text chunks in order), keeping for each package only
 * the highest version built for `architecture` or `all`. Nothing else of the (large) text is kept.
 */
export class PackagesIndexReader {
  private partial = '';
  private name: string | undefined;
  private version: string | undefined;
  private arch: string | undefined;

  constructor(
    private readonly architecture: string,
    private readonly source: string,
    readonly into: DebianVersions = new Map(),
  ) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.line(text, start, newline);
      start = newline + 1;
    }
    this.partial = text.slice(start);
  }

  end(): DebianVersions {
    if (this.partial) this.line(this.partial, 0, this.partial.length);
    this.partial = '';
    this.commit();
    return this.into;
  }

  private line(text: string, start: number, end: number): void {
    if (text.charCodeAt(end - 1) === 13) end--;
    if (end === start) {
      this.commit();
      return;
    }
    const first = text.charCodeAt(start);
    // Only three fields matter; every other line is skipped on its first character.
    if (first === 80 && text.startsWith('Package:', start)) this.name = text.slice(start + 8, end).trim();
    else if (first === 86 && text.startsWith('Version:', start)) this.version = text.slice(start + 8, end).trim();
    else if (first === 65 && text.startsWith('Architecture:', start)) this.arch = text.slice(start + 13, end).trim();
  }

  private commit(): void {
    const { name, version, arch } = this;
    this.name = this.version = this.arch = undefined;
    if (!name || !version || (arch !== this.architecture && arch !== 'all')) return;
    const known = this.into.get(name);
    if (!known || compareDebianVersions(version, known.version) > 0)
      this.into.set(name, { version, source: this.source });
  }
}
