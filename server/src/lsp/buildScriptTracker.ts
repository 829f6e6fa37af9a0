import * as path from 'node:path';
import { discoverFiles } from '../workspace/discover';
import {
  addScriptUse,
  addTemplateScripts,
  emptyScriptUse,
  emptyScriptIndex,
  mergeScriptIndex,
  ScriptIndex,
  ScriptUse,
} from '../workspace/buildScriptIndex';
import { BuildContexts } from '../workspace/buildContexts';
import { bakeDefinitions, DefiningSource, isBakeFilePath, readDefiningSources } from '../workspace/buildDefinitions';
import type { BuildDefinition } from '../model/buildDefinition';
import { readDotenvBeside } from '../workspace/lintFile';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine } from '../engine/engine';
import { addScriptCopies, ScriptText } from '../workspace/scriptCopies';
import { addThrowawayRuns } from '../workspace/throwawayRuns';
import { addGeneratorCopies, GeneratorCopy, generatorCopies } from '../workspace/generatorCopies';
import { readSource } from '../workspace/readSource';
import { pathToFileURL } from 'node:url';
import { ScriptRunners } from '../pin/scriptRunners';
import type { ScriptRunner } from '../pin/packageTargets';
import type { FileKind } from '../engine/types';

const settings = { severities: {}, imagesAllow: [] };

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
  /** The workspace's scripts as read at indexing: copies of container scripts run where those do. */
  private scriptTexts: ScriptText[] = [];
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

  async index(engine: Engine, folders: readonly string[]): Promise<void> {
    const templates: string[] = [];
    const bakeFiles: string[] = [];
    const files: string[] = [];
    const runners: Array<{ path: string; kind: FileKind }> = [];
    const scripts: string[] = [];
    const definers: Array<{ path: string; kind: FileKind }> = [];
    const onOtherFile = (p: string) => {
      files.push(p);
      if (isImageBuildTemplate(p)) templates.push(p);
      if (isBakeFilePath(p)) bakeFiles.push(p);
    };
    for await (const file of discoverFiles(folders, { onOtherFile, kinds: engine.kinds })) {
      files.push(file.path);
      if (engine.runsScripts(file.kind)) runners.push(file);
      else if (engine.kinds.get(file.kind).runByOtherFiles) scripts.push(file.path);
      // Scripts are read below anyway; other files that define builds (Compose, CI files) are read for that.
      if (!engine.kinds.get(file.kind).runByOtherFiles && engine.kinds.get(file.kind).buildDefinitions)
        definers.push(file);
    }
    this.folders = [...folders];
    this.scriptTexts = await readScripts(scripts);
    this.files = new Set(files);
    const sources = [
      ...this.scriptTexts.map((s): DefiningSource => ({ ...s, kind: 'shell' })),
      ...(await readDefiningSources(engine, definers)),
    ];
    this.definitions.clear();
    for (const source of sources) this.setDefinitions(source.path, engine.buildDefinitions(source));
    for (const bakeFile of bakeFiles) {
      const builds = await bakeDefinitions(bakeFile, { within: this.folders });
      this.setDefinitions(bakeFile, 'skipped' in builds ? [] : builds);
    }
    this.contexts = this.newContexts();
    this.indexed = true;
    for (const runner of runners) {
      const read = await readSource(runner.path);
      if (!('skipped' in read)) this.update(engine, runner, read.text);
    }
    const fromTemplates = emptyScriptIndex();
    await addTemplateScripts(fromTemplates, templates);
    addThrowawayRuns(fromTemplates, this.scriptTexts, engine, this.folders);
    this.generatorCopies = generatorCopies(this.scriptTexts, engine);
    this.templates = fromTemplates;
    this.merged = undefined;
  }

  /**
   * Records the scripts a file runs (nothing for kinds that run none); `model`: the file as a lint
   * parsed it. Returns whether that changed what the workspace's scripts run as.
   */
  update(engine: Engine, file: { path: string; kind: FileKind }, text: string, model?: DocumentModel): boolean {
    if (!engine.runsScripts(file.kind)) return false;
    const parsed = model ?? engine.model({ uri: pathToFileURL(file.path).toString(), text, kind: file.kind, settings });
    this.runners.set(file.path, parsed, this.label(file.path));
    return this.record(file.path, engine.scriptUses({ path: file.path, kind: file.kind, text }, parsed));
  }

  /** Records the scripts a file runs, as a lint on any thread listed them; returns whether they changed. */
  record(filePath: string, use: ScriptUse): boolean {
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
   * A file that may define builds or run scripts changed, in the editor (`change.text`) or on disk
   * (`'disk'`: read it; `'deleted'`): a Compose file, a bake file, a CI file, a script. Its builds
   * (contexts, Dockerfiles, named contexts) and, for kinds that run scripts, the scripts it runs are
   * read again. Returns whether that changed what the workspace's builds give its Dockerfiles and
   * scripts — then open Dockerfiles and scripts must be linted again. Before the workspace is
   * indexed nothing is recorded (the index reads every file).
   */
  async definingFileChanged(
    engine: Engine,
    file: { path: string; kind: FileKind | undefined },
    change: { text: string } | 'disk' | 'deleted',
  ): Promise<boolean> {
    if (!this.indexed || !this.folders.some((folder) => within(folder, file.path))) return false;
    const absolute = path.resolve(file.path);
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
      addScriptCopies(merged, this.scriptTexts, this.folders);
      this.merged = merged;
    }
    return this.merged;
  }
}

async function readScripts(paths: readonly string[]): Promise<ScriptText[]> {
  const texts: ScriptText[] = [];
  for (const p of paths) {
    // Skipped files (too large, binary, not UTF-8) are copies of nothing.
    const read = await readSource(p);
    if ('text' in read) texts.push({ path: path.resolve(p), text: read.text });
  }
  return texts;
}

function within(folder: string, filePath: string): boolean {
  return filePath === folder || filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
