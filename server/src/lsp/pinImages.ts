import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverFiles } from '../workspace/discover';
import { readSource, readSourceSync } from '../workspace/readSource';
import type { SettingsResolver } from '../workspace/settingsResolver';
import type { Engine } from '../engine/engine';
import type { FileKind } from '../engine/types';
import { nonOverlapping } from '../engine/fixes';
import { SourceText } from '../model/positions';
import { planDocumentPins } from '../pin/pinDocument';
import { lintInputFor } from '../workspace/lintFile';
import type { RegistryService } from './registryService';
import type { ActionLookups } from './actionLookups';
import type { PinServices } from '../pin/pinDocument';
import { workspaceEdit } from './convert';
import { PinImagesParams, PinImagesResult, PinProgressNotification } from './protocol';

/** What a file not pinned because it changed while its pins were looked up is reported with. */
export const CHANGED_WHILE_PINNING = 'changed while pinning: left as it is';

/**
 * DriftGuard: Pin All in File / in Workspace. Plans every file's pins (images through the registry,
 * action refs through the git server), then applies one `workspace/applyEdit` per file (so each
 * file is one undo step). The lookups take a while and the user may edit meanwhile, in the editor
 * or on disk: edits are sent only for text that is still what they were planned on (see
 * `editableVersion`); a file that changed is reported "changed while pinning" and left as it is.
 */
export class PinImagesCommand {
  constructor(
    private readonly connection: Connection,
    private readonly registry: () => RegistryService,
    private readonly actions: () => ActionLookups,
    private readonly resolver: () => SettingsResolver,
    private readonly openDocument: (uri: string) => TextDocument | undefined,
    private readonly workspaceFolders: () => string[],
    private readonly documentChanges: () => boolean,
  ) {}

  async run(engine: Engine, params: PinImagesParams, token: CancellationToken): Promise<PinImagesResult> {
    const result: PinImagesResult = { filesChanged: 0, pinned: [], failed: [], cancelled: false };
    const files = await this.targets(engine, params, token);
    // Each kind of lookup that is off leaves its references as they are, with the reason; the other still pins.
    const services = { ...this.registryServices(), ...this.actionServices() };
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const resolver = this.resolver();
    for (const [i, file] of files.entries()) {
      if (token.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      void this.connection.sendNotification(PinProgressNotification, {
        done: i,
        total: files.length,
        current: path.basename(file.path),
      });
      const open = this.openDocument(file.uri);
      // Documents are updated in place: the version must be taken now, with the text.
      const readVersion = open?.version;
      let text: string;
      if (open) text = open.getText();
      else {
        const read = await readSource(file.path);
        if ('skipped' in read) continue;
        text = read.text;
      }
      const plan = await planDocumentPins(
        engine,
        { ...lintInputFor(engine.kinds, { path: file.path, kind: file.kind, text }, resolver), uri: file.uri },
        services,
        abort.signal,
      );
      for (const f of plan.failed)
        result.failed.push({ uri: file.uri, line: f.line, reference: f.reference, reason: f.reason! });
      if (plan.edits.length === 0) continue;
      const edits = nonOverlapping(new SourceText(file.uri, text), plan.edits);
      const version = this.editableVersion(file, text, readVersion);
      if (version === undefined) {
        result.failed.push({ uri: file.uri, line: 0, reference: '', reason: CHANGED_WHILE_PINNING });
        continue;
      }
      const applied = await this.connection.workspace.applyEdit({
        label: 'DriftGuard: pin references',
        edit: workspaceEdit(file.uri, version, edits, this.documentChanges()),
      });
      // Only what the editor applied is reported as pinned.
      if (applied.applied) {
        result.filesChanged++;
        for (const p of plan.pinned)
          result.pinned.push({ uri: file.uri, line: p.line, reference: p.reference, newText: p.newText! });
      } else
        result.failed.push({
          uri: file.uri,
          line: 0,
          reference: '',
          reason: `the editor did not apply the edit${applied.failureReason ? `: ${applied.failureReason}` : ''}`,
        });
    }
    void this.connection.sendNotification(PinProgressNotification, { done: files.length, total: files.length });
    return result;
  }

  /** The registry client for the image references of the files, or why there is none. */
  private registryServices(): Pick<PinServices, 'registry' | 'registryUnavailable'> {
    const registry = this.registry();
    const unavailable = registry.unavailableReason();
    return unavailable ? { registryUnavailable: unavailable } : { registry: registry.pinClient() };
  }

  /**
   * The version to send a file's edits with (null: a file the editor does not have open), or
   * undefined when the file no longer holds `text`, the text they were planned on:
   * - a document open when it was read: still at the version read. The edit carries that version,
   *   so the editor also refuses it if the document changes before the edit arrives;
   * - a file read from disk: read again now, synchronously, right before the edit is sent, so only
   *   the editor's round trip remains, not the lookups; if the user opened it meanwhile, its text
   *   in the editor is compared and the edit is versioned.
   */
  private editableVersion(
    file: { uri: string; path: string },
    text: string,
    readVersion: number | undefined,
  ): number | null | undefined {
    const open = this.openDocument(file.uri);
    if (open) {
      const same = readVersion !== undefined ? open.version === readVersion : open.getText() === text;
      return same ? open.version : undefined;
    }
    const again = readSourceSync(file.path);
    return 'skipped' in again || again.text !== text ? undefined : null;
  }

  /** The git lookups for the action refs of the files, or why there are none. */
  private actionServices(): Pick<PinServices, 'actions' | 'actionsUnavailable'> {
    const lookups = this.actions();
    const refs = lookups.refs();
    return refs ? { actions: refs } : { actionsUnavailable: lookups.unavailableReason() ?? 'action lookups are off' };
  }

  private async targets(
    engine: Engine,
    params: PinImagesParams,
    token: CancellationToken,
  ): Promise<Array<{ uri: string; path: string; kind: FileKind }>> {
    if (params.uri) {
      const filePath = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : params.uri;
      const open = this.openDocument(params.uri);
      const kind = open
        ? engine.kinds.detectInEditor(open.languageId, filePath, open.getText().split('\n')[0])
        : engine.kinds.detect(filePath);
      return kind ? [{ uri: params.uri, path: filePath, kind }] : [];
    }
    const folders =
      params.folders?.map((f) => (f.startsWith('file:') ? fileURLToPath(f) : f)) ?? this.workspaceFolders();
    const files = [];
    const resolver = this.resolver();
    for await (const file of discoverFiles(folders, {
      exclude: params.exclude ?? [],
      isIgnored: (p) => resolver.isIgnored(p),
      isCancelled: () => token.isCancellationRequested,
      kinds: engine.kinds,
    })) {
      files.push({ uri: pathToFileURL(file.path).toString(), path: file.path, kind: file.kind });
    }
    return files;
  }
}
