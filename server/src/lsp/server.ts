import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Connection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InitializeParams,
  InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Problem } from '../engine/types';
import { DocumentModel } from '../engine/documentModel';
import { ignoreFixes } from '../engine/ignoreFixes';
import { nonOverlapping } from '../engine/fixes';
import { FILE_KINDS, KindAdapter } from '../kinds';
import { runsScripts } from '../workspace/buildScriptIndex';
import { SourceText } from '../model/positions';
import { SettingsResolver, CONFIG_NAMES } from '../workspace/settingsResolver';
import { DEFAULT_MAX_FILE_BYTES } from '../workspace/readSource';
import { lintInputFor, readDotenvBeside } from '../workspace/lintFile';
import { IncrementalState, lintIncremental } from '../engine/incremental';
import type { LintInput } from '../engine/settings';
import { severitiesFor } from '../config/presets';
import { initAnalyzers } from '../analyzers';
import { EditorSettingsStore } from './editorSettings';
import { fixToCodeAction, SOURCE, toDiagnostic, workspaceEdit } from './convert';
import {
  DriftGuardInitializationOptions,
  FIX_ALL_KIND,
  PIN_IMAGES,
  PinImagesParams,
  SCAN_WORKSPACE,
  ScanWorkspaceParams,
} from './protocol';
import { WorkspaceScanner } from './workspaceScan';
import { BuildScriptTracker } from './buildScriptTracker';
import { RegistryService } from './registryService';
import { defaultCacheDir } from '../net/privateDir';
import { imageHover, isPinActionData, pinCodeActions, resolvePinAction } from './pinFeatures';
import { PinImagesCommand } from './pinImages';
import { checksumCodeActions, isChecksumActionData, resolveChecksumAction } from './checksumFeatures';
import { StaleDigestWatcher } from './staleDigests';
import { PackageService } from './packageService';
import { hostFixesOf } from '../rules';
import {
  baseOfTarget,
  isPackagePinActionData,
  packageCodeActions,
  packageHover,
  resolvePackagePinAction,
} from './packageFeatures';
import { packageVersion } from '../version';

/** Files whose changes on disk change findings: config files, and `.env` files Compose interpolation reads. */
const WATCHED_FILES = ['**/.driftguard.yaml', '**/.driftguard.yml', '**/.env'];

/** The last lint of an open document: its input and result, and what the next lint reuses. */
interface Analysed {
  version: number;
  state: IncrementalState;
}

/**
 * Wires the engine to an LSP connection: diagnostics on open/change, quick fixes and fix-all,
 * workspace scan, config-file diagnostics. Transport (IPC or stdio) is chosen by the caller.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analysed = new Map<string, Analysed>();
  const configDiagnostics = new Map<string, Diagnostic[]>();
  let filesWatched = false;
  const newResolver = () => new SettingsResolver(undefined, undefined, filesWatched);
  let resolver = newResolver();
  /** `.env` text (null: none) by Compose folder, kept while file change notifications arrive. */
  const dotenvByFolder = new Map<string, string | null>();
  const knownDotenv = (composePath: string): string | null => {
    const folder = path.dirname(composePath);
    let dotenv = dotenvByFolder.get(folder);
    if (dotenv === undefined) {
      dotenv = readDotenvBeside(composePath) ?? null;
      dotenvByFolder.set(folder, dotenv);
    }
    return dotenv;
  };
  let clientSupportsConfiguration = false;
  let clientSupportsDocumentChanges = false;
  let clientSupportsSnippets = false;
  let shouldRegisterWatchers = false;
  let scriptIndexStarted = false;
  let workspaceFolders: string[] = [];
  let trusted = true;
  const editorSettings = new EditorSettingsStore(connection, () => clientSupportsConfiguration);
  const buildScripts = new BuildScriptTracker();
  const pending = new Map<string, NodeJS.Immediate>();
  const tooLarge = new Set<string>();
  const scriptIndexUpdates = new Map<string, NodeJS.Timeout>();
  let maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  const ready = initAnalyzers();
  let cacheDir = defaultCacheDir();
  let registry = new RegistryService(true, cacheDir);
  const packages = new PackageService(() => registry);
  const staleDigests = new StaleDigestWatcher(
    () => registry,
    (uri) => {
      const d = documents.get(uri);
      if (d) schedule(d);
    },
  );

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    clientSupportsConfiguration = !!caps.workspace?.configuration;
    clientSupportsDocumentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    clientSupportsSnippets = !!(caps.experimental as { snippetTextEdit?: boolean } | undefined)?.snippetTextEdit;
    const options = (params.initializationOptions ?? {}) as DriftGuardInitializationOptions;
    trusted = options.trusted !== false;
    if (Number.isInteger(options.maxFileSize) && options.maxFileSize! > 0) maxFileBytes = options.maxFileSize!;
    shouldRegisterWatchers = !options.watchesFiles && !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    // With change notifications for config and `.env` files, neither is looked up on each keystroke.
    filesWatched = !!options.watchesFiles || shouldRegisterWatchers;
    resolver = newResolver();
    scanner.setResolver(resolver);
    cacheDir = typeof options.cacheDir === 'string' && path.isAbsolute(options.cacheDir) ? options.cacheDir : cacheDir;
    registry = new RegistryService(trusted, cacheDir, (message) => connection.console.warn(message));
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (workspaceFolders.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) workspaceFolders.push(root);
    }
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'driftguard', version: packageVersion() },
    };
  });

  connection.onInitialized(() => {
    if (clientSupportsConfiguration)
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'driftguard' });
    if (shouldRegisterWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_FILES.map((globPattern) => ({ globPattern })),
      });
    }
    connection.console.info(
      `DriftGuard ${packageVersion()} started (${trusted ? 'trusted' : 'untrusted'} workspace; folders: ` +
        `${workspaceFolders.join(', ') || 'none'})`,
    );
  });

  const schedule = (document: TextDocument) => {
    const previous = pending.get(document.uri);
    if (previous) clearImmediate(previous);
    pending.set(
      document.uri,
      setImmediate(() => {
        pending.delete(document.uri);
        void validate(document);
      }),
    );
  };

  async function validate(document: TextDocument): Promise<void> {
    await ready;
    const filePath = uriToPath(document.uri);
    const text = document.getText();
    const kind = FILE_KINDS.detectInEditor(
      document.languageId,
      filePath ?? document.uri,
      text.slice(0, text.indexOf('\n') >>> 0),
    );
    if (!kind) return;
    // Which Dockerfiles copy and run which scripts matters only for scripts: index the workspace's
    // Dockerfiles the first time a script is opened, then re-lint the open scripts.
    const adapter = FILE_KINDS.get(kind);
    if (adapter.runByOtherFiles && !scriptIndexStarted) {
      scriptIndexStarted = true;
      void buildScripts.index(workspaceFolders).then(() => revalidateAll((k) => !!k.runByOtherFiles));
    }
    // A document over the size limit is not analysed (the editor already holds it; no copy is made).
    const size = text.length > maxFileBytes / 3 ? Buffer.byteLength(text, 'utf8') : text.length;
    if (size > maxFileBytes) {
      analysed.delete(document.uri);
      if (!tooLarge.has(document.uri))
        connection.console.info(
          `${document.uri}: not analysed: ${size} bytes is over the ${maxFileBytes}-byte limit ` +
            '(initializationOptions.maxFileSize)',
        );
      tooLarge.add(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
      return;
    }
    tooLarge.delete(document.uri);
    const settings = await editorSettings.get(document.uri);
    registry.configure(settings.registry);
    packages.configure(settings.registry, settings.packageMirrors);
    if (document.version !== documents.get(document.uri)?.version) return;
    if (!settings.enable || (filePath && resolver.isIgnored(filePath))) {
      analysed.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
      return;
    }
    if (runsScripts(kind) && filePath) {
      // The script index (a second full parse of the Dockerfile) is refreshed off the keystroke path,
      // once typing pauses; linting the Dockerfile itself does not read it.
      clearTimeout(scriptIndexUpdates.get(filePath));
      scriptIndexUpdates.set(
        filePath,
        setTimeout(() => {
          scriptIndexUpdates.delete(filePath);
          const current = documents.get(document.uri);
          if (current) buildScripts.update({ path: filePath, kind }, current.getText());
        }, 300),
      );
    }
    const currentDigests = staleDigests.facts();
    const input: LintInput = filePath
      ? lintInputFor(
          {
            path: filePath,
            kind,
            text,
            buildScripts: buildScripts.scripts(),
            roots: buildScripts.roots(),
            overrides: { rules: settings.rules },
            currentDigests,
            ...(adapter.readsDotenv && filesWatched ? { dotenv: knownDotenv(filePath) } : {}),
          },
          resolver,
        )
      : {
          uri: document.uri,
          text,
          kind,
          settings: { severities: severitiesFor('recommended', settings.rules), imagesAllow: [], currentDigests },
        };
    if (filePath) publishConfigProblems(filePath);
    // Typing re-analyses only the changed part of a large document (same problems as a full lint).
    const { result, state } = lintIncremental(input, analysed.get(document.uri)?.state);
    staleDigests.watch(document.uri, input, result.model);
    for (const e of result.internalErrors) connection.console.error(`internal error: ${e}`);
    if (result.skipped) connection.console.info(`${document.uri}: not analysed: ${result.skipped}`);
    analysed.set(document.uri, { version: document.version, state });
    void connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: result.problems.map(toDiagnostic),
    });
  }

  function publishConfigProblems(filePath: string): void {
    const loaded = resolver.configFor(filePath);
    if (!loaded) return;
    const uri = pathToUri(loaded.path);
    const diagnostics = loaded.problems.map((p): Diagnostic => ({
      range: p.range,
      severity: 1,
      source: SOURCE,
      code: 'config',
      message: p.message,
    }));
    const key = JSON.stringify(diagnostics);
    if (JSON.stringify(configDiagnostics.get(uri)) === key) return;
    configDiagnostics.set(uri, diagnostics);
    void connection.sendDiagnostics({ uri, diagnostics });
  }

  /** Re-lints the open documents (of the kinds `only` accepts). */
  function revalidateAll(only?: (kind: KindAdapter) => boolean): void {
    for (const document of documents.all()) {
      const kind = analysed.get(document.uri)?.state.input.kind;
      if (!only || (kind !== undefined && only(FILE_KINDS.get(kind)))) schedule(document);
    }
  }

  documents.onDidChangeContent((change) => schedule(change.document));
  documents.onDidClose((event) => {
    tooLarge.delete(event.document.uri);
    analysed.delete(event.document.uri);
    const pendingRun = pending.get(event.document.uri);
    if (pendingRun) clearImmediate(pendingRun);
    pending.delete(event.document.uri);
    if (!scanner.wasScanned(event.document.uri))
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    else void scanner.rescanFile(event.document.uri);
  });

  connection.onDidChangeConfiguration(() => {
    editorSettings.clear();
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    const names = params.changes.map((c) => path.basename(uriToPath(c.uri) ?? ''));
    if (names.includes('.env')) {
      dotenvByFolder.clear();
      revalidateAll((k) => !!k.readsDotenv);
    }
    const configChanged = names.some((name) => CONFIG_NAMES.includes(name));
    if (configChanged) {
      resolver = newResolver();
      scanner.setResolver(resolver);
      for (const uri of configDiagnostics.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] });
      configDiagnostics.clear();
      revalidateAll();
    }
  });

  connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    await ready;
    const entry = analysed.get(document.uri);
    if (!entry || entry.version !== document.version) return [];
    const { result, input } = entry.state;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    const actions: CodeAction[] = [];
    const options = { documentChanges: clientSupportsDocumentChanges, snippets: clientSupportsSnippets };
    if (wants(CodeActionKind.QuickFix)) {
      const model = result.model ?? new DocumentModel(input);
      const inRange = result.problems.filter(
        (p) => p.range.start.line <= params.range.end.line && p.range.end.line >= params.range.start.line,
      );
      for (const problem of inRange) {
        const diagnostic = toDiagnostic(problem);
        actions.push(
          ...pinCodeActions(problem, diagnostic, document.uri, document.version, registry, options.documentChanges),
        );
        actions.push(...checksumCodeActions(problem, diagnostic, document.uri, document.version, registry));
        actions.push(
          ...packageCodeActions(
            problem,
            diagnostic,
            model,
            document.uri,
            document.version,
            packages,
            options.documentChanges,
          ),
          ...baseDigestActions(problem, diagnostic, model, document.uri, document.version),
        );
        for (const fix of problem.fixes)
          actions.push(fixToCodeAction(fix, document.uri, document.version, [diagnostic], options));
        for (const fix of ignoreFixes(model, problem))
          if (fix.edits.length > 0)
            actions.push(fixToCodeAction(fix, document.uri, document.version, [diagnostic], options));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const fixAll = fixAllAction(document, result.problems, options.documentChanges);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  });

  connection.onCodeActionResolve(async (action, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    if (isPinActionData(action.data))
      return resolvePinAction(action, registry, clientSupportsDocumentChanges, abort.signal);
    if (isPackagePinActionData(action.data)) {
      // Nothing is looked up for an untrusted workspace, whatever a client sends.
      const reason = packages.unavailableReason();
      if (reason) return { ...action, disabled: { reason } };
      return resolvePackagePinAction(action, packages, clientSupportsDocumentChanges, abort.signal);
    }
    if (isChecksumActionData(action.data))
      return resolveChecksumAction(action, registry, clientSupportsDocumentChanges, abort.signal);
    return action;
  });

  connection.onHover(async (params, token) => {
    const entry = analysed.get(params.textDocument.uri);
    if (!entry) return null;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const { result, input } = entry.state;
    const model = result.model ?? new DocumentModel(input);
    return (
      (await packageHover(model, params.position, packages, abort.signal)) ??
      imageHover(model, params.position, registry, abort.signal)
    );
  });

  const pinImages = new PinImagesCommand(
    connection,
    () => registry,
    () => resolver,
    (uri) => documents.get(uri),
    () => workspaceFolders,
    () => clientSupportsDocumentChanges,
  );
  connection.onRequest(PIN_IMAGES, async (params: PinImagesParams, token: CancellationToken) => {
    await ready;
    const scope = params.uri ?? params.folders?.[0] ?? (workspaceFolders[0] ? pathToUri(workspaceFolders[0]) : '');
    registry.configure((await editorSettings.get(scope)).registry);
    return pinImages.run(params, token);
  });

  connection.onShutdown(() => {
    registry.dispose();
    packages.dispose();
  });

  /** The offer to pin a stage's base image to its digest, on the packages whose release it decides. */
  function baseDigestActions(
    problem: Problem,
    diagnostic: Diagnostic,
    model: DocumentModel,
    uri: string,
    version: number,
  ): CodeAction[] {
    if (!hostFixesOf(problem.ruleId).packagePin) return [];
    const base = baseOfTarget(model, problem.range);
    const ref = base && model.imageReferences().find((r) => r.source === 'from' && r.range.start.line === base.line);
    if (!base || !ref) return [];
    const synthetic: Problem = {
      ruleId: 'image-unpinned-digest',
      severity: problem.severity,
      message: '',
      messageId: 'unpinned',
      range: ref.range,
      fixes: [],
      hostData: { reference: ref.resolved, ...(ref.editTarget ? { editTarget: ref.editTarget } : {}) },
    };
    return pinCodeActions(synthetic, diagnostic, uri, version, registry, clientSupportsDocumentChanges).map((a) => ({
      ...a,
      title: `Pin base image ${base.reference} to its digest (its tag moves between releases)`,
      isPreferred: false,
    }));
  }

  const scanner = new WorkspaceScanner(
    connection,
    () => resolver,
    buildScripts,
    (uri) => documents.get(uri) !== undefined,
  );
  connection.onRequest(SCAN_WORKSPACE, async (params: ScanWorkspaceParams, token: CancellationToken) => {
    await ready;
    const folders = params.folders?.map(uriToPath).filter((p): p is string => !!p) ?? workspaceFolders;
    const settings = await editorSettings.get(folders[0] ? pathToUri(folders[0]) : '');
    return scanner.scan(folders, [...(params.exclude ?? []), ...settings.scanExclude], token, settings.rules);
  });

  documents.listen(connection);
  connection.listen();
}

/** One edit per fixable problem (first fix each), sorted and non-overlapping, for the current version. */
function fixAllAction(document: TextDocument, problems: Problem[], documentChanges: boolean): CodeAction | undefined {
  const edits = problems.flatMap((p) => (p.fixes[0] && !p.fixes[0].snippet ? p.fixes[0].edits : []));
  if (edits.length === 0) return undefined;
  const source = new SourceText(document.uri, document.getText());
  return {
    title: 'Fix all DriftGuard problems',
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(document.uri, document.version, nonOverlapping(source, edits), documentChanges),
  };
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}
