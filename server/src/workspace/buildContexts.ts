import { BuildDefinition, isLocalContext } from '../model/buildDefinition';
import { namedContextPath } from '../shell/stageFiles';
import * as path from 'node:path';
import type { ContextLocator } from './buildScriptIndex';
import { globMatcher } from './globMatcher';
import { toPosix } from './posixPath';

/**
 * Where each Dockerfile's build context is, for resolving the paths its COPY instructions name.
 * The usual context is the Dockerfile's folder; Compose `build.context`, bake files and
 * `docker build -f path/Dockerfile <context>` in scripts name others (often the repository root).
 * A copied path is looked up, in order, in the contexts named for the Dockerfile, in its folder,
 * then in the folders above it up to the scan root — the first place where it exists wins; when it
 * exists nowhere, the Dockerfile's folder is assumed. A path in a named context
 * (`COPY --from=templates`, listed as `context://templates/…`) is looked up in the local folders
 * named `templates` for the Dockerfile, and nowhere else. Knows only the files it is told about
 * (no disk access).
 */
export class BuildContexts {
  private readonly files: ReadonlySet<string>;
  private folders: Set<string> | undefined;
  private filesByFolder: Map<string, string[]> | undefined;
  private readonly globs = new Map<string, (p: string) => boolean>();
  private readonly named = new Map<string, Set<string>>();
  /** By Dockerfile: named context → its local folders (none: an image, a target, a URL, or not known). */
  private readonly namedContexts = new Map<string, Map<string, Set<string>>>();

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

  /** Records a named build context of a Dockerfile; `folder`: where it is, when it is a local folder. */
  addNamedContext(dockerfilePath: string, name: string, folder?: string): void {
    const byName = this.namedContexts.get(dockerfilePath) ?? new Map<string, Set<string>>();
    const folders = byName.get(name.toLowerCase()) ?? new Set<string>();
    if (folder !== undefined) folders.add(folder);
    byName.set(name.toLowerCase(), folders);
    this.namedContexts.set(dockerfilePath, byName);
  }

  /**
   * Records a build another file defines (`definedIn`: that file's absolute path). Paths against the
   * working directory (command lines, which often `cd` to the repository first) are tried against
   * the file's folder, the folders above it up to the scan root, then each root; the first base where
   * the Dockerfile is one of the known files is taken. Nothing is recorded when it is not found.
   */
  addDefinition(definedIn: string, definition: BuildDefinition): void {
    const folder = path.dirname(definedIn);
    const bases = definition.base === 'file' ? [folder] : [...this.upToRoot(folder), ...this.roots];
    for (const base of bases) {
      const dockerfile = path.resolve(base, definition.dockerfile);
      if (!this.files.has(dockerfile)) continue;
      this.addContext(dockerfile, path.resolve(base, definition.context));
      for (const [name, value] of definition.namedContexts)
        this.addNamedContext(dockerfile, name, isLocalContext(value) ? path.resolve(base, value) : undefined);
      return;
    }
  }

  /** The build contexts named for a Dockerfile (besides its folder). */
  contextsOf(dockerfilePath: string): string[] {
    return [...(this.named.get(dockerfilePath) ?? [])];
  }

  /** Names of the named build contexts known for a Dockerfile (lower case, sorted). */
  namedContextsOf(dockerfilePath: string): string[] {
    return [...(this.namedContexts.get(dockerfilePath)?.keys() ?? [])].sort();
  }

  readonly locate: ContextLocator = (dockerfilePath, relative) => {
    const named = namedContextPath(relative);
    if (named) {
      const folders = this.namedContexts.get(dockerfilePath)?.get(named.context.toLowerCase()) ?? [];
      for (const folder of folders) {
        const absolute = path.resolve(folder, named.path);
        if (this.exists(absolute)) return absolute;
      }
      return undefined;
    }
    const home = path.dirname(dockerfilePath);
    for (const candidate of this.candidates(dockerfilePath)) {
      const absolute = path.resolve(candidate, relative);
      if (this.exists(absolute)) return absolute;
    }
    return path.resolve(home, relative);
  };

  private candidates(dockerfilePath: string): string[] {
    return [...this.contextsOf(dockerfilePath), ...this.upToRoot(path.dirname(dockerfilePath))];
  }

  /** `folder` and the folders above it up to the outermost root holding it (only `folder` when none does). */
  private upToRoot(folder: string): string[] {
    const list = [folder];
    const top = this.roots
      .filter((r) => folder === r || folder.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
      .sort((a, b) => a.length - b.length)[0];
    for (let dir = folder; top !== undefined && dir !== top;) {
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
    if (!matches) this.globs.set(absolute, (matches = globMatcher(toPosix(absolute))));
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
