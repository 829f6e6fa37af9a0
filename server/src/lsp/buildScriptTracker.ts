import * as fs from 'node:fs';
import { discoverFiles } from '../workspace/discover';
import {
  addTemplateScripts,
  collectScripts,
  emptyScriptIndex,
  runsScripts,
  ScriptIndex,
} from '../workspace/buildScriptIndex';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import type { DocumentModel } from '../engine/documentModel';
import type { FileKind } from '../engine/types';

/**
 * Knows which shell scripts Dockerfiles in the workspace copy in and run (in RUN, or as
 * ENTRYPOINT/CMD) and which Packer templates or dev container features run, so those scripts are
 * analysed in build context or as container start-up code. Indexed once in the background at start-up, updated as
 * Dockerfiles are edited or scanned.
 */
export class BuildScriptTracker {
  /**
   * Sources that run no script have no entry: most Dockerfiles run none, and a workspace scan
   * updates every one, so their empty entries would make up most of the index and each update would
   * rebuild the merged sets.
   */
  private readonly byDockerfile = new Map<string, ScriptIndex>();
  private merged: ScriptIndex | undefined;

  async index(folders: readonly string[]): Promise<void> {
    const templates: string[] = [];
    const onOtherFile = (p: string) => {
      if (isImageBuildTemplate(p)) templates.push(p);
    };
    for await (const file of discoverFiles(folders, { onOtherFile })) {
      if (!runsScripts(file.kind)) continue;
      try {
        const stat = await fs.promises.stat(file.path);
        if (stat.size > 1024 * 1024) continue;
        this.update(file, await fs.promises.readFile(file.path, 'utf8'));
      } catch {
        /* unreadable Dockerfile: nothing to index */
      }
    }
    const fromTemplates = emptyScriptIndex();
    await addTemplateScripts(fromTemplates, templates);
    this.replace('<image-build templates>', fromTemplates);
  }

  /** Records the scripts a file runs (nothing for kinds that run none); `model`: the file as a lint parsed it. */
  update(file: { path: string; kind: FileKind }, text: string, model?: DocumentModel): void {
    if (!runsScripts(file.kind)) return;
    this.replace(file.path, collectScripts([{ path: file.path, kind: file.kind, text, ...(model ? { model } : {}) }]));
  }

  /** Records a source's scripts; the merged index is rebuilt only when they changed. */
  private replace(key: string, index: ScriptIndex): void {
    if (index.build.size === 0 && index.entrypoint.size === 0 && index.startup.size === 0) {
      if (this.byDockerfile.delete(key)) this.merged = undefined;
      return;
    }
    const previous = this.byDockerfile.get(key);
    if (previous && sameScripts(previous, index)) return;
    this.byDockerfile.set(key, index);
    this.merged = undefined;
  }

  scripts(): ScriptIndex {
    if (!this.merged) {
      const merged = emptyScriptIndex();
      for (const index of this.byDockerfile.values()) {
        index.build.forEach((s) => merged.build.add(s));
        index.entrypoint.forEach((s) => merged.entrypoint.add(s));
        index.startup.forEach((s) => merged.startup.add(s));
      }
      this.merged = merged;
    }
    return this.merged;
  }
}

function sameScripts(a: ScriptIndex, b: ScriptIndex): boolean {
  return sameSet(a.build, b.build) && sameSet(a.entrypoint, b.entrypoint) && sameSet(a.startup, b.startup);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const s of a) if (!b.has(s)) return false;
  return true;
}
