import * as fs from 'node:fs';
import { discoverFiles } from '../workspace/discover';
import { collectBuildScripts } from '../workspace/buildScriptIndex';

/**
 * Knows which shell scripts Dockerfiles in the workspace copy in and run, so those scripts are
 * analysed in build context. Indexed once in the background at start-up, updated as Dockerfiles
 * are edited or scanned.
 */
export class BuildScriptTracker {
  private readonly byDockerfile = new Map<string, Set<string>>();
  private merged: Set<string> | undefined;

  async index(folders: readonly string[]): Promise<void> {
    for await (const file of discoverFiles(folders)) {
      if (file.kind !== 'dockerfile') continue;
      try {
        const stat = await fs.promises.stat(file.path);
        if (stat.size > 1024 * 1024) continue;
        this.update(file.path, await fs.promises.readFile(file.path, 'utf8'));
      } catch { /* unreadable Dockerfile: nothing to index */ }
    }
  }

  update(dockerfilePath: string, text: string): void {
    this.byDockerfile.set(dockerfilePath, collectBuildScripts([{ path: dockerfilePath, text }]));
    this.merged = undefined;
  }

  scripts(): ReadonlySet<string> {
    if (!this.merged) {
      this.merged = new Set();
      for (const set of this.byDockerfile.values()) set.forEach((s) => this.merged!.add(s));
    }
    return this.merged;
  }
}
