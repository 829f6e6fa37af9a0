import * as path from 'node:path';
import { discoverFiles } from '../workspace/discover';
import {
  addScriptUse,
  addTemplateScripts,
  emptyScriptIndex,
  mergeScriptIndex,
  ScriptIndex,
  ScriptUse,
} from '../workspace/buildScriptIndex';
import { BuildContexts } from '../workspace/buildContexts';
import {
  addBuildDefinitions,
  DefiningSource,
  isBakeFilePath,
  readDefiningSources,
} from '../workspace/buildDefinitions';
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
  /** Files that define builds (Compose, scripts, CI files) as read at indexing, and the bake files found. */
  private definingSources: DefiningSource[] = [];
  private bakeFiles: string[] = [];
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
    this.contexts = new BuildContexts(files, this.folders);
    this.definingSources = [
      ...this.scriptTexts.map((s): DefiningSource => ({ ...s, kind: 'shell' })),
      ...(await readDefiningSources(engine, definers)),
    ];
    this.bakeFiles = bakeFiles;
    await this.addDefinitionsTo(engine, this.contexts);
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

  /** Records the scripts a file runs (nothing for kinds that run none); `model`: the file as a lint parsed it. */
  update(engine: Engine, file: { path: string; kind: FileKind }, text: string, model?: DocumentModel): void {
    if (!engine.runsScripts(file.kind)) return;
    const parsed = model ?? engine.model({ uri: pathToFileURL(file.path).toString(), text, kind: file.kind, settings });
    this.runners.set(file.path, parsed, this.label(file.path));
    this.record(file.path, engine.scriptUses({ path: file.path, kind: file.kind, text }, parsed));
  }

  /** Records the scripts a file runs, as a lint on any thread listed them. */
  record(filePath: string, use: ScriptUse): void {
    if (Object.values(use).every((list: string[]) => list.length === 0)) {
      if (this.uses.delete(filePath)) this.merged = undefined;
      return;
    }
    const previous = this.uses.get(filePath);
    if (previous && JSON.stringify(previous) === JSON.stringify(use)) return;
    this.uses.set(filePath, use);
    this.merged = undefined;
  }

  /**
   * Records in `contexts` the builds the workspace's Compose files, scripts, CI files and bake
   * files define, as read at indexing (a workspace scan's contexts get them too).
   */
  async addDefinitionsTo(engine: Engine, contexts: BuildContexts): Promise<void> {
    await addBuildDefinitions(contexts, engine, this.definingSources, this.bakeFiles, { within: this.folders });
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
