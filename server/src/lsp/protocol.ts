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
}

/** Command id of the fix-all code action kind. */
export const FIX_ALL_KIND = 'source.fixAll.driftguard';
