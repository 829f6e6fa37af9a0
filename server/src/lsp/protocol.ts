/**
 * Custom messages between the DriftGuard client and server. Other editors can use them too;
 * everything else is standard LSP.
 */

/** Request `driftguard/scanWorkspace`: lint every Dockerfile/Compose file/shell script under the folders. */
export const SCAN_WORKSPACE = 'driftguard/scanWorkspace';
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

/** Notification `driftguard/scanProgress` (server → client) while a scan runs. */
export const SCAN_PROGRESS = 'driftguard/scanProgress';
export interface ScanProgressParams {
  scanned: number;
  findings: number;
  /** The file being scanned, relative to its workspace folder. */
  current?: string;
}

/** Initialization options the VS Code client sends. */
export interface DriftGuardInitializationOptions {
  /** False in an untrusted workspace: no registry access, no credential helpers. */
  trusted?: boolean;
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
}

/** Command id of the fix-all code action kind. */
export const FIX_ALL_KIND = 'source.fixAll.driftguard';

/**
 * Request `driftguard/pinImages`: pin every mutable image reference of one document (`uri`) or of
 * every file under the folders, through the registry. The server applies one undoable
 * `workspace/applyEdit` per file and answers with a summary.
 */
export const PIN_IMAGES = 'driftguard/pinImages';
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

/** Notification `driftguard/pinProgress` (server → client) while images are being pinned. */
export const PIN_PROGRESS = 'driftguard/pinProgress';
export interface PinProgressParams {
  done: number;
  total: number;
  current?: string;
}
