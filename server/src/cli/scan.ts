import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../engine/types';
import { BLOCKING_DISK, discoverFiles, DiscoveredFile } from '../workspace/discover';
import { readSourceSync } from '../workspace/readSource';
import { realFolders } from '../workspace/safeRead';
import { dotenvReader } from '../workspace/lintFile';
import { SettingsResolver } from '../workspace/settingsResolver';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import { BuildContexts } from '../workspace/buildContexts';
import { isBakeFilePath } from '../workspace/buildDefinitions';
import { scanRoots } from '../workspace/roots';
import { statOnce } from '../workspace/statOnce';
import type { Engine } from '../engine/engine';
import type { LintTask } from './lintTask';
import { HELD_TREES_TEXT, lintPhases } from './lintPhases';
import { LintPool } from './parallel';
import { taskCost } from './chunks';
import { threadPlan, wantsWorkers } from './threads';
import { gatherNetworkFacts } from './onlineFacts';
import type { UserSettings } from '../net/userSettings';

/** Findings of one file, or why it was not analysed. */
export interface FileReport {
  path: string;
  kind: DiscoveredFile['kind'];
  problems: Problem[];
  skipped?: string;
  internalErrors: string[];
  /** The text that was linted, kept only when there are problems (reports quote and fingerprint it). */
  text?: string;
}

export interface ScanOptions {
  paths: string[];
  configPath?: string;
  maxBytes?: number;
  /** Threads to lint on, main thread included (1: no workers); default: see threadPlan. */
  threads?: number;
  /** Tests: the thread (0 = main) that lints each file, instead of a shared queue. */
  threadFor?: (filePath: string) => number;
  /** The user's own settings: with `online`, network rules run on facts fetched before linting. */
  user?: UserSettings;
  /** Notes for the user that are not findings (e.g. an online check that failed). */
  log?: (message: string) => void;
}

export interface ScanOutcome {
  files: FileReport[];
  configProblems: Array<{ path: string; message: string; line: number; character: number }>;
  /**
   * What else the scan could not read, with the reason: folders, and the files that shape how
   * others are linted (`.gitignore`, `.env`, image-build templates). Every format lists them.
   */
  skipped: SkippedEntry[];
}

export interface SkippedEntry {
  path: string;
  reason: string;
}

/**
 * The CLI scan: discover, read, lint every file with the config that applies to it. Linting is
 * spread over worker threads for large scans; the outcome is the same whatever the thread count.
 */
export async function scan(engine: Engine, options: ScanOptions): Promise<ScanOutcome> {
  const configPath = options.configPath ? path.resolve(options.configPath) : undefined;
  const stat = statOnce(options.paths);
  const within = scanFolders(options.paths, stat);
  const resolver = new SettingsResolver(undefined, configPath, false, within);
  const skipped: SkippedEntry[] = [];
  const onSkipped = (filePath: string, reason: string) => skipped.push({ path: filePath, reason });
  const discovered: DiscoveredFile[] = [];
  const templates: string[] = [];
  const files: FileReport[] = [];
  const plan = threadPlan(options.threads);
  let pool: LintPool | undefined;
  // Workers start as soon as the scan is known to be large, so they load while files are found and read.
  const startWorkers = (fileCount: number, cost?: number) => {
    if (!pool && wantsWorkers(plan, fileCount, cost))
      pool = new LintPool(plan.threads - 1, { within, ...(configPath ? { configPath } : {}) });
  };
  try {
    startWorkers(0);
    const otherFiles: string[] = [];
    const onOtherFile = (p: string) => {
      otherFiles.push(p);
      if (isImageBuildTemplate(p)) templates.push(p);
    };
    for await (const file of discoverFiles(options.paths, {
      kinds: engine.kinds,
      isIgnored: (p) => resolver.isIgnored(p),
      onOtherFile,
      onSkipped,
      disk: { ...BLOCKING_DISK, stat: async (p) => stat(p) },
    })) {
      discovered.push(file);
      startWorkers(discovered.length);
    }
    const texts = new Map<string, string>();
    discovered.forEach((file) => {
      const read = readSourceSync(file.path, options.maxBytes);
      if ('skipped' in read)
        files.push({ path: file.path, kind: file.kind, problems: [], skipped: read.skipped, internalErrors: [] });
      else texts.set(file.path, read.text);
    });
    // Files that run scripts (Dockerfiles) first: their parse also tells which scripts run at build
    // or at container start, which decides how the scripts are linted.
    // `.env` files are read here, once per folder, so what was skipped and why is known in one place.
    const dotenvBeside = dotenvReader(within, onSkipped);
    const toTask = (file: DiscoveredFile): LintTask[] => {
      const text = texts.get(file.path);
      if (text === undefined) return [];
      const dotenv = engine.kinds.get(file.kind).readsDotenv ? { dotenv: dotenvBeside(file.path) } : {};
      return [{ path: file.path, kind: file.kind, text, ...dotenv }];
    };
    const runners = discovered.filter((f) => engine.runsScripts(f.kind)).flatMap(toTask);
    const others = discovered.filter((f) => !engine.runsScripts(f.kind)).flatMap(toTask);
    const tasks = [...runners, ...others];
    startWorkers(
      tasks.length,
      tasks.reduce((sum, t) => sum + taskCost(t.text.length), 0),
    );
    const roots = scanRoots(options.paths, stat);
    const contexts = new BuildContexts([...discovered.map((f) => f.path), ...otherFiles], roots);
    const workspace = { templates, roots, contexts, bakeFiles: otherFiles.filter(isBakeFilePath), within };
    const network = options.user?.online
      ? await gatherNetworkFacts(engine, tasks, resolver, options.user, options.log ?? (() => undefined))
      : undefined;
    const results = await lintPhases(runners, others, workspace, resolver, onSkipped, {
      engine,
      ...(network ? { network } : {}),
      threads: pool ? plan.threads : 1,
      ...(pool ? { pool } : {}),
      ...(options.threadFor ? { threadFor: options.threadFor } : {}),
      // A batch host: the memory the held trees take is given back when the process exits.
      heldTreesText: HELD_TREES_TEXT,
    });
    tasks.forEach((task, i) => {
      const result = results[i]!;
      files.push({
        path: task.path,
        kind: task.kind,
        problems: result.problems,
        internalErrors: result.internalErrors,
        ...(result.skipped ? { skipped: result.skipped } : {}),
        ...(result.problems.length > 0 ? { text: task.text } : {}),
      });
    });
  } finally {
    await pool?.close();
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const configProblems: ScanOutcome['configProblems'] = [];
  const seenConfigs = new Set<string>();
  for (const file of discovered) {
    const loaded = resolver.configFor(file.path);
    if (!loaded || seenConfigs.has(loaded.path)) continue;
    seenConfigs.add(loaded.path);
    for (const p of loaded.problems)
      configProblems.push({
        path: loaded.path,
        message: p.message,
        line: p.range.start.line,
        character: p.range.start.character,
      });
  }
  if (options.configPath && !seenConfigs.has(path.resolve(options.configPath))) {
    const loaded = resolver.load(path.resolve(options.configPath));
    for (const p of loaded.problems)
      configProblems.push({
        path: loaded.path,
        message: p.message,
        line: p.range.start.line,
        character: p.range.start.character,
      });
  }
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { files, configProblems, skipped };
}

/** The scanned folders, links resolved (a file given directly stands for its folder). */
function scanFolders(paths: readonly string[], stat: (p: string) => fs.Stats): string[] {
  return realFolders(
    paths.map((p) => {
      try {
        return stat(p).isDirectory() ? p : path.dirname(path.resolve(p));
      } catch {
        return p;
      }
    }),
  );
}
