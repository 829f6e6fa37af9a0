/**
 * DriftGuard's own messages between client and server, typed once: the language server registers a
 * handler for each request with `connection.onRequest(X.type, …)` and the VS Code client sends it with
 * `client.sendRequest(X.type, …)`, so both sides agree on parameters and results at compile time.
 * Other editors can use them too (docs/editors.md); everything else is standard LSP.
 *
 * Adding a message: declare its params/result types and one `RequestType`/`NotificationType` here,
 * add it to `DRIFTGUARD_REQUESTS` or `DRIFTGUARD_NOTIFICATIONS` (those the server sends), then a
 * handler method on `DriftGuardServer` with one line in its `register()`.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { UserSettingsWire } from '../net/userSettings';
import type { Preset } from '../engine/types';

/** Request `driftguard/scanWorkspace`: lint every file DriftGuard analyses under the folders. */
export interface ScanWorkspaceParams {
  /** Folder URIs; defaults to the workspace folders the server was started with. */
  folders?: string[];
  /** Globs relative to each folder to leave out (VS Code `files.exclude` + `driftguard.scan.exclude`). */
  exclude?: string[];
}
export interface ScanWorkspaceResult {
  filesScanned: number;
  filesWithFindings: number;
  findings: number;
  skipped: Array<{ uri: string; reason: string }>;
  cancelled: boolean;
}
export const ScanWorkspaceRequest = new RequestType<ScanWorkspaceParams, ScanWorkspaceResult, void>(
  'driftguard/scanWorkspace',
);

/** Notification `driftguard/scanProgress` (server → client) while a scan runs. */
export interface ScanProgressParams {
  scanned: number;
  /** Files the scan will look at in all (known once discovery is done). */
  total: number;
  findings: number;
  /** The file being scanned, relative to its workspace folder. */
  current?: string;
}
export const ScanProgressNotification = new NotificationType<ScanProgressParams>('driftguard/scanProgress');

/**
 * Request `driftguard/pinImages`: pin every mutable image reference of one document (`uri`) or of
 * every file under the folders, through the registry. The server applies one undoable
 * `workspace/applyEdit` per file and answers with a summary.
 */
export interface PinImagesParams {
  uri?: string;
  folders?: string[];
  exclude?: string[];
}
export interface PinImagesResult {
  filesChanged: number;
  pinned: Array<{ uri: string; line: number; reference: string; newText: string }>;
  failed: Array<{ uri: string; line: number; reference: string; reason: string }>;
  cancelled: boolean;
}
export const PinImagesRequest = new RequestType<PinImagesParams, PinImagesResult, void>('driftguard/pinImages');

/** Notification `driftguard/pinProgress` (server → client) while images are being pinned. */
export interface PinProgressParams {
  done: number;
  total: number;
  /** The file being pinned (its base name). */
  current?: string;
}
export const PinProgressNotification = new NotificationType<PinProgressParams>('driftguard/pinProgress');

/** Request `driftguard/fileStatus`: which config file and preset apply to a file (status bar, output). */
export interface FileStatusParams {
  uri: string;
}
export interface FileStatusResult {
  /** False when the file is not linted: `driftguard.enable` is off, the config ignores it, or no kind reads it. */
  linted: boolean;
  notLintedReason?: string;
  /** The `.driftguard.yaml` that applies (absolute path), if any. */
  configPath?: string;
  preset: Preset;
  /** Where the preset comes from: the config's `extends`, the `driftguard.preset` setting, or the default. */
  presetSource: 'config' | 'setting' | 'default';
  /** Rules that are off for this file. */
  rulesOff: string[];
}
export const FileStatusRequest = new RequestType<FileStatusParams, FileStatusResult, void>('driftguard/fileStatus');

/** Request `driftguard/forgetLookupFailures`: failed registry lookups are forgotten; the next one asks again. */
export const ForgetLookupFailuresRequest = new RequestType<Record<string, never>, null, void>(
  'driftguard/forgetLookupFailures',
);

/**
 * Notification `driftguard/registryStatus` (server → client): whether the registries and the git server of
 * action refs answered at their last lookup (when one did not: that one).
 */
export interface RegistryStatusParams {
  reachable: boolean;
  reason?: string;
  /** The registry or git server that did not answer. */
  registry?: string;
}
export const RegistryStatusNotification = new NotificationType<RegistryStatusParams>('driftguard/registryStatus');

/** Every DriftGuard request the server answers (a test checks each has a handler). */
export const DRIFTGUARD_REQUESTS = [
  ScanWorkspaceRequest,
  PinImagesRequest,
  FileStatusRequest,
  ForgetLookupFailuresRequest,
] as const;
/** Every DriftGuard notification the server sends. */
export const DRIFTGUARD_NOTIFICATIONS = [
  ScanProgressNotification,
  PinProgressNotification,
  RegistryStatusNotification,
] as const;

/** Initialization options the VS Code client sends. */
export interface DriftGuardInitializationOptions {
  /** False in an untrusted workspace: no registry access, no credential helpers. */
  trusted?: boolean;
  /**
   * The user-only settings channel (net/userSettings.ts): network access and where it goes, from
   * the user's own settings only (VS Code: user-scope values of application/machine settings).
   * Never filled from workspace settings or repository files.
   */
  userSettings?: UserSettingsWire;
  /**
   * The user's private folder for caches (VS Code: the extension's global storage); default
   * `$XDG_CACHE_HOME/driftguard` or `~/.cache/driftguard`. Created 0700 and checked before use.
   */
  cacheDir?: string;
  /** Open documents larger than this many bytes (UTF-8) are not analysed; default 1 MB. */
  maxFileSize?: number;
  /**
   * True when the client itself reports changes of `.driftguard.yaml` and `.env` files (the VS Code
   * client does); otherwise the server registers file watchers where the client allows it.
   */
  watchesFiles?: boolean;
  /**
   * Client commands the server may attach to code actions and hover links (the VS Code client's
   * `driftguard.openDocs`, `driftguard.lookUpAgain`); a client that sends none gets no such actions.
   */
  commands?: string[];
}

/** Client commands the server may name in code actions and hover links, when the client lists them in `commands`. */
export const CLIENT_COMMANDS = {
  /** Opens a documentation page shipped with the extension: `rules/<id>`, `registry` or `actions`. */
  openDocs: 'driftguard.openDocs',
  /** Forgets failed registry lookups (`driftguard/forgetLookupFailures`) and shows the hover again. */
  lookUpAgain: 'driftguard.lookUpAgain',
} as const;

/** The code action kind of "fix all DriftGuard problems" (`editor.codeActionsOnSave` can name it). */
export const FIX_ALL_KIND = 'source.fixAll.driftguard';

/**
 * Notification `driftguard/didChangeUserSettings` (client → server): the user changed a user-only
 * setting or granted workspace trust. Takes effect without a restart; an absent field keeps its value
 * (`userSettings`, when sent, replaces the previous settings whole).
 */
export interface DidChangeUserSettingsParams {
  trusted?: boolean;
  userSettings?: UserSettingsWire;
}
export const DidChangeUserSettingsNotification = new NotificationType<DidChangeUserSettingsParams>(
  'driftguard/didChangeUserSettings',
);
