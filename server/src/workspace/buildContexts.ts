import * as path from 'node:path';
import picomatch from 'picomatch';
import type { ContextLocator } from './buildScriptIndex';
import { toPosix } from './posixPath';

/**
 * Where each Dockerfile's build context is, for resolving the paths its COPY instructions name.
 * The usual context is the Dockerfile's folder; Compose `build.context`, bake files and
 * `docker build -f path/Dockerfile <context>` in scripts name others (often the repository root).
 * A copied path is looked up, in order, in the Dockerfile's folder, in the contexts named for it,
 * then in the folders above it up to the scan root — the first place where it exists wins; when it
 * exists nowhere, the Dockerfile's folder is assumed. Knows only the files it is told about (no disk access).
 */
export class BuildContexts {
  private readonly files: ReadonlySet<string>;
  private folders: Set<string> | undefined;
  private filesByFolder: Map<string, string[]> | undefined;
  private readonly globs = new Map<string, (p: string) => boolean>();
  private readonly named = new Map<string, Set<string>>();

  constructor(
    files: Iterable<string>,
    private readonly roots: readonly string[] = [],
  ) {
    this.files = new Set(files);
  }

  /** Records that `contextDir` is a build context of the Dockerfile at `dockerfilePath` (absolute paths). */
  addContext(dockerfilePath: string, contextDir: string): void {
    const contexts = this.named.get(dockerfilePath) ?? new Set<string>();
    contexts.add(contextDir);
    this.named.set(dockerfilePath, contexts);
  }

  /** The build contexts named for a Dockerfile (besides its folder). */
  contextsOf(dockerfilePath: string): string[] {
    return [...(this.named.get(dockerfilePath) ?? [])];
  }

  readonly locate: ContextLocator = (dockerfilePath, relative) => {
    const home = path.dirname(dockerfilePath);
    for (const candidate of this.candidates(dockerfilePath)) {
      const absolute = path.resolve(candidate, relative);
      if (this.exists(absolute)) return absolute;
    }
    return path.resolve(home, relative);
  };

  private candidates(dockerfilePath: string): string[] {
    const home = path.dirname(dockerfilePath);
    const list = [home, ...this.contextsOf(dockerfilePath)];
    const top = this.roots
      .filter((r) => home === r || home.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
      .sort((a, b) => a.length - b.length)[0];
    for (let dir = home; top !== undefined && dir !== top;) {
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
      list.push(dir);
    }
    return list;
  }

  private exists(absolute: string): boolean {
    const glob = absolute.search(/[*?[]/);
    if (glob < 0) return this.files.has(absolute) || this.folderSet().has(absolute);
    const folder = absolute.slice(0, absolute.lastIndexOf(path.sep, glob));
    let matches = this.globs.get(absolute);
    if (!matches) this.globs.set(absolute, (matches = picomatch(toPosix(absolute), { dot: true })));
    // A glob in the file name only: the files of that one folder; otherwise every file below the fixed part.
    const candidates =
      absolute.indexOf(path.sep, glob) < 0
        ? (this.byFolder().get(folder) ?? [])
        : [...this.files].filter((file) => file.startsWith(folder + path.sep));
    return candidates.some((file) => matches(toPosix(file)));
  }

  private byFolder(): Map<string, string[]> {
    if (!this.filesByFolder) {
      this.filesByFolder = new Map();
      for (const file of this.files) {
        const folder = path.dirname(file);
        const list = this.filesByFolder.get(folder);
        if (list) list.push(file);
        else this.filesByFolder.set(folder, [file]);
      }
    }
    return this.filesByFolder;
  }

  private folderSet(): Set<string> {
    if (!this.folders) {
      this.folders = new Set();
      for (const file of this.files) {
        for (let dir = path.dirname(file); !this.folders.has(dir); dir = path.dirname(dir)) {
          this.folders.add(dir);
          if (path.dirname(dir) === dir) break;
        }
      }
    }
    return this.folders;
  }
}
