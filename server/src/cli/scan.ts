import * as path from 'node:path';
import type { Problem } from '../engine/types';
import { discoverFiles, DiscoveredFile } from '../workspace/discover';
import { readSource } from '../workspace/readSource';
import { lintFile } from '../workspace/lintFile';
import { SettingsResolver } from '../workspace/settingsResolver';
import { addTemplateScripts, collectScripts, ScriptIndex } from '../workspace/buildScriptIndex';
import type { DockerfileModel } from '../model/dockerfile';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';

/** Findings of one file, or why it was not analysed. */
export interface FileReport {
  path: string;
  kind: DiscoveredFile['kind'];
  problems: Problem[];
  skipped?: string;
  internalErrors: string[];
}

export interface ScanOptions {
  paths: string[];
  configPath?: string;
  maxBytes?: number;
}

export interface ScanOutcome {
  files: FileReport[];
  configProblems: Array<{ path: string; message: string; line: number; character: number }>;
}

/** The CLI scan: discover, read, lint every file with the config that applies to it. */
export async function scan(options: ScanOptions): Promise<ScanOutcome> {
  const resolver = new SettingsResolver(undefined, options.configPath ? path.resolve(options.configPath) : undefined);
  const discovered: DiscoveredFile[] = [];
  const templates: string[] = [];
  const onOtherFile = (p: string) => { if (isImageBuildTemplate(p)) templates.push(p); };
  for await (const file of discoverFiles(options.paths, { isIgnored: (p) => resolver.isIgnored(p), onOtherFile })) discovered.push(file);
  const texts = new Map<string, string>();
  const files: FileReport[] = [];
  // Reads overlap (a few dozen at a time) so the scan does not idle on the disk between files.
  const reads = await mapConcurrent(discovered, READ_CONCURRENCY, (file) => readSource(file.path, options.maxBytes));
  discovered.forEach((file, i) => {
    const read = reads[i]!;
    if ('skipped' in read) files.push({ path: file.path, kind: file.kind, problems: [], skipped: read.skipped, internalErrors: [] });
    else texts.set(file.path, read.text);
  });
  // Dockerfiles first: their parse also tells which scripts run at build or at container start,
  // which decides how the scripts are linted.
  const ordered = [...discovered.filter((f) => f.kind === 'dockerfile'), ...discovered.filter((f) => f.kind !== 'dockerfile')];
  const dockerfiles: Array<{ path: string; text: string; model?: DockerfileModel }> = [];
  let buildScripts: ScriptIndex | undefined;
  for (const file of ordered) {
    const text = texts.get(file.path);
    if (text === undefined) continue;
    if (file.kind !== 'dockerfile' && !buildScripts) {
      buildScripts = collectScripts(dockerfiles);
      await addTemplateScripts(buildScripts, templates);
    }
    const result = lintFile({ path: file.path, kind: file.kind, text, ...(buildScripts ? { buildScripts } : {}) }, resolver);
    if (file.kind === 'dockerfile') {
      const model = result.model?.dockerfile;
      dockerfiles.push({ path: file.path, text, ...(model ? { model } : {}) });
    }
    files.push({ path: file.path, kind: file.kind, problems: result.problems, internalErrors: result.internalErrors, ...(result.skipped ? { skipped: result.skipped } : {}) });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const configProblems: ScanOutcome['configProblems'] = [];
  const seenConfigs = new Set<string>();
  for (const file of discovered) {
    const loaded = resolver.configFor(file.path);
    if (!loaded || seenConfigs.has(loaded.path)) continue;
    seenConfigs.add(loaded.path);
    for (const p of loaded.problems) configProblems.push({ path: loaded.path, message: p.message, line: p.range.start.line, character: p.range.start.character });
  }
  if (options.configPath && !seenConfigs.has(path.resolve(options.configPath))) {
    const loaded = resolver.load(path.resolve(options.configPath));
    for (const p of loaded.problems) configProblems.push({ path: loaded.path, message: p.message, line: p.range.start.line, character: p.range.start.character });
  }
  return { files, configProblems };
}

const READ_CONCURRENCY = 32;

async function mapConcurrent<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
