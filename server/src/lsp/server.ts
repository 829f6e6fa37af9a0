import * as path from 'node:path';
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Connection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWatchedFilesParams,
  Disposable,
  FileChangeType,
  Hover,
  HoverParams,
  InitializeParams,
  InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Preset, Problem } from '../engine/types';
import { nonOverlapping } from '../engine/fixes';
import { FILE_KINDS, type FileKind, type KindAdapter } from '../kinds';
import { isBakeFilePath } from '../workspace/buildDefinitions';
import { SourceText } from '../model/positions';
import { SettingsResolver, CONFIG_NAMES } from '../workspace/settingsResolver';
import { FileFacts, lintInputFor, readDotenvBeside } from '../workspace/lintFile';
import type { IncrementalState } from '../engine/incremental';
import type { Engine } from '../engine/engine';
import type { DocumentModel } from '../engine/documentModel';
import { createEngine } from '../createEngine';
import type { SnippetCache } from '../shell/analysisCache';
import { keystrokeSnippetCache, SnippetCacheUse } from './snippetCacheUse';
import type { LintInput } from '../engine/settings';
import { finish, type LintSteps } from '../engine/lint';
import { severitiesForUser } from '../config/presets';
import { disableRuleEdits, newConfigText } from '../config/disableRule';
import { packageVersion } from '../version';
import { DEFAULT_EDITOR_SETTINGS, EditorSettings, EditorSettingsStore, RegistrySettings } from './editorSettings';
import { defaultUserSettings, parseUserSettings, UserSettings } from '../net/userSettings';
import { reusingDiagnostics, SOURCE, toDiagnostic, workspaceEdit } from './convert';
import { publishedDiagnostics } from './diagnostics';
import type { HostOverrides } from '../workspace/settingsResolver';
import {
  CLIENT_COMMANDS,
  FileStatusParams,
  FileStatusRequest,
  FileStatusResult,
  FIX_ALL_KIND,
  ForgetLookupFailuresRequest,
  PinImagesParams,
  PinImagesRequest,
  PinImagesResult,
  DidChangeUserSettingsNotification,
  DidChangeUserSettingsParams,
  DriftGuardInitializationOptions,
  ScanWorkspaceParams,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
  RegistryStatusNotification,
  type RegistryStatusParams,
} from './protocol';
import { ScanThreads, WorkspaceScanner } from './workspaceScan';
import { BuildScriptTracker } from './buildScriptTracker';
import { SourcedScripts } from './sourcedScripts';
import { RegistryService } from './registryService';
import { defaultCacheDir } from '../net/privateDir';
import { imageHover } from './pinFeatures';
import { actionHover } from './actionFeatures';
import { ActionLookups } from './actionLookups';
import { packageHover } from './packageFeatures';
import type { ScriptRunner } from '../pin/packageTargets';
import { PackageService } from './packageService';
import { PinImagesCommand } from './pinImages';
import { StaleDigestWatcher } from './staleDigests';
import {
  CODE_ACTION_RESOLVERS,
  CodeActionResolver,
  QUICK_FIX_PROVIDERS,
  QuickFixContext,
  QuickFixProvider,
} from './codeActions';
import { ClientSession, sessionFrom, UNINITIALISED_SESSION } from './session';
import { DeferredReads, REAL_TIMERS, type Timers } from './deferredReads';
import { pathToUri, uriToPath } from './uris';
import { fullCollectionOnFirstUse } from './heapRelease';

/** Files whose changes on disk change findings: config files, and `.env` files Compose interpolation reads. */
const WATCHED_FILES = ['**/.driftguard.yaml', '**/.driftguard.yml', '**/.env'];
/**
 * Files whose changes on disk change other files' lints: the builds Compose, bake and CI files and
 * scripts define (contexts, named contexts), the scripts Dockerfiles and CI files run. Watched for the
 * server whenever the client can register watchers (a client that watches files itself watches only
 * the settings files).
 */
const BUILD_FILES = [
  '**/*Dockerfile*',
  '**/*.sh',
  '**/docker-bake*.{hcl,json}',
  ...FILE_KINDS.all.flatMap((kind) => (kind.buildDefinitions ? (kind.editor.filePatterns ?? []) : [])),
];

/**
 * Documents at least this long (characters) are linted in steps, answering other requests between
 * them; shorter ones in one go (a few milliseconds: pausing would only add latency to keystrokes).
 */
const STEPPED_LINT_CHARS = 128 * 1024;

/**
 * Typing pause after which what an edited file tells other files (the builds it defines, the files
 * a script sources) is read again (a second full parse).
 */
const SCRIPT_INDEX_DELAY_MS = 300;

/** What the server is built from. `defaultServerServices()` gives the real ones; tests replace any. */
export interface ServerServices {
  /** Resolves once the parsers are loaded; every handler that lints waits for it. */
  /** The engine (built by the composition root): requests that lint wait until it is ready. */
  readonly engine: Promise<Engine>;
  /**
   * A registry client for a trusted (network allowed) or untrusted workspace, caching in the user's
   * private `cacheDir` (none: no cache on disk); `log` reports cache problems.
   */
  createRegistry(trusted: boolean, cacheDir: string | undefined, log: (message: string) => void): RegistryService;
  /**
   * Action ref lookups on the git server (GitHub) for a trusted (network allowed) or untrusted
   * workspace; the server is named by the user only (`userSettings.github.url`, `GITHUB_SERVER_URL`).
   */
  createActionLookups(trusted: boolean): ActionLookups;
  /** Config lookup; with `filesWatched`, a loaded config is used until a change is reported. */
  createResolver(filesWatched: boolean): SettingsResolver;
  /** Which scripts the workspace's Dockerfiles and templates run, and how. */
  readonly buildScripts: BuildScriptTracker;
  /** Asked in order for the quick fixes of each problem in a requested range. */
  readonly quickFixes: readonly QuickFixProvider[];
  /** Fill in the edits of actions listed with `data`. */
  readonly codeActionResolvers: readonly CodeActionResolver[];
  /** How Scan Workspace spreads over threads; by default as the CLI's scan does. */
  readonly scanThreads?: ScanThreads;
  /** The timers work deferred until typing pauses waits on (by default the real ones). */
  readonly timers?: Timers;
  /** Gives the memory of a finished Scan Workspace back (see `fullCollection`); none: left to V8. */
  readonly releaseMemory?: () => void;
  /**
   * The engine's own snippet cache, which the server turns on for the lints of edits and for scans (see
   * `SnippetCacheUse`); none: nothing is switched (an engine built with a cache keeps it as it is).
   */
  readonly snippetCache?: SnippetCache;
}

export function defaultServerServices(): ServerServices {
  const snippetCache = keystrokeSnippetCache();
  return {
    // One kept parse tree, as before the CLI's two: a second one can hold another large document's
    // parse in wasm memory, which never shrinks (about 2 MB for a 3,000-line script), for as long as
    // the editor runs; the parses it saves are those of a file-list scan reading sourced files.
    engine: createEngine({ snippetCache, keptTrees: 1 }),
    snippetCache,
    createRegistry: (trusted, cacheDir, log) => new RegistryService(trusted, cacheDir, log),
    createActionLookups: (trusted) => new ActionLookups(trusted),
    createResolver: (filesWatched) => new SettingsResolver(undefined, undefined, filesWatched),
    buildScripts: new BuildScriptTracker(),
    quickFixes: QUICK_FIX_PROVIDERS,
    codeActionResolvers: CODE_ACTION_RESOLVERS,
    releaseMemory: fullCollectionOnFirstUse(),
  };
}

/**
 * The last lint of an open document: its version, its input and result, and the diagnostics published
 * for its problems, which the next lint reuses.
 */
interface Analysed {
  version: number;
  state: IncrementalState;
  diagnostics: ReadonlyMap<Problem, Diagnostic>;
}

/**
 * The DriftGuard language server: diagnostics on open and change, quick fixes and fix-all, hovers,
 * workspace scan, pinning, config-file diagnostics. One instance serves one connection, whose
 * transport (IPC, stdio, socket, or in-memory streams in tests) is the caller's choice.
 *
 * Adding a handler: a method below, named for what it answers, and one line in `register()`.
 */
export class DriftGuardServer {
  readonly documents = new TextDocuments(TextDocument);
  private session: ClientSession = UNINITIALISED_SESSION;
  /**
   * The user-only channel (net/userSettings.ts): what enables and points network access, from
   * `initializationOptions.userSettings` and `driftguard/didChangeUserSettings`, never from
   * `workspace/configuration`.
   */
  private userSettings: UserSettings = defaultUserSettings();
  /** Workspace trust: the client's word at start, then `driftguard/didChangeUserSettings` once granted. */
  private trusted = true;
  private resolver: SettingsResolver;
  private registry: RegistryService;
  private actions: ActionLookups;
  /** Whether each lookup server answered at its last lookup; the client hears of the first that did not. */
  private readonly lookupStatus = new Map<'registry' | 'git', RegistryStatusParams>();
  /** Package versions from the package indexes, through the registry settings and mirrors. */
  private readonly packages = new PackageService(() => this.registry);
  private readonly analysed = new Map<string, Analysed>();
  private readonly configDiagnostics = new Map<string, Diagnostic[]>();
  /** `.env` text (null: none) by Compose folder, kept while file change notifications arrive. */
  private readonly dotenvByFolder = new Map<string, string | null>();
  private readonly pendingLints = new Map<string, NodeJS.Immediate>();
  /** Lints begun and not ended (a lint awaits settings, and a large document's lint runs in steps). */
  private runningLints = 0;
  private readonly tooLarge = new Set<string>();
  /** Re-reads of the builds a file defines and of what scripts source, kept off keystrokes. */
  private readonly deferredReads: DeferredReads;
  /**
   * By path: recording the scripts a document runs from its first lint's model, waiting for typing
   * to pause (see `buildsRead`); dropped when a keystroke's re-read will record them instead.
   */
  private readonly firstRecords = new Map<string, () => boolean>();
  /** The workspace's builds and script runners, indexed once (see indexWorkspace). */
  private workspaceIndex: Promise<void> | undefined;
  /** What the files each script sources give it, and which scripts read which files. */
  private readonly sourced = new SourcedScripts(
    () => this.session.workspaceFolders,
    (filePath) => this.documents.get(pathToUri(filePath))?.getText(),
  );
  /** The sourced files the client watches for the server (registered at run time), and that registration. */
  private sourcedWatch: { files: string; registration?: Promise<Disposable | undefined> } = { files: '' };
  /** The engine, once `services.engine` is ready (every lint waits for it). */
  private engine: Engine | undefined;
  private readonly editorSettings: EditorSettingsStore;
  private readonly staleDigests: StaleDigestWatcher;
  private readonly scanner: WorkspaceScanner;
  private readonly snippetCacheUse: SnippetCacheUse;
  private readonly pinCommand: PinImagesCommand;
  private readonly warn = (message: string) => this.connection.console.warn(message);

  constructor(
    private readonly connection: Connection,
    private readonly services: ServerServices = defaultServerServices(),
  ) {
    this.resolver = services.createResolver(false);
    this.deferredReads = new DeferredReads(
      SCRIPT_INDEX_DELAY_MS,
      () => this.pendingLints.size > 0 || this.runningLints > 0,
      services.timers ?? REAL_TIMERS,
    );
    this.registry = this.watchRegistry(services.createRegistry(true, defaultCacheDir(), this.warn));
    this.actions = this.watchActions(services.createActionLookups(true));
    this.editorSettings = new EditorSettingsStore(connection, () => this.session.configuration);
    this.staleDigests = new StaleDigestWatcher(
      () => this.registry,
      (uri) => this.relint(uri),
    );
    this.scanner = new WorkspaceScanner(
      connection,
      () => this.resolver,
      services.buildScripts,
      (uri) => (this.documents.get(uri) ? (this.analysed.get(uri)?.state.result.problems.length ?? 0) : undefined),
      this.sourced,
      services.scanThreads,
    );
    this.snippetCacheUse = new SnippetCacheUse(services.snippetCache);
    this.pinCommand = new PinImagesCommand(
      connection,
      () => this.registry,
      () => this.actions,
      () => this.resolver,
      (uri) => this.documents.get(uri),
      () => this.session.workspaceFolders,
      () => this.session.documentChanges,
    );
  }

  /** Subscribes every handler on the connection; the caller then calls `connection.listen()`. */
  register(): void {
    const connection = this.connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration(() => this.configurationChanged());
    connection.onNotification(DidChangeUserSettingsNotification, (params) => this.userSettingsChanged(params));
    connection.onDidChangeWatchedFiles((params) => this.watchedFilesChanged(params));
    connection.onCodeAction((params) => this.codeActions(params));
    connection.onCodeActionResolve((action, token) => this.resolveCodeAction(action, token));
    connection.onHover((params, token) => this.hover(params, token));
    connection.onRequest(ScanWorkspaceRequest, (params, token) => this.scanWorkspace(params, token));
    connection.onRequest(PinImagesRequest, (params, token) => this.pinImages(params, token));
    connection.onRequest(FileStatusRequest, (params) => this.fileStatus(params));
    connection.onRequest(ForgetLookupFailuresRequest, () => this.forgetLookupFailures());
    connection.onShutdown(() => this.shutdown());
    this.documents.onDidChangeContent((change) => {
      this.scheduleLint(change.document);
      this.sourcedFileChanged(change.document.uri);
    });
    this.documents.onDidSave((event) => this.sourcedFileChanged(event.document.uri));
    this.documents.onDidClose((event) => this.documentClosed(event.document));
    this.documents.listen(connection);
  }

  initialize(params: InitializeParams): InitializeResult {
    this.session = sessionFrom(params);
    this.resolver = this.services.createResolver(this.session.filesWatched);
    this.trusted = this.session.trusted;
    this.applyUserSettings((params.initializationOptions as DriftGuardInitializationOptions | undefined)?.userSettings);
    this.newLookups();
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
  }

  initialized(): void {
    const { configuration, registerWatchers, trusted, workspaceFolders } = this.session;
    if (configuration)
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'driftguard' });
    const watched = [
      ...(registerWatchers ? WATCHED_FILES : []),
      ...(this.session.canRegisterWatchers ? BUILD_FILES : []),
    ];
    if (watched.length > 0)
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: watched.map((globPattern) => ({ globPattern })),
      });
    this.connection.console.info(
      `DriftGuard ${packageVersion()} started (${trusted ? 'trusted' : 'untrusted'} workspace; folders: ` +
        `${workspaceFolders.join(', ') || 'none'})`,
    );
  }

  configurationChanged(): void {
    this.editorSettings.clear();
    this.relintOpen();
    void this.rescanScanned();
  }

  /**
   * The user changed a user-only setting or granted workspace trust: lookups start again with the
   * new settings and trust, and open documents are linted again (online rules may have been switched
   * on or off) — no restart.
   */
  userSettingsChanged(params: DidChangeUserSettingsParams): void {
    if (params.userSettings !== undefined) this.applyUserSettings(params.userSettings);
    if (typeof params.trusted === 'boolean') this.trusted = params.trusted;
    this.newLookups();
    this.relintOpen();
    void this.rescanScanned();
  }

  private applyUserSettings(wire: unknown): void {
    const parsed = parseUserSettings(wire);
    this.userSettings = parsed.settings;
    for (const problem of parsed.problems) this.warn(`user setting ignored: ${problem}`);
  }

  /**
   * Registry and action lookups for the current trust, with the user's settings; package lookups
   * start afresh. Nothing is sent here: lookups happen when a fix, hover or command asks.
   */
  private newLookups(): void {
    this.registry.dispose();
    this.registry = this.watchRegistry(
      this.services.createRegistry(this.trusted, this.session.cacheDir ?? defaultCacheDir(), this.warn),
    );
    this.actions.dispose();
    this.actions = this.watchActions(this.services.createActionLookups(this.trusted));
    this.packages.reset();
    this.configureLookups(DEFAULT_EDITOR_SETTINGS);
  }

  /**
   * Points the lookups with the user's settings; of the resource's (workspace) settings only the
   * platform to pin is read, which chooses a manifest and never a host.
   */
  private configureLookups(settings: EditorSettings): void {
    const registry: RegistrySettings = {
      ...this.userSettings.registry,
      ...(settings.platform ? { platform: settings.platform } : {}),
    };
    this.registry.configure(registry);
    this.packages.configure(registry, this.userSettings.mirrors);
    this.actions.configure({ githubUrl: this.userSettings.github.url, registry });
  }

  watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    for (const change of params.changes) {
      this.sourcedFileChanged(change.uri);
      const filePath = uriToPath(change.uri);
      // An open document's text is the editor's: its lint reads it.
      if (filePath && !this.documents.get(change.uri))
        this.scheduleBuildsUpdate(filePath, change.type === FileChangeType.Deleted ? 'deleted' : 'disk');
    }
    const names = params.changes.map((c) => path.basename(uriToPath(c.uri) ?? ''));
    if (names.includes('.env')) {
      this.dotenvByFolder.clear();
      this.relintOpen((kind) => !!kind.readsDotenv);
    }
    if (names.some((name) => CONFIG_NAMES.includes(name))) {
      this.resolver = this.services.createResolver(this.session.filesWatched);
      for (const uri of this.configDiagnostics.keys()) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      this.configDiagnostics.clear();
      this.relintOpen();
      void this.rescanScanned();
    }
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return [];
    await this.services.engine;
    const entry = this.analysed.get(document.uri);
    if (!entry || entry.version !== document.version) return [];
    const { result, input } = entry.state;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const offered = new Set<string>();
      const context: QuickFixContext = {
        uri: document.uri,
        version: document.version,
        model: result.model,
        registry: this.registry,
        packages: this.packages,
        actions: this.actions,
        documentChanges: this.session.documentChanges,
        snippets: this.session.snippets,
        scriptRunner: this.scriptRunner(input),
        snippetEdits: this.session.snippetEdits,
        clientCommands: this.session.clientCommands,
        once: (title) => !offered.has(title) && !!offered.add(title),
        disableRuleEdit: (ruleId) => this.disableRuleEdit(uriToPath(document.uri), ruleId),
      };
      const { start, end } = params.range;
      for (const problem of result.problems) {
        if (problem.range.start.line > end.line || problem.range.end.line < start.line) continue;
        const diagnostic = toDiagnostic(problem);
        for (const provider of this.services.quickFixes) actions.push(...provider(problem, diagnostic, context));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const fixAll = fixAllAction(document, result.problems, this.session.documentChanges);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  async resolveCodeAction(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    const resolver = this.services.codeActionResolvers.find((r) => r.accepts(action.data));
    if (!resolver) return action;
    // Resolvers fetch (registry, downloads, package indices). Trust can be withdrawn between listing
    // and picking, and a client may send anything: without trust nothing is fetched.
    if (!this.trusted) return { ...action, disabled: { reason: 'nothing is fetched in an untrusted workspace' } };
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return resolver.resolve(action, {
      registry: this.registry,
      packages: this.packages,
      actions: this.actions,
      modelOf: (uri, version) => this.modelOf(uri, version),
      documentChanges: this.session.documentChanges,
      signal: abort.signal,
    });
  }

  /** The model of an open document as last linted, if that lint is of `version`. */
  private modelOf(uri: string, version: number): DocumentModel | undefined {
    const entry = this.analysed.get(uri);
    if (!entry || entry.version !== version || this.documents.get(uri)?.version !== version) return undefined;
    return entry.state.result.model;
  }

  /** The Dockerfile stage a build script runs in (its installs are pinned for that base image). */
  private scriptRunner(input: LintInput): ScriptRunner | undefined {
    const filePath = input.shellContext === 'build' ? uriToPath(input.uri) : undefined;
    return filePath ? this.services.buildScripts.runnerOf(filePath) : undefined;
  }

  async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const entry = this.analysed.get(params.textDocument.uri);
    if (!entry) return null;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const { result, input } = entry.state;
    const model = result.model;
    const lookUpAgainLink = this.session.clientCommands.has(CLIENT_COMMANDS.lookUpAgain);
    return (
      (await packageHover(model, params.position, this.packages, abort.signal, this.scriptRunner(input))) ??
      (await actionHover(model, params.position, this.actions, abort.signal, lookUpAgainLink)) ??
      imageHover(model, params.position, this.registry, abort.signal, lookUpAgainLink)
    );
  }

  async scanWorkspace(params: ScanWorkspaceParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    const engine = await this.services.engine;
    const folders = params.folders?.map(uriToPath).filter((p): p is string => !!p) ?? this.session.workspaceFolders;
    const settings = await this.editorSettings.get(folders[0] ? pathToUri(folders[0]) : '');
    const started = Date.now();
    const exclude = [...(params.exclude ?? []), ...settings.scanExclude];
    const result = await this.snippetCacheUse.scan(() =>
      this.scanWithIndex(engine, folders, exclude, token, this.hostOverrides(settings)),
    );
    this.releaseMemoryAfterAnswer();
    this.watchSourcedFiles();
    this.connection.console.info(
      `scan: ${result.filesScanned} files in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
        `${result.findings} findings in ${result.filesWithFindings} files` +
        (result.skipped.length ? `, ${result.skipped.length} skipped` : '') +
        (result.cancelled ? ' (cancelled)' : ''),
    );
    return result;
  }

  /**
   * Gives back the heap a scan no longer needs once its answer and its last diagnostics are written:
   * the client does not wait for the two full collections (40-110 ms after a scan of the corpus, load
   * 4-8). The connection writes each message from an immediate queued when it is sent, so an
   * immediate queued from an immediate runs after the answer's; run before it, they delayed it.
   */
  private releaseMemoryAfterAnswer(): void {
    const release = this.services.releaseMemory;
    if (release) setImmediate(() => setImmediate(release));
  }

  /** Which config file and preset apply to a file, and which rules are off there. */
  async fileStatus(params: FileStatusParams): Promise<FileStatusResult> {
    await this.services.engine;
    const uri = typeof params?.uri === 'string' ? params.uri : '';
    const settings = await this.editorSettings.get(uri);
    const filePath = uri ? uriToPath(uri) : undefined;
    const loaded = filePath ? this.resolver.configFor(filePath) : undefined;
    const preset: Preset = loaded?.config.extends ?? settings.preset ?? 'recommended';
    const presetSource = loaded?.config.extends ? 'config' : settings.preset ? 'setting' : 'default';
    const severities = filePath
      ? this.resolver.settingsFor(filePath, this.hostOverrides(settings)).severities
      : severitiesForUser(preset, { online: this.userSettings.online }, settings.rules);
    const document = this.documents.get(uri);
    const notLintedReason = !settings.enable
      ? 'driftguard.enable is off'
      : filePath && this.resolver.isIgnored(filePath)
        ? `ignored by ${loaded?.path ?? 'the config'}`
        : document && !this.analysed.has(uri)
          ? 'not a file kind DriftGuard lints, or too large'
          : undefined;
    return {
      linted: !notLintedReason,
      ...(notLintedReason ? { notLintedReason } : {}),
      ...(loaded ? { configPath: loaded.path } : {}),
      preset,
      presetSource,
      rulesOff: Object.entries(severities)
        .filter(([, severity]) => severity === 'off')
        .map(([id]) => id),
    };
  }

  forgetLookupFailures(): null {
    this.registry.forgetFailures();
    this.actions.forgetFailures();
    return null;
  }

  async pinImages(params: PinImagesParams, token: CancellationToken): Promise<PinImagesResult> {
    const engine = await this.services.engine;
    const firstFolder = this.session.workspaceFolders[0];
    const scope = params.uri ?? params.folders?.[0] ?? (firstFolder ? pathToUri(firstFolder) : '');
    const settings = await this.editorSettings.get(scope);
    this.configureLookups(settings);
    return this.pinCommand.run(engine, params, token);
  }

  shutdown(): void {
    this.registry.dispose();
    this.packages.dispose();
    this.actions.dispose();
    this.deferredReads.dispose();
  }

  documentClosed(document: TextDocument): void {
    const uri = document.uri;
    this.tooLarge.delete(uri);
    this.analysed.delete(uri);
    clearImmediate(this.pendingLints.get(uri));
    if (this.pendingLints.delete(uri)) this.deferredReads.lintEnded();
    // Scripts that source it read it from disk again.
    this.sourcedFileChanged(uri);
    const filePath = uriToPath(uri);
    if (filePath && !this.scanner.wasScanned(uri)) this.sourced.forget(filePath);
    // A file the workspace scan listed keeps its findings (from disk) after its editor closes.
    if (this.scanner.wasScanned(uri)) void this.services.engine.then((engine) => this.scanner.rescanFile(engine, uri));
    else void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The editor's rule settings over each file's config, and the user's own choice of online rules. */
  private hostOverrides(settings: EditorSettings): HostOverrides {
    return {
      rules: settings.rules,
      online: this.userSettings.online,
      ...(settings.preset ? { preset: settings.preset } : {}),
    };
  }

  /** Reports the registry's reachability to the client and its failed lookups to the log. */
  private watchRegistry(registry: RegistryService): RegistryService {
    registry.onStatus = (status) => {
      if (!status.reachable) this.connection.console.warn(`registry ${status.registry} unreachable: ${status.reason}`);
      this.reportLookupStatus('registry', status);
    };
    registry.onLookupFailure = (reference, reason) =>
      this.connection.console.warn(`registry lookup failed for ${reference}: ${reason}`);
    return registry;
  }

  /** The same for the git server action refs are listed on. */
  private watchActions(actions: ActionLookups): ActionLookups {
    actions.onStatus = (status) => {
      if (!status.reachable)
        this.connection.console.warn(`git server ${status.registry} unreachable: ${status.reason}`);
      this.reportLookupStatus('git', status);
    };
    actions.onLookupFailure = (repository, reason) =>
      this.connection.console.warn(`action lookup failed for ${repository}: ${reason}`);
    return actions;
  }

  private reportLookupStatus(server: 'registry' | 'git', status: RegistryStatusParams): void {
    this.lookupStatus.set(server, status);
    const down = [...this.lookupStatus.values()].find((s) => !s.reachable);
    void this.connection.sendNotification(RegistryStatusNotification, down ?? { reachable: true });
  }

  /** Scanned files that are not open, linted again with the config files and settings of now. */
  private async rescanScanned(): Promise<void> {
    const folder = this.session.workspaceFolders[0];
    const settings = await this.editorSettings.get(folder ? pathToUri(folder) : '');
    await this.scanner.rescanAll(await this.services.engine, this.hostOverrides(settings));
  }

  /**
   * `rules.<id>: off` in the `.driftguard.yaml` that applies to the file, or a new one in the file's
   * workspace folder where there is none (when the client creates files). Undefined when the config
   * cannot be edited safely (see `disableRuleEdits`).
   */
  private disableRuleEdit(filePath: string | undefined, ruleId: string): WorkspaceEdit | undefined {
    if (!filePath) return undefined;
    const loaded = this.resolver.configFor(filePath);
    if (loaded) {
      const edits = disableRuleEdits(loaded.text, ruleId);
      if (!edits?.length) return undefined;
      return workspaceEdit(pathToUri(loaded.path), null, edits, this.session.documentChanges);
    }
    const folder = this.session.workspaceFolders.find((f) => filePath.startsWith(f + path.sep));
    if (!folder || !this.session.createFiles) return undefined;
    const uri = pathToUri(path.join(folder, '.driftguard.yaml'));
    const start = { line: 0, character: 0 };
    return {
      documentChanges: [
        { kind: 'create', uri, options: { ignoreIfExists: true } },
        {
          textDocument: { uri, version: null },
          edits: [{ range: { start, end: start }, newText: newConfigText(ruleId) }],
        },
      ],
    };
  }

  /** Lints a document once the current burst of changes is delivered (one lint per burst). */
  private scheduleLint(document: TextDocument): void {
    clearImmediate(this.pendingLints.get(document.uri));
    this.pendingLints.set(
      document.uri,
      setImmediate(() => {
        this.pendingLints.delete(document.uri);
        this.runningLints++;
        void this.lintDocument(document).finally(() => {
          this.runningLints--;
          this.deferredReads.lintEnded();
        });
      }),
    );
  }

  private relint(uri: string): void {
    const document = this.documents.get(uri);
    if (document) this.scheduleLint(document);
  }

  /**
   * Indexes the workspace's builds (Compose, bake, CI files, generator scripts, throwaway runs) and
   * the Dockerfiles that run scripts, once, when the first script or Dockerfile opened has its
   * diagnostics (a first Scan Workspace builds the index itself, see `scanWithIndex`). Open scripts
   * and Dockerfiles whose input it changed are linted again when it is done. An index that fails is
   * logged and never fails a lint or a scan: they go on with what it had read.
   */
  private indexWorkspace(engine: Engine): Promise<void> {
    const isOpen = (filePath: string) => !!this.documents.get(pathToUri(filePath));
    const isIgnored = (filePath: string) => this.resolver.isIgnored(filePath);
    this.workspaceIndex ??= this.services.buildScripts
      .index(engine, this.session.workspaceFolders, { isOpen, isIgnored })
      .then(
        () => this.relintBuildReaders(),
        (error: unknown) =>
          this.warn(`workspace index failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    return this.workspaceIndex;
  }

  /**
   * Scans `folders` with what the files tell of each other, as the CLI's scan knows it: from the
   * workspace index when it covers them (an index begun by an opened document is waited for); the
   * first scan of the workspace folders before any index builds it in its own visit of the files.
   */
  private async scanWithIndex(
    engine: Engine,
    folders: readonly string[],
    exclude: readonly string[],
    token: CancellationToken,
    overrides: HostOverrides,
  ): Promise<ScanWorkspaceResult> {
    if (this.workspaceIndex) await this.workspaceIndex;
    const buildScripts = this.services.buildScripts;
    const workspace = this.session.workspaceFolders;
    const sameFolders =
      folders.length === workspace.length && folders.every((f) => workspace.includes(path.resolve(f)));
    const index = buildScripts.covers(folders) ? 'reuse' : !this.workspaceIndex && sameFolders ? 'adopt' : 'own';
    if (index !== 'adopt') return this.scanner.scan(engine, folders, exclude, token, overrides, index);
    const scan = this.scanner.scan(engine, folders, exclude, token, overrides, 'adopt');
    // The scan's own failure is its request's; a scan that ended without indexing (cancelled, failed)
    // leaves the index to the next document opened or scan.
    this.workspaceIndex = scan.then(
      () => {
        if (!buildScripts.covers(workspace)) this.workspaceIndex = undefined;
        else this.relintBuildReaders();
      },
      () => {
        this.workspaceIndex = undefined;
      },
    );
    return scan;
  }

  /** Re-lints the open documents (of the kinds `only` accepts). */
  private relintOpen(only?: (kind: KindAdapter) => boolean): void {
    for (const document of this.documents.all()) {
      const kind = this.analysed.get(document.uri)?.state.input.kind;
      if (!only || (kind !== undefined && this.engine && only(this.engine.kinds.get(kind))))
        this.scheduleLint(document);
    }
  }

  private async lintDocument(document: TextDocument): Promise<void> {
    const engine = (this.engine = await this.services.engine);
    const filePath = uriToPath(document.uri);
    const text = document.getText();
    const kind = engine.kinds.detectInEditor(
      document.languageId,
      filePath ?? document.uri,
      text.slice(0, text.indexOf('\n') >>> 0),
    );
    if (filePath && !kind && isBakeFilePath(filePath)) this.scheduleBuildsUpdate(filePath, { text });
    if (!kind) return;
    // Which Dockerfiles copy and run which scripts, and which builds name which contexts, matter for
    // scripts and Dockerfiles: the workspace is indexed the first time one is opened, once its first
    // diagnostics are out (from what is known then), and it is linted again if the index changes its input.
    const readsIndex = engine.kinds.get(kind).runByOtherFiles || engine.runsScripts(kind);
    if (this.isTooLarge(document, text)) {
      if (readsIndex) void this.indexWorkspace(engine);
      return;
    }
    const settings = await this.editorSettings.get(document.uri);
    this.configureLookups(settings);
    if (document.version !== this.documents.get(document.uri)?.version) return;
    if (!settings.enable || (filePath && this.resolver.isIgnored(filePath))) {
      this.analysed.delete(document.uri);
      void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
      return;
    }
    const input = this.lintInput(engine, document, kind, text, filePath, settings);
    if (filePath) this.publishConfigProblems(filePath);
    const before = this.analysed.get(document.uri);
    const previous = before?.state;
    // Typing re-analyses only the changed part of a large document (same problems as a full lint).
    const steps = engine.lintIncrementalSteps(input, previous);
    const linted =
      text.length < STEPPED_LINT_CHARS
        ? this.snippetCacheUse.lintEdit(previous !== undefined, () => finish(steps))
        : await this.lintInSteps(steps, document);
    if (!linted) return;
    const { result, state } = linted;
    this.staleDigests.watch(document.uri, input, result.model);
    for (const e of result.internalErrors) this.connection.console.error(`internal error: ${e}`);
    if (result.skipped) this.connection.console.info(`${document.uri}: not analysed: ${result.skipped}`);
    const { convert, converted } = reusingDiagnostics(before?.diagnostics);
    const diagnostics = publishedDiagnostics(result, convert);
    this.analysed.set(document.uri, { version: document.version, state, diagnostics: converted });
    // What the lint tells other files waits until its diagnostics are written (in the order lints
    // publish): a Dockerfile's first lint records the stages that run its scripts and starts the
    // workspace index, which delayed the bench's first publish of a 3,000-line Dockerfile by about a
    // fifth of its open time (about 200 ms of a 1.1 s profiled open). Nothing the publish holds
    // depends on them; documents whose input they change are linted again (relintBuildReaders).
    await this.connection
      .sendDiagnostics({ uri: document.uri, version: document.version, diagnostics })
      .catch(() => undefined);
    if (filePath) this.buildsRead(engine, filePath, kind, text, previous ? undefined : result.model);
    // A script's own `source` lines are read again once typing pauses (its first lint reads them at once).
    if (engine.kinds.get(kind).runByOtherFiles && filePath && previous) this.scheduleSourcedRefresh(filePath);
    if (readsIndex) void this.indexWorkspace(engine);
  }

  /**
   * What an open document tells the workspace index, after its lint, once typing pauses: the
   * scripts it runs, from its first lint's model (no second parse; the index reads no open
   * document) or, after an edit, from a parse of its own (an incremental lint's model would parse
   * the whole document again at every keystroke); the builds it defines.
   *
   * The first lint's record waits too, and is dropped when an edit's re-read will record the
   * document instead: recorded at once, it ran between the first keystrokes (on the bench's
   * 3,000-line Dockerfile, about 90 ms of server CPU after the open's publish that 37a790a does not
   * spend there) only to be replaced once typing paused. Kept when the edit's re-read would record
   * nothing (the workspace not indexed yet, or the file outside it): both then run, in order.
   */
  private buildsRead(engine: Engine, filePath: string, kind: FileKind, text: string, model?: DocumentModel): void {
    const runsScripts = engine.runsScripts(kind);
    const buildScripts = this.services.buildScripts;
    if (runsScripts && model) {
      this.firstRecords.set(filePath, () => buildScripts.update(engine, { path: filePath, kind }, text, model));
      this.deferredReads.defer(`first:${filePath}`, () => {
        const record = this.firstRecords.get(filePath);
        this.firstRecords.delete(filePath);
        if (record?.()) this.relintBuildReaders();
      });
    } else if (runsScripts && this.firstRecords.has(filePath) && buildScripts.recordsEdits(filePath))
      this.firstRecords.delete(filePath);
    if (engine.kinds.get(kind).buildDefinitions || (runsScripts && !model))
      this.scheduleBuildsUpdate(filePath, { text }, kind);
  }

  /**
   * Runs a large document's lint a step at a time (after the parse, after each rule), turning the
   * event loop between steps so hovers, code actions and other documents are answered meanwhile;
   * the editor shows it as progress. Abandoned (undefined) when the document changes or closes
   * meanwhile: a change schedules a lint of its own.
   */
  private async lintInSteps<R>(steps: LintSteps<R>, document: TextDocument): Promise<R | undefined> {
    // Documents are updated in place: the version now is the version linted.
    const version = document.version;
    const progress = this.session.workDoneProgress
      ? await this.connection.window.createWorkDoneProgress().catch(() => undefined)
      : undefined;
    progress?.begin('DriftGuard', undefined, `Analysing ${path.basename(uriToPath(document.uri) ?? document.uri)}`);
    try {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.documents.get(document.uri)?.version !== version) {
          // Closing the steps frees what the paused lint holds (a script's parse tree, in wasm memory).
          steps.return(undefined as R);
          return undefined;
        }
      }
    } finally {
      progress?.done();
    }
  }

  /** A document over the size limit is not analysed (the editor already holds it; no copy is made). */
  private isTooLarge(document: TextDocument, text: string): boolean {
    const limit = this.session.maxFileBytes;
    const size = text.length > limit / 3 ? Buffer.byteLength(text, 'utf8') : text.length;
    if (size <= limit) {
      this.tooLarge.delete(document.uri);
      return false;
    }
    this.analysed.delete(document.uri);
    if (!this.tooLarge.has(document.uri))
      this.connection.console.info(
        `${document.uri}: not analysed: ${size} bytes is over the ${limit}-byte limit ` +
          '(initializationOptions.maxFileSize)',
      );
    this.tooLarge.add(document.uri);
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
    return true;
  }

  /**
   * Re-lints the open documents whose input from other files' builds changed: a script's context
   * and role, a Dockerfile's named contexts — all the index gives a lint (`lintInputFor` reads the
   * index's scripts and roots for the script context alone). Documents not linted yet read them when
   * they are. A document whose input is the same is not linted again: on a 3,000-line script that
   * lint cost 0.3 s of CPU after every index.
   */
  private relintBuildReaders(): void {
    const engine = this.engine;
    if (!engine) return;
    const scripts = this.services.buildScripts;
    for (const document of this.documents.all()) {
      const before = this.analysed.get(document.uri)?.state.input;
      const filePath = uriToPath(document.uri);
      if (!before || !filePath) continue;
      const now = lintInputFor(
        engine.kinds,
        {
          path: filePath,
          kind: before.kind,
          text: before.text,
          buildScripts: scripts.scripts(),
          roots: scripts.roots(),
          namedContexts: scripts.namedContextsOf(filePath),
        },
        this.resolver,
      );
      if (
        now.shellContext !== before.shellContext ||
        now.scriptRole !== before.scriptRole ||
        (now.namedContexts ?? []).join('\n') !== (before.namedContexts ?? []).join('\n')
      )
        this.scheduleLint(document);
    }
  }

  /**
   * A file that may define builds or run scripts changed (in the editor: its text; on disk): once
   * changes to it pause, the builds it defines are read again, and if what the workspace's builds
   * give Dockerfiles and scripts changed, the open ones are linted again. Off the keystroke path.
   */
  private scheduleBuildsUpdate(filePath: string, change: { text: string } | 'disk' | 'deleted', kind?: FileKind): void {
    this.deferredReads.defer(`builds:${filePath}`, () => {
      void this.services.engine.then(async (engine) => {
        const fileKind = kind ?? engine.kinds.detect(filePath);
        const changed = await this.services.buildScripts.definingFileChanged(
          engine,
          { path: filePath, kind: fileKind },
          change,
        );
        if (changed) this.relintBuildReaders();
      });
    });
  }

  private lintInput(
    engine: Engine,
    document: TextDocument,
    kind: FileKind,
    text: string,
    filePath: string | undefined,
    settings: EditorSettings,
  ): LintInput {
    const currentDigests = this.staleDigests.facts();
    if (!filePath)
      return {
        uri: document.uri,
        text,
        kind,
        settings: {
          severities: severitiesForUser(
            settings.preset ?? 'recommended',
            { online: this.userSettings.online },
            settings.rules,
          ),
          imagesAllow: [],
          currentDigests,
        },
      };
    const readsDotenv = engine.kinds.get(kind).readsDotenv && this.session.filesWatched;
    return lintInputFor(
      engine.kinds,
      {
        path: filePath,
        kind,
        text,
        buildScripts: this.services.buildScripts.scripts(),
        roots: this.services.buildScripts.roots(),
        namedContexts: this.services.buildScripts.namedContextsOf(filePath),
        overrides: this.hostOverrides(settings),
        currentDigests,
        ...this.sourcedFacts(engine, kind, filePath, text),
        ...(readsDotenv ? { dotenv: this.knownDotenv(filePath) } : {}),
      },
      this.resolver,
    );
  }

  private sourcedFacts(engine: Engine, kind: FileKind, filePath: string, text: string): Partial<FileFacts> {
    if (!engine.kinds.get(kind).runByOtherFiles) return {};
    const variables = this.sourced.variablesFor(engine, { path: filePath, kind, text });
    this.watchSourcedFiles();
    return variables ? { sourcedVariables: variables } : {};
  }

  /**
   * Asks the client to report changes on disk of the files scripts source (a checkout, another
   * editor), when it watches files the server names; the list is replaced as it changes.
   */
  private watchSourcedFiles(): void {
    if (!this.session.canRegisterWatchers) return;
    // Glob characters in a path would make it a pattern: such a file is not watched.
    const files = this.sourced.files().filter((f) => !/[*?[\]{}]/.test(f));
    const key = files.join('\n');
    if (key === this.sourcedWatch.files) return;
    const previous = this.sourcedWatch.registration;
    void previous?.then((registration) => registration?.dispose());
    this.sourcedWatch = {
      files: key,
      ...(files.length === 0
        ? {}
        : {
            registration: this.connection.client
              .register(DidChangeWatchedFilesNotification.type, {
                watchers: files.map((globPattern) => ({ globPattern })),
              })
              .catch(() => undefined),
          }),
    };
  }

  /** A file changed (typed, saved, closed, or on disk): the scripts that source it read it again. */
  private sourcedFileChanged(uri: string): void {
    const filePath = uriToPath(uri);
    if (!filePath) return;
    for (const script of this.sourced.dependents(filePath))
      if (script !== filePath) this.scheduleSourcedRefresh(script);
  }

  /**
   * Once typing pauses, reads what a script sources again: an open script is linted again when the
   * variables changed, a scanned one that is not open is linted again from disk.
   */
  private scheduleSourcedRefresh(scriptPath: string): void {
    this.deferredReads.defer(`sourced:${scriptPath}`, () => void this.refreshSourced(scriptPath));
  }

  private async refreshSourced(scriptPath: string): Promise<void> {
    const engine = await this.services.engine;
    const uri = pathToUri(scriptPath);
    const document = this.documents.get(uri);
    const kind = this.analysed.get(uri)?.state.input.kind;
    if (document && kind) {
      if (this.sourced.refresh(engine, { path: scriptPath, kind, text: document.getText() }))
        this.scheduleLint(document);
    } else if (!document && this.scanner.wasScanned(uri)) await this.scanner.rescanFile(engine, uri);
    this.watchSourcedFiles();
  }

  private knownDotenv(composePath: string): string | null {
    const folder = path.dirname(composePath);
    let dotenv = this.dotenvByFolder.get(folder);
    if (dotenv === undefined) {
      dotenv = readDotenvBeside(composePath) ?? null;
      this.dotenvByFolder.set(folder, dotenv);
    }
    return dotenv;
  }

  private publishConfigProblems(filePath: string): void {
    const loaded = this.resolver.configFor(filePath);
    if (!loaded) return;
    const uri = pathToUri(loaded.path);
    const diagnostics = loaded.problems.map((p): Diagnostic => ({
      range: p.range,
      severity: 1,
      source: SOURCE,
      code: 'config',
      message: p.message,
    }));
    if (JSON.stringify(this.configDiagnostics.get(uri)) === JSON.stringify(diagnostics)) return;
    this.configDiagnostics.set(uri, diagnostics);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }
}

/** What the editor's settings change in a file's lint: rule severities and the default preset. */

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
