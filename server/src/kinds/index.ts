import type { KindAdapter, KindPath, PathClaim } from './kind';
import { dockerfile } from './dockerfile';
import { compose } from './compose';
import { shell } from './shell';
import { action, workflow } from './github';
import { gitlabCi } from './gitlabCi';
import { devcontainer } from './devcontainer';

export type { KindAdapter, KindPath, PathClaim } from './kind';

/** The kinds of file DriftGuard analyses. Adding one: an adapter module beside this file, and its line below. */
export type FileKind = 'dockerfile' | 'compose' | 'shell' | 'workflow' | 'action' | 'gitlab-ci' | 'devcontainer';

/** Adapters by kind id, a kind's `id` being its key. Listed first wins a tie in detection. */
// Each adapter has its own model type, which `unknown` would reject (parameters are contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KindTable<K extends string = string> = { readonly [Id in K]: KindAdapter<any, Id> };

/** Every kind, by id. The compiler checks that each kind has an adapter and each adapter is complete. */
export const KINDS = {
  dockerfile,
  compose,
  shell,
  workflow,
  action,
  'gitlab-ci': gitlabCi,
  devcontainer,
} as const satisfies KindTable<FileKind>;

const CLAIM_STRENGTH: Readonly<Record<PathClaim, number>> = { folder: 3, name: 2, extension: 1 };

/** A table of kinds and the questions hosts ask of it: which kind a file is, what the editor selects. */
export class KindRegistry<K extends string = FileKind> {
  /** Adapters in table order. */
  readonly all: ReadonlyArray<KindAdapter<unknown, K>>;

  constructor(readonly table: KindTable<K>) {
    this.all = Object.values<KindAdapter<unknown, K>>(table);
  }

  get(kind: K): KindAdapter<unknown, K> {
    return this.table[kind];
  }

  /**
   * The kind of a file from its path (the strongest claim wins, see `PathClaim`), or for files no
   * kind claims by path from `firstLine` (a shebang). Undefined: DriftGuard does not analyse it.
   */
  detect(path: string, firstLine?: string): K | undefined {
    const file = kindPath(path);
    let best: K | undefined;
    let bestStrength = 0;
    for (const adapter of this.all) {
      const claim = adapter.detection.byPath?.(file);
      if (claim && CLAIM_STRENGTH[claim] > bestStrength) {
        best = adapter.id;
        bestStrength = CLAIM_STRENGTH[claim];
      }
    }
    if (best !== undefined || firstLine === undefined) return best;
    for (const adapter of this.all) {
      const byFirstLine = adapter.detection.byFirstLine;
      if (byFirstLine?.worthReading(file) && byFirstLine.claims(firstLine, file)) return adapter.id;
    }
    return undefined;
  }

  /**
   * Whether a file's first line must be read to tell its kind: no kind claims its path, and one may claim its first
   * line.
   */
  needsFirstLine(path: string): boolean {
    if (this.detect(path) !== undefined) return false;
    const file = kindPath(path);
    return this.all.some((adapter) => adapter.detection.byFirstLine?.worthReading(file));
  }

  /**
   * The kind of an editor document: a kind's own language id decides; a generic one (`yaml`) only
   * when the path names a kind that accepts it; any other language id leaves it to the path.
   */
  detectInEditor(languageId: string, path: string, firstLine?: string): K | undefined {
    const byPath = this.detect(path, firstLine);
    const owner = this.all.find((adapter) => adapter.editor.languageIds.includes(languageId));
    if (owner) return owner.id;
    if (this.all.some((adapter) => adapter.editor.sharedLanguageIds?.includes(languageId)))
      return byPath !== undefined && this.get(byPath).editor.sharedLanguageIds?.includes(languageId)
        ? byPath
        : undefined;
    return byPath;
  }

  /** The language id a document of this kind is opened with (its first own language id). */
  languageId(kind: K): string {
    const editor = this.get(kind).editor;
    return editor.languageIds[0] ?? editor.sharedLanguageIds?.[0] ?? 'plaintext';
  }

  /** The `workspaceContains:` paths of every kind, in table order (the manifest's activation events list them). */
  workspaceMarkers(): string[] {
    return this.all.flatMap((adapter) => adapter.editor.workspaceMarkers ?? []);
  }

  /** What the editor client selects: every kind's own language ids, then the kinds' file patterns. */
  documentSelector(): Array<{ language: string } | { scheme: 'file'; pattern: string }> {
    return [
      ...this.all.flatMap((adapter) => adapter.editor.languageIds.map((language) => ({ language }))),
      ...this.all.flatMap((adapter) =>
        (adapter.editor.filePatterns ?? []).map((pattern) => ({ scheme: 'file' as const, pattern })),
      ),
    ];
  }
}

function kindPath(path: string): KindPath {
  const posix = path.replace(/\\/g, '/');
  return { path: posix, base: posix.slice(posix.lastIndexOf('/') + 1) };
}

/** The built-in kinds. */
export const FILE_KINDS = new KindRegistry<FileKind>(KINDS);
