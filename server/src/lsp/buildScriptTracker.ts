import * as fs from 'node:fs';
import { discoverFiles } from '../workspace/discover';
import { addTemplateScripts, collectScripts, ScriptIndex } from '../workspace/buildScriptIndex';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import type { DockerfileModel } from '../model/dockerfile';

/**
 * Knows which shell scripts Dockerfiles in the workspace copy in and run (in RUN, or as
 * ENTRYPOINT/CMD) and which Packer templates or dev container features run, so those scripts are
 * analysed in build context or as container start-up code. Indexed once in the background at start-up, updated as Dockerfiles
 * are edited or scanned.
 */
export class BuildScriptTracker {
  private readonly byDockerfile = new Map<string, ScriptIndex>();
  private merged: ScriptIndex | undefined;

  async index(folders: readonly string[]): Promise<void> {
    const templates: string[] = [];
    const onOtherFile = (p: string) => { if (isImageBuildTemplate(p)) templates.push(p); };
    for await (const file of discoverFiles(folders, { onOtherFile })) {
      if (file.kind !== 'dockerfile') continue;
      try {
        const stat = await fs.promises.stat(file.path);
        if (stat.size > 1024 * 1024) continue;
        this.update(file.path, await fs.promises.readFile(file.path, 'utf8'));
      } catch { /* unreadable Dockerfile: nothing to index */ }
    }
    const fromTemplates: ScriptIndex = { build: new Set(), entrypoint: new Set() };
    await addTemplateScripts(fromTemplates, templates);
    this.byDockerfile.set('<image-build templates>', fromTemplates);
    this.merged = undefined;
  }

  update(dockerfilePath: string, text: string, model?: DockerfileModel): void {
    this.byDockerfile.set(dockerfilePath, collectScripts([{ path: dockerfilePath, text, ...(model ? { model } : {}) }]));
    this.merged = undefined;
  }

  scripts(): ScriptIndex {
    if (!this.merged) {
      const merged: ScriptIndex = { build: new Set(), entrypoint: new Set() };
      for (const index of this.byDockerfile.values()) {
        index.build.forEach((s) => merged.build.add(s));
        index.entrypoint.forEach((s) => merged.entrypoint.add(s));
      }
      this.merged = merged;
    }
    return this.merged;
  }
}
