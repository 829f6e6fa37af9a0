import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiscoveredFile, discoverFiles } from '../workspace/discover';
import {
  addScriptUse,
  emptyScriptUse,
  emptyScriptIndex,
  mergeScriptIndex,
  ScriptIndex,
  ScriptUse,
} from '../workspace/buildScriptIndex';
import { BuildContexts } from '../workspace/buildContexts';
import { bakeDefinitions, isBakeFilePath } from '../workspace/buildDefinitions';
import type { BuildDefinition } from '../model/buildDefinition';
import { readDotenvBeside } from '../workspace/lintFile';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine } from '../engine/engine';
import { addScriptCopies, ScriptText } from '../workspace/scriptCopies';
import { addGeneratorCopies, GeneratorCopy } from '../workspace/generatorCopies';
import { readSource, readSourceSync } from '../workspace/readSource';
import { ScriptRunners } from '../pin/scriptRunners';
import type { ScriptRunner } from '../pin/packageTargets';
import type { FileKind } from '../engine/types';
import { visitWorkspace, WorkspaceFacts } from '../workspace/workspaceVisit';

const settings = { severities: {}, imagesAllow: [] };

/** Dockerfiles the index parses between two turns of the event loop, so the server answers meanwhile. */
const RUNNERS_PER_TURN = 10;

/**
 * Knows how the workspace's shell scripts run: which ones Dockerfiles copy in and run (in RUN, or
 * as ENTRYPOINT/CMD), copy into their images, and which Packer templates or dev container features
 * run, so those scripts are analysed in build context or as container code. Indexed once in the
 * background at start-up, updated as Dockerfiles are edited or scanned.
 */
export class BuildScriptTracker {
  /**
   * Each file's script use, relative to its build context. Files that copy in no file have no entry:
   * a workspace scan updates every Dockerfile, and most entries would then be empty.
   */
  private readonly uses = new Map<string, ScriptUse>();
  private templates = emptyScriptIndex();
  private contexts = new BuildContexts([]);
  private folders: string[] = [];
  /**
   * The workspace's scripts as read at indexing that may be copies of others (`copyCandidates`): a
   * copy of a container script runs where it does. The others' texts are not kept (4 MB on the corpus).
   */
  private twinScripts: ScriptText[] = [];
  private generatorCopies: GeneratorCopy[] = [];
  /** The workspace's files (BuildContexts finds copied paths among them). */
  private files = new Set<string>();
  /**
   * The builds each file defines (Compose, scripts, CI files, bake files), by absolute path: read at
   * indexing, read again when one changes (see `definingFileChanged`).
   */
  private readonly definitions = new Map<string, BuildDefinition[]>();
  private indexed = false;
  private merged: ScriptIndex | undefined;
  private readonly runners = new ScriptRunners();
  /**
   * Dockerfiles whose scripts were recorded (`record`) without the stages that run them: read when
   * a script they may run asks for its stage (`runnerOf`), a few among thousands.
   */
  private readonly stagesUnread = new Map<string, FileKind>();
  private engine: Engine | undefined;

  /**
   * Indexes the workspace: one visit of its files (see `visitWorkspace`), then the scripts each
   * Dockerfile runs (the stages that run them are read when a script asks: kept for every
   * Dockerfile, they held 3.9 MB on the corpus).
   * `isIgnored`: files the config leaves out (as the CLI does); `isOpen`: files an
   * editor holds, whose lint records what they run from the editor's text (see `update`), so the
   * index neither reads them from disk nor parses them a second time.
   */
  async index(
    engine: Engine,
    folders: readonly string[],
    options: { isIgnored?: (filePath: string) => boolean; isOpen?: (filePath: string) => boolean } = {},
  ): Promise<void> {
    const files: DiscoveredFile[] = [];
    const otherFiles: string[] = [];
    for await (const file of discoverFiles(folders, {
      onOtherFile: (p) => otherFiles.push(p),
      kinds: engine.kinds,
      ...(options.isIgnored ? { isIgnored: options.isIgnored } : {}),
    }))
      files.push(file);
    const facts = await visitWorkspace(engine, folders, files, otherFiles);
    if (!facts) return;
    this.adopt(engine, facts);
    let runners = 0;
    for (const runner of files) {
      if (!engine.runsScripts(runner.kind)) continue;
      if (++runners % RUNNERS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // Read and recorded in one turn: a document opened meanwhile is recorded by its lint, not from disk.
      if (options.isOpen?.(runner.path)) continue;
      const read = readSourceSync(runner.path);
      if ('text' in read) this.record(runner.path, engine.scriptUses({ ...runner, text: read.text }), runner.kind);
    }
  }

  /**
   * Takes what a visit of the workspace found (a Scan Workspace makes that visit anyway): the
   * workspace is then indexed but for the scripts Dockerfiles run, which the scan records as it
   * lints them (`record`).
   */
  adopt(engine: Engine, facts: WorkspaceFacts): void {
    this.engine = engine;
    this.folders = [...facts.folders];
    this.files = new Set(facts.files);
    this.twinScripts = facts.twinScripts;
    this.definitions.clear();
    for (const [filePath, definitions] of facts.definitions) this.definitions.set(filePath, definitions);
    this.contexts = this.newContexts();
    this.templates = facts.runs;
    this.generatorCopies = facts.generatorCopies;
    this.indexed = true;
    this.merged = undefined;
  }

  /** Whether the workspace is indexed, and every one of `folders` lies inside its folders. */
  covers(folders: readonly string[]): boolean {
    return this.indexed && folders.every((folder) => this.folders.some((f) => within(f, path.resolve(folder))));
  }

  /**
   * Records the scripts a file runs (nothing for kinds that run none); `model`: the file as a lint
   * parsed it. Returns whether that changed what the workspace's scripts run as.
   */
  update(engine: Engine, file: { path: string; kind: FileKind }, text: string, model?: DocumentModel): boolean {
    if (!engine.runsScripts(file.kind)) return false;
    const parsed = model ?? engine.model({ uri: pathToFileURL(file.path).toString(), text, kind: file.kind, settings });
    this.engine = engine;
    this.runners.set(file.path, parsed, this.label(file.path));
    this.stagesUnread.delete(file.path);
    return this.recordUse(file.path, engine.scriptUses({ path: file.path, kind: file.kind, text }, parsed));
  }

  /**
   * Records the scripts a file runs, as a lint on any thread listed them; returns whether they
   * changed. With its `kind`, the stages that run them are read when a script asks (`runnerOf`).
   */
  record(filePath: string, use: ScriptUse, kind?: FileKind): boolean {
    if (kind !== undefined && use.build.length > 0) this.stagesUnread.set(filePath, kind);
    else {
      this.stagesUnread.delete(filePath);
      this.runners.set(filePath, undefined, '');
    }
    return this.recordUse(filePath, use);
  }

  private recordUse(filePath: string, use: ScriptUse): boolean {
    if (Object.values(use).every((list: string[]) => list.length === 0)) {
      if (!this.uses.delete(filePath)) return false;
      this.merged = undefined;
      return true;
    }
    const previous = this.uses.get(filePath);
    if (previous && JSON.stringify(previous) === JSON.stringify(use)) return false;
    this.uses.set(filePath, use);
    this.merged = undefined;
    return true;
  }

  /**
   * Whether `definingFileChanged` is sure to record what an edited document at `filePath` runs: the
   * workspace is indexed and holds it. (Before indexing it records every document, but the index
   * may be done by the time it runs and leave out a file outside the workspace.)
   */
  recordsEdits(filePath: string): boolean {
    return this.indexed && this.folders.some((folder) => within(folder, filePath));
  }

  /**
   * A file that may define builds or run scripts changed, in the editor (`change.text`) or on disk
   * (`'disk'`: read it; `'deleted'`): a Compose file, a bake file, a CI file, a script. Its builds
   * (contexts, Dockerfiles, named contexts) and, for kinds that run scripts, the scripts it runs are
   * read again. Returns whether that changed what the workspace's builds give its Dockerfiles and
   * scripts — then open Dockerfiles and scripts must be linted again. Before the workspace is
   * indexed only what an edited document runs is recorded (the index reads every other file).
   */
  async definingFileChanged(
    engine: Engine,
    file: { path: string; kind: FileKind | undefined },
    change: { text: string } | 'disk' | 'deleted',
  ): Promise<boolean> {
    const absolute = path.resolve(file.path);
    if (!this.indexed)
      return typeof change === 'object' && !!file.kind && engine.runsScripts(file.kind)
        ? this.update(engine, { path: absolute, kind: file.kind }, change.text)
        : false;
    if (!this.folders.some((folder) => within(folder, file.path))) return false;
    let text: string | undefined;
    if (typeof change === 'object') text = change.text;
    else if (change === 'disk') {
      const read = await readSource(absolute);
      if ('text' in read) text = read.text;
    }
    const exists = change !== 'deleted';
    const filesChanged = exists !== this.files.has(absolute);
    if (exists) this.files.add(absolute);
    else this.files.delete(absolute);
    let definitions: BuildDefinition[] = [];
    if (isBakeFilePath(absolute) && exists) {
      const builds = await bakeDefinitions(absolute, { within: this.folders, ...(text === undefined ? {} : { text }) });
      definitions = 'skipped' in builds ? [] : builds;
    } else if (file.kind && text !== undefined && engine.kinds.get(file.kind).buildDefinitions) {
      const dotenv = engine.kinds.get(file.kind).readsDotenv ? { dotenv: readDotenvBeside(absolute) ?? null } : {};
      definitions = engine.buildDefinitions({ path: absolute, kind: file.kind, text, ...dotenv });
    }
    let changed = this.setDefinitions(absolute, definitions) || filesChanged;
    if (changed) {
      this.contexts = this.newContexts();
      this.merged = undefined;
    }
    if (file.kind && engine.runsScripts(file.kind))
      changed =
        (text === undefined
          ? this.record(absolute, emptyScriptUse())
          : this.update(engine, { path: absolute, kind: file.kind }, text)) || changed;
    return changed;
  }

  /** Keeps a file's builds; returns whether they differ from those kept before. */
  private setDefinitions(filePath: string, definitions: BuildDefinition[]): boolean {
    const previous = this.definitions.get(filePath) ?? [];
    if (JSON.stringify(previous) === JSON.stringify(definitions)) return false;
    if (definitions.length > 0) this.definitions.set(filePath, definitions);
    else this.definitions.delete(filePath);
    return true;
  }

  private newContexts(): BuildContexts {
    const contexts = new BuildContexts(this.files, this.folders);
    this.addDefinitionsTo(contexts);
    return contexts;
  }

  /**
   * Records in `contexts` the builds the workspace's Compose files, scripts, CI files and bake
   * files define, as last read (a workspace scan's contexts get them too).
   */
  addDefinitionsTo(contexts: BuildContexts): void {
    for (const [filePath, definitions] of this.definitions)
      for (const definition of definitions) contexts.addDefinition(path.resolve(filePath), definition);
  }

  /** The named build contexts the workspace's builds give a Dockerfile (see `LintInput.namedContexts`). */
  namedContextsOf(dockerfilePath: string): string[] {
    return this.contexts.namedContextsOf(dockerfilePath);
  }

  /** The build stage a script runs in, for pinning its packages (see ScriptRunners). */
  runnerOf(scriptPath: string): ScriptRunner {
    const script = path.resolve(scriptPath);
    for (const [dockerfile, kind] of this.stagesUnread) {
      const use = this.uses.get(dockerfile);
      if (!this.engine || !use?.build.some((source) => this.contexts.locate(dockerfile, source) === script)) continue;
      this.stagesUnread.delete(dockerfile);
      const read = readSourceSync(dockerfile);
      const uri = pathToFileURL(dockerfile).toString();
      const model = 'text' in read ? this.engine.model({ uri, text: read.text, kind, settings }) : undefined;
      this.runners.set(dockerfile, model, this.label(dockerfile));
    }
    return this.runners.runnerOf(scriptPath, this.contexts.locate);
  }

  private label(filePath: string): string {
    const folder = this.folders.find((f) => filePath.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
    return folder ? path.relative(folder, filePath) : filePath;
  }

  /** The workspace folders, below which CI folders are recognised. */
  roots(): readonly string[] {
    return this.folders;
  }

  scripts(): ScriptIndex {
    if (!this.merged) {
      const merged = emptyScriptIndex();
      for (const [runner, use] of this.uses) addScriptUse(merged, runner, use, this.contexts.locate);
      mergeScriptIndex(merged, this.templates);
      addGeneratorCopies(merged, this.generatorCopies, this.folders);
      addScriptCopies(merged, this.twinScripts, this.folders);
      this.merged = merged;
    }
    return this.merged;
  }
}

function within(folder: string, filePath: string): boolean {
  return filePath === folder || filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
