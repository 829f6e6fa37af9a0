import * as path from 'node:path';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine, ModelSource, ReadableFile } from '../engine/engine';

/**
 * The model of the file a host's passes are on, for passes that visit each file in turn for
 * several purposes (the builds it defines, the scripts it runs in throwaway containers, the copies
 * it makes): each file is parsed and analysed once instead of once per purpose. Only the last
 * file's model is kept: kept for every file until the passes end (or until the files' lints), the
 * models held every parse at once and the collector's extra work cost more than the parses saved
 * (measured on the corpus). Compose parses are the exception: the scans keep those for the files'
 * lints (`parsedBefore`, see lintPhase), which read them again instead of parsing the YAML twice.
 */
export class CurrentModel implements ModelSource {
  private current: DocumentModel | undefined;
  private currentPath: string | undefined;

  constructor(private readonly engine: Engine) {}

  readModel(file: ReadableFile): DocumentModel {
    const known = this.modelOf(file);
    if (known) return known;
    this.currentPath = path.resolve(file.path);
    return (this.current = this.engine.readModel(file));
  }

  /** The model a pass last read, when it was read for `file` (none: no pass needed one). */
  modelOf(file: ReadableFile): DocumentModel | undefined {
    const known = this.current;
    const dotenv = typeof file.dotenv === 'string' ? file.dotenv : undefined;
    return known &&
      this.currentPath === path.resolve(file.path) &&
      known.input.kind === file.kind &&
      known.input.text === file.text &&
      known.input.dotenv === dotenv
      ? known
      : undefined;
  }
}
