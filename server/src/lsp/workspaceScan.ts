import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { Severity } from '../engine/types';
import { discoverFiles } from '../workspace/discover';
import { readSource, type ReadResult } from '../workspace/readSource';
import { lintFile } from '../workspace/lintFile';
import type { SettingsResolver } from '../workspace/settingsResolver';
import { toDiagnostic } from './convert';
import { FILE_KINDS } from '../kinds';
import { ScanProgressNotification, ScanWorkspaceResult } from './protocol';
import type { BuildScriptTracker } from './buildScriptTracker';
import { runsScripts } from '../workspace/buildScriptIndex';

/** Files between yields to the event loop, so edits and cancellation are served during big scans. */
const YIELD_EVERY = 25;

/**
 * Files read ahead of the one being linted. Reading one file at a time left the scan waiting on the
 * file system for a sixth of its time; a few reads in flight hide that and hold at most this many
 * more texts.
 */
const READ_AHEAD = 4;

/**
 * Lints files that are not open in the editor and publishes their diagnostics, so they show in the
 * Problems panel. Open documents are left to live validation.
 */
export class WorkspaceScanner {
  /** Scanned files (URI) and the editor rule overrides they were linted with; scans share one object. */
  private readonly scanned = new Map<string, Record<string, Severity>>();

  constructor(
    private readonly connection: Connection,
    private readonly resolver: () => SettingsResolver,
    private readonly buildScripts: BuildScriptTracker,
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  wasScanned(uri: string): boolean {
    return this.scanned.has(uri);
  }

  async scan(
    folders: readonly string[],
    exclude: readonly string[],
    token: CancellationToken,
    rules: Record<string, Severity>,
  ): Promise<ScanWorkspaceResult> {
    const resolver = this.resolver();
    const result: ScanWorkspaceResult = {
      filesScanned: 0,
      filesWithFindings: 0,
      findings: 0,
      skipped: [],
      cancelled: false,
    };
    const files = [];
    for await (const file of discoverFiles(folders, {
      exclude,
      isIgnored: (p) => resolver.isIgnored(p),
      isCancelled: () => token.isCancellationRequested,
    }))
      files.push(file);
    let lastProgress = 0;
    // Files that run scripts (Dockerfiles) first: their parse also updates which scripts run at build
    // or container start. Texts are read and dropped a few files at a time, so a huge workspace is
    // never held in memory.
    const ordered = [...files.filter((f) => runsScripts(f.kind)), ...files.filter((f) => !runsScripts(f.kind))];
    const reads: Array<Promise<ReadResult>> = [];
    for (const [i, file] of ordered.entries()) {
      if (token.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      if (i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      const uri = pathToFileURL(file.path).toString();
      // readSource never rejects, so reads left in flight by a cancellation are harmless.
      for (let next = i + reads.length; next < ordered.length && next <= i + READ_AHEAD; next++)
        reads.push(readSource(ordered[next]!.path));
      const read = await reads.shift()!;
      if ('skipped' in read) {
        result.skipped.push({ uri, reason: read.skipped });
        continue;
      }
      result.filesScanned++;
      if (this.isOpen(uri)) continue;
      const lintResult = lintFile(
        {
          path: file.path,
          kind: file.kind,
          text: read.text,
          buildScripts: this.buildScripts.scripts(),
          roots: this.buildScripts.roots(),
          overrides: { rules },
        },
        resolver,
      );
      this.buildScripts.update(file, read.text, lintResult.model);
      if (lintResult.skipped) {
        result.skipped.push({ uri, reason: lintResult.skipped });
        continue;
      }
      this.scanned.set(uri, rules);
      if (lintResult.problems.length > 0) {
        result.filesWithFindings++;
        result.findings += lintResult.problems.length;
      }
      void this.connection.sendDiagnostics({ uri, diagnostics: lintResult.problems.map(toDiagnostic) });
      const now = Date.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        const folder = folders.find((f) => file.path.startsWith(f + path.sep));
        void this.connection.sendNotification(ScanProgressNotification, {
          scanned: result.filesScanned,
          total: files.length,
          findings: result.findings,
          current: folder ? path.relative(folder, file.path) : file.path,
        });
      }
    }
    return result;
  }

  /** Re-lints a scanned file from disk (after its editor closed) so its findings stay listed. */
  async rescanFile(uri: string): Promise<void> {
    const rules = this.scanned.get(uri);
    if (!rules) return;
    const filePath = fileURLToPath(uri);
    const read = await readSource(filePath);
    const kind = FILE_KINDS.detect(filePath, 'text' in read ? read.text.split('\n')[0] : undefined);
    if (!kind || 'skipped' in read) {
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const lintResult = lintFile(
      {
        path: filePath,
        kind,
        text: read.text,
        buildScripts: this.buildScripts.scripts(),
        roots: this.buildScripts.roots(),
        overrides: { rules },
      },
      this.resolver(),
    );
    void this.connection.sendDiagnostics({ uri, diagnostics: lintResult.problems.map(toDiagnostic) });
  }
}
