import * as path from 'node:path';
import type { Problem } from '../engine/types';
import { discoverFiles, DiscoveredFile } from '../workspace/discover';
import { readSource } from '../workspace/readSource';
import { lintFile } from '../workspace/lintFile';
import { SettingsResolver } from '../workspace/settingsResolver';
import { addTemplateScripts, collectScripts } from '../workspace/buildScriptIndex';
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
  for (const file of discovered) {
    const read = await readSource(file.path, options.maxBytes);
    if ('skipped' in read) files.push({ path: file.path, kind: file.kind, problems: [], skipped: read.skipped, internalErrors: [] });
    else texts.set(file.path, read.text);
  }
  const buildScripts = collectScripts(discovered.filter((f) => f.kind === 'dockerfile' && texts.has(f.path)).map((f) => ({ path: f.path, text: texts.get(f.path)! })));
  await addTemplateScripts(buildScripts, templates);
  for (const file of discovered) {
    const text = texts.get(file.path);
    if (text === undefined) continue;
    const result = lintFile({ path: file.path, kind: file.kind, text, buildScripts }, resolver);
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
