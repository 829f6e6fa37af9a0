import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { DiscoveredFile, discoverFiles } from '../workspace/discover';
import { readSource, readSourceSync } from '../workspace/readSource';
import { dotenvReader, lintFile } from '../workspace/lintFile';
import { realFolders } from '../workspace/safeRead';
import type { HostOverrides, SettingsResolver } from '../workspace/settingsResolver';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import { BuildContexts } from '../workspace/buildContexts';
import { scanRoots } from '../workspace/roots';
import {
  addScriptUse,
  addTemplateScripts,
  emptyScriptIndex,
  mergeScriptIndex,
  ScriptIndex,
} from '../workspace/buildScriptIndex';
import { addGeneratorCopies } from '../workspace/generatorCopies';
import { addScriptCopies } from '../workspace/scriptCopies';
import { lintPhase, PhasePlan } from '../cli/lintPhases';
import type { LintTask, TaskResult } from '../cli/lintTask';
import type { VisitReply, VisitRequest } from '../cli/protocol';
import { LintPool } from '../cli/parallel';
import { taskCost } from '../cli/chunks';
import { editorScanWorkers, threadPlan } from '../cli/threads';
import { publishedDiagnostics } from './diagnostics';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine } from '../engine/engine';
import type { SourcedVariables } from '../shell/commandVariables';
import { ScanProgressNotification, ScanWorkspaceResult } from './protocol';
import type { BuildScriptTracker } from './buildScriptTracker';
import type { SourcedScripts } from './sourcedScripts';
import { visitWorkspace, WorkspaceFacts } from '../workspace/workspaceVisit';
import { turningBlockingDisk } from './scanDisk';
import { SCAN_WORKER_LIMITS } from './nodeFlags';

/**
 * Where a scan learns what the files tell of each other (builds, throwaway runs, copies):
 * - `reuse`: from the workspace index, which covers the scanned folders (a later scan);
 * - `adopt`: from a visit of the scanned files, which the index then keeps (the first scan of the
 *   workspace, before the index is built: the workspace is read once, not twice);
 * - `own`: from a visit of the scanned files, for this scan alone (folders outside the index).
 */
export type ScanIndex = 'reuse' | 'adopt' | 'own';

/**
 * Files read (blocking, as the CLI reads) and linted as one batch: the scan holds at most this many
 * texts, or about this many bytes of them, so a huge workspace is never held in memory at once.
 * Workers lint bigger batches: each batch ends with the workers idle while the main thread reads the
 * next one (the two lint phases of a Scan Workspace of the corpus on one worker, one run each: 5.4 s
 * with 250-file batches, 4.6 s with 1,000, 4.5 s with the whole corpus as one batch).
 */
const BATCH: BatchLimits = { files: 250, cost: 4 * 1024 * 1024 };
const WORKERS_BATCH: BatchLimits = { files: 1000, cost: 16 * 1024 * 1024 };

interface BatchLimits {
  files: number;
  /** Summed `taskCost`. */
  cost: number;
}

/** How a scan spreads over threads; by default on workers, the main thread on standby (`editorScanWorkers`). */
export interface ScanThreads {
  /** Threads, main thread included (1: no workers); forces workers whatever the scan's size. */
  threads?: number;
  /** Tests: the thread (0 = main) that lints each file, instead of a shared queue. */
  threadFor?: (filePath: string) => number;
  /** Tests: the scan size from which an unforced plan starts its workers (PARALLEL_MIN_FILES). */
  minFiles?: number;
}

/** Least time between two progress notifications. */
const PROGRESS_EVERY_MS = 100;

/**
 * Lints files that are not open in the editor and publishes their diagnostics, so they show in the
 * Problems panel. Open documents are left to live validation, and counted with their live findings,
 * so the scan's summary and the Problems panel agree.
 *
 * The scan is the CLI's: the same discovery, the same visit and two phases (Dockerfiles, then the
 * scripts and other files with the shell context the Dockerfiles and image-build templates give
 * them), on the CLI's worker threads (`editorScanWorkers` decides when and how many), so it finds
 * exactly what `driftguard` finds with the same settings. Texts are read a batch at a time; each
 * batch is one lint phase.
 */
export class WorkspaceScanner {
  /** Scanned files (URI) and the editor settings they were linted with; scans share one object. */
  private readonly scanned = new Map<string, HostOverrides>();

  /**
   * @param openFindings the number of findings of a document open in the editor (its live lint), or
   *   undefined when it is not open.
   */
  constructor(
    private readonly connection: Connection,
    private readonly resolver: () => SettingsResolver,
    private readonly buildScripts: BuildScriptTracker,
    private readonly openFindings: (uri: string) => number | undefined,
    private readonly sourced: SourcedScripts,
    private readonly threads: ScanThreads = {},
  ) {}

  wasScanned(uri: string): boolean {
    return this.scanned.has(uri);
  }

  async scan(
    engine: Engine,
    folders: readonly string[],
    exclude: readonly string[],
    token: CancellationToken,
    overrides: HostOverrides,
    index: ScanIndex = 'own',
  ): Promise<ScanWorkspaceResult> {
    const resolver = this.resolver();
    const result: ScanWorkspaceResult = {
      filesScanned: 0,
      filesWithFindings: 0,
      findings: 0,
      skipped: [],
      cancelled: false,
    };
    const isCancelled = () => token.isCancellationRequested;
    // Folders and support files that could not be read are listed with the files skipped.
    const onSkipped = (filePath: string, reason: string) =>
      result.skipped.push({ uri: pathToFileURL(filePath).toString(), reason });
    const files: DiscoveredFile[] = [];
    const templates: string[] = [];
    const otherFiles: string[] = [];
    for await (const file of discoverFiles(folders, {
      disk: turningBlockingDisk(),
      exclude,
      isIgnored: (p) => resolver.isIgnored(p),
      onOtherFile: (p) => {
        otherFiles.push(p);
        if (isImageBuildTemplate(p)) templates.push(p);
      },
      isCancelled,
      kinds: engine.kinds,
      onSkipped,
    }))
      files.push(file);
    const roots = scanRoots(folders);
    // As the CLI reads them: no `.env` linked from outside the scanned folders (why one was not read
    // is listed with the files skipped).
    const dotenvBeside = dotenvReader(realFolders(folders), onSkipped);
    const dotenvOf = (file: DiscoveredFile) =>
      engine.kinds.get(file.kind).readsDotenv ? { dotenv: dotenvBeside(file.path) } : {};
    const contexts = new BuildContexts([...files.map((f) => f.path), ...otherFiles], roots);
    const threads = editorScanWorkers(threadPlan(this.threads.threads), files.length, this.threads.minFiles);
    // Started before the visit, so they load meanwhile.
    const pool = threads
      ? new LintPool(threads.workers, {}, undefined, {
          mainThread: threads.mainThread,
          resourceLimits: SCAN_WORKER_LIMITS,
        })
      : undefined;
    try {
      // Parses the visit made for the lints on this thread. With workers, a worker visits and keeps
      // them for its own lints; the visit here is then only the fallback of a worker lost.
      const parsedBefore = pool ? undefined : new Map<string, DocumentModel>();
      let facts: WorkspaceFacts | undefined;
      if (index === 'reuse') this.buildScripts.addDefinitionsTo(contexts);
      else {
        const visited = pool && (await visitOnWorker(pool, { folders: [...folders], files, otherFiles }, token));
        if (visited) {
          for (const [filePath, reason] of visited.skipped) onSkipped(filePath, reason);
          facts = visited.facts;
        } else {
          const visit = { onSkipped, isCancelled, dotenvBeside, ...(parsedBefore ? { parsedBefore } : {}) };
          facts = await visitWorkspace(engine, folders, files, otherFiles, visit);
        }
        for (const [filePath, definitions] of facts?.definitions ?? [])
          for (const definition of definitions) contexts.addDefinition(filePath, definition);
      }
      const indexed = index !== 'own';
      const runners = files.filter((f) => engine.runsScripts(f.kind));
      const others = files.filter((f) => !engine.runsScripts(f.kind));
      let lastProgress = 0;
      const onResult = (task: LintTask, lint: TaskResult) => {
        const uri = pathToFileURL(task.path).toString();
        result.filesScanned++;
        for (const e of lint.internalErrors) this.connection.console.error(`internal error: ${e}`);
        const open = this.openFindings(uri);
        if (open !== undefined) {
          if (open > 0) result.filesWithFindings++;
          result.findings += open;
          return;
        }
        if (lint.skipped) {
          result.skipped.push({ uri, reason: lint.skipped });
          return;
        }
        this.scanned.set(uri, overrides);
        if (lint.problems.length > 0) {
          result.filesWithFindings++;
          result.findings += lint.problems.length;
        }
        void this.connection.sendDiagnostics({ uri, diagnostics: publishedDiagnostics({ problems: lint.problems }) });
        const now = Date.now();
        if (now - lastProgress > PROGRESS_EVERY_MS) {
          lastProgress = now;
          const folder = folders.find((f) => task.path.startsWith(f + path.sep));
          void this.connection.sendNotification(ScanProgressNotification, {
            scanned: result.filesScanned,
            total: files.length,
            findings: result.findings,
            current: folder ? path.relative(folder, task.path) : task.path,
          });
        }
      };
      const plan: PhasePlan = {
        engine,
        threads: pool ? threads!.workers + 1 : 1,
        ...(pool ? { pool } : {}),
        ...(pool && this.threads.threadFor ? { threadFor: this.threads.threadFor } : {}),
        overrides,
        watch: { onResult, isCancelled },
      };
      const limits = pool ? WORKERS_BATCH : BATCH;
      // Dockerfiles first: their scripts decide how the scripts among the other files are linted.
      const buildScripts = emptyScriptIndex();
      for (const batch of this.batches(runners, result, isCancelled, dotenvOf, limits)) {
        const tasks = batch.map((task) => {
          const names = contexts.namedContextsOf(task.path);
          return names.length > 0 ? { ...task, namedContexts: names } : task;
        });
        const results = await lintPhase(tasks, { wantScripts: true }, resolver, plan, parsedBefore);
        tasks.forEach((task, i) => {
          const scripts = results[i]?.scripts;
          if (!scripts) return;
          addScriptUse(buildScripts, task.path, scripts, contexts.locate);
          // An open Dockerfile's scripts are the editor's, kept up to date as it is edited.
          if (indexed && this.openFindings(pathToFileURL(task.path).toString()) === undefined)
            this.buildScripts.record(task.path, scripts, task.kind);
        });
      }
      // Indexed once every Dockerfile's scripts are recorded: a scan cancelled before leaves the index to build.
      if (facts && index === 'adopt' && !isCancelled()) this.buildScripts.adopt(engine, facts);
      if (others.length > 0 && !isCancelled()) {
        if (facts) addFacts(buildScripts, facts);
        else {
          await addTemplateScripts(buildScripts, templates, onSkipped);
          // The workspace index (just told the Dockerfiles' scripts) adds what the CLI's scan finds in
          // scripts: the scripts they run in throwaway containers, and generator and plain copies.
          mergeScriptIndex(buildScripts, this.buildScripts.scripts());
        }
        // Each script's sourced files are read right before its lint, as the CLI's scan reads them: on
        // one thread, the parse of the script for what it sources is then still the parser's kept tree
        // when its lint parses the same text (see `BashParser`); with workers, right before a worker
        // takes it, so the reading overlaps their linting.
        const sourced = (task: LintTask) => this.withSourced(engine, task);
        for (const tasks of this.batches(others, result, isCancelled, dotenvOf, limits))
          await lintPhase(tasks, { buildScripts, roots, wantScripts: false }, resolver, plan, parsedBefore, sourced);
      }
    } finally {
      await pool?.close();
    }
    result.cancelled = isCancelled();
    // As the CLI lists them: in path order, whichever thread found each and when.
    result.skipped.sort((a, b) => a.uri.localeCompare(b.uri));
    return result;
  }

  /** The task, a script given the variables of the files it sources, as the editor gives them. */
  private withSourced(engine: Engine, task: LintTask): LintTask {
    const variables = this.sourced.resolve(engine, task);
    return variables ? { ...task, sourcedVariables: variables } : task;
  }

  /**
   * Reads the files a batch at a time, with the `.env` beside those of kinds that read one; files that
   * cannot be read are listed as skipped.
   */
  private *batches(
    files: readonly DiscoveredFile[],
    result: ScanWorkspaceResult,
    isCancelled: () => boolean,
    dotenvOf: (file: DiscoveredFile) => { dotenv?: string | null },
    limits: BatchLimits,
  ): Generator<LintTask[]> {
    let batch: LintTask[] = [];
    let cost = 0;
    for (const file of files) {
      if (isCancelled()) return;
      const read = readSourceSync(file.path);
      if ('skipped' in read) {
        result.skipped.push({ uri: pathToFileURL(file.path).toString(), reason: read.skipped });
        continue;
      }
      batch.push({ path: file.path, kind: file.kind, text: read.text, ...dotenvOf(file) });
      cost += taskCost(read.text.length);
      if (batch.length >= limits.files || cost >= limits.cost) {
        yield batch;
        batch = [];
        cost = 0;
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Re-lints every scanned file that is not open, from disk, after what decides its findings changed
   * (a `.driftguard.yaml`, the editor's settings): the Problems panel never keeps findings of an old
   * config. `overrides` (the editor settings now) replaces the ones the files were scanned with.
   */
  async rescanAll(engine: Engine, overrides?: HostOverrides): Promise<void> {
    for (const uri of [...this.scanned.keys()]) {
      if (overrides) this.scanned.set(uri, overrides);
      if (this.openFindings(uri) === undefined) await this.rescanFile(engine, uri);
    }
  }

  /** Re-lints a scanned file from disk (after its editor closed) so its findings stay listed. */
  async rescanFile(engine: Engine, uri: string): Promise<void> {
    const overrides = this.scanned.get(uri);
    if (!overrides) return;
    const filePath = fileURLToPath(uri);
    const read = await readSource(filePath);
    const kind = engine.kinds.detect(filePath, 'text' in read ? read.text.split('\n')[0] : undefined);
    const resolver = this.resolver();
    if (!kind || 'skipped' in read || resolver.isIgnored(filePath)) {
      this.scanned.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const lintResult = lintFile(
      engine,
      {
        path: filePath,
        kind,
        text: read.text,
        buildScripts: this.buildScripts.scripts(),
        roots: this.buildScripts.roots(),
        namedContexts: this.buildScripts.namedContextsOf(filePath),
        overrides,
        ...sourcedFacts(this.sourced.resolve(engine, { path: filePath, kind, text: read.text })),
      },
      resolver,
    );
    void this.connection.sendDiagnostics({ uri, diagnostics: publishedDiagnostics({ problems: lintResult.problems }) });
  }
}

/** What the visit found about how scripts run, added as the CLI's scan adds it (cli/lintPhases.ts). */
function addFacts(buildScripts: ScriptIndex, facts: WorkspaceFacts): void {
  mergeScriptIndex(buildScripts, facts.runs);
  addGeneratorCopies(buildScripts, facts.generatorCopies, facts.roots);
  addScriptCopies(buildScripts, facts.twinScripts, facts.roots);
}

/** The scan's visit on a worker (see `LintPool.visit`), cancelled with the scan. */
async function visitOnWorker(
  pool: LintPool,
  request: VisitRequest,
  token: CancellationToken,
): Promise<VisitReply | undefined> {
  const controller = new AbortController();
  const cancelled = token.onCancellationRequested(() => controller.abort());
  try {
    if (token.isCancellationRequested) controller.abort();
    return await pool.visit(request, controller.signal);
  } finally {
    cancelled.dispose();
  }
}

function sourcedFacts(variables: SourcedVariables | undefined): { sourcedVariables?: SourcedVariables } {
  return variables ? { sourcedVariables: variables } : {};
}
