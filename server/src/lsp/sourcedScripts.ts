import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import { sameSourcedVariables, type SourcedVariables } from '../shell/commandVariables';
import { ReadScript, SourcedResult, SourcedVariablesReader } from '../workspace/sourcedVariables';

/**
 * The editor's side of `LintInput.sourcedVariables`: what the files each script sources give it,
 * read as the CLI reads them (SourcedVariablesReader, inside the workspace folders) but with the
 * editor's unsaved text of open files, and which scripts read which sourced files, so a change to
 * one (typed, saved, or on disk) re-lints the scripts that source it.
 *
 * The keystroke path reuses the last result: a script's own `source` lines are read again once
 * typing pauses (`refresh`), or at once when it is first linted.
 */
export class SourcedScripts {
  private reader: SourcedVariablesReader | undefined;
  /** By script path (open documents and scanned files alike). */
  private readonly results = new Map<string, SourcedResult>();

  constructor(
    private readonly folders: () => readonly string[],
    /** The text of a file open in the editor, by absolute path. */
    private readonly openText: (filePath: string) => string | undefined,
  ) {}

  /** The reader shared by the editor and the workspace scan. */
  readerFor(engine: Engine): SourcedVariablesReader {
    return (this.reader ??= new SourcedVariablesReader(engine, {
      within: this.folders(),
      known: (p) => this.openText(p),
    }));
  }

  /** The variables to lint a script with: the last ones worked out, or worked out now the first time. */
  variablesFor(engine: Engine, script: ReadScript): SourcedVariables | undefined {
    const key = path.resolve(script.path);
    let result = this.results.get(key);
    if (!result) this.results.set(key, (result = this.readerFor(engine).variablesOf(script)));
    return result.variables;
  }

  /** Works a script's variables out again (a scan or a rescan lints it from disk now). */
  resolve(engine: Engine, script: ReadScript): SourcedVariables | undefined {
    const result = this.readerFor(engine).variablesOf(script);
    this.results.set(path.resolve(script.path), result);
    return result.variables;
  }

  /** Works a script's variables out again; whether they changed since its last lint. */
  refresh(engine: Engine, script: ReadScript): boolean {
    const before = this.results.get(path.resolve(script.path));
    const after = this.resolve(engine, script);
    return !before || !sameSourcedVariables(before.variables, after);
  }

  /** The scripts (paths) whose variables were read from `filePath`. */
  dependents(filePath: string): string[] {
    const changed = path.resolve(filePath);
    return [...this.results].filter(([, r]) => r.files.includes(changed)).map(([script]) => script);
  }

  /** Every sourced file some script read, sorted: the files to watch on disk. */
  files(): string[] {
    return [...new Set([...this.results.values()].flatMap((r) => r.files))].sort();
  }

  forget(filePath: string): void {
    this.results.delete(path.resolve(filePath));
  }
}
