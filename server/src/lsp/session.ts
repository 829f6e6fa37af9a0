import * as path from 'node:path';
import type { InitializeParams } from 'vscode-languageserver/node';
import { DEFAULT_MAX_FILE_BYTES } from '../workspace/readSource';
import type { DriftGuardInitializationOptions } from './protocol';
import { uriToPath } from './uris';

/** What the client said about itself in `initialize`: read once, fixed for the session. */
export interface ClientSession {
  /** The client answers `workspace/configuration`. */
  configuration: boolean;
  /** The client applies versioned `documentChanges` edits. */
  documentChanges: boolean;
  /** The client applies snippet text edits (`experimental.snippetTextEdit`). */
  snippets: boolean;
  /** The client applies LSP 3.18 `SnippetTextEdit`s in workspace edits (`snippetEditSupport`). */
  snippetEdits: boolean;
  /** The client creates files from workspace edits (`resourceOperations` has `create`). */
  createFiles: boolean;
  /** Client commands the server may put in code actions and hover links (initializationOptions.commands). */
  clientCommands: ReadonlySet<string>;
  /** The client shows progress the server starts (`window.workDoneProgress`). */
  workDoneProgress: boolean;
  /** False in an untrusted workspace: no registry access, no credential helpers. */
  trusted: boolean;
  /** The user's private cache folder the client named (absolute), if it named one. */
  cacheDir?: string;
  /** Open documents larger than this (UTF-8 bytes) are not analysed. */
  maxFileBytes: number;
  /** The server asks the client to watch config and `.env` files (it does not watch them itself). */
  registerWatchers: boolean;
  /** The client watches files the server names at run time (`workspace/didChangeWatchedFiles` registration). */
  canRegisterWatchers: boolean;
  /**
   * Changes of config and `.env` files are reported, so neither is looked up on each keystroke: the
   * client watches them itself (`watchesFiles`) or agreed to watch them for the server.
   */
  filesWatched: boolean;
  workspaceFolders: string[];
}

/** The session of a server no client has initialised yet (defaults of the protocol). */
export const UNINITIALISED_SESSION: ClientSession = {
  configuration: false,
  documentChanges: false,
  snippets: false,
  snippetEdits: false,
  createFiles: false,
  clientCommands: new Set(),
  workDoneProgress: false,
  trusted: true,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  registerWatchers: false,
  canRegisterWatchers: false,
  filesWatched: false,
  workspaceFolders: [],
};

export function sessionFrom(params: InitializeParams): ClientSession {
  const caps = params.capabilities;
  const options = (params.initializationOptions ?? {}) as DriftGuardInitializationOptions;
  const canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  const registerWatchers = !options.watchesFiles && canRegisterWatchers;
  const workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  const root = workspaceFolders.length === 0 && params.rootUri ? uriToPath(params.rootUri) : undefined;
  if (root) workspaceFolders.push(root);
  const maxFileSize = options.maxFileSize;
  const cacheDir = typeof options.cacheDir === 'string' && path.isAbsolute(options.cacheDir) ? options.cacheDir : '';
  return {
    configuration: !!caps.workspace?.configuration,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    snippets: !!(caps.experimental as { snippetTextEdit?: boolean } | undefined)?.snippetTextEdit,
    snippetEdits: !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.snippetEditSupport,
    createFiles:
      !!caps.workspace?.workspaceEdit?.documentChanges &&
      !!caps.workspace.workspaceEdit.resourceOperations?.includes('create'),
    clientCommands: new Set(
      Array.isArray(options.commands) ? options.commands.filter((c) => typeof c === 'string') : [],
    ),
    workDoneProgress: !!caps.window?.workDoneProgress,
    trusted: options.trusted !== false,
    ...(cacheDir ? { cacheDir } : {}),
    maxFileBytes:
      typeof maxFileSize === 'number' && Number.isInteger(maxFileSize) && maxFileSize > 0
        ? maxFileSize
        : DEFAULT_MAX_FILE_BYTES,
    registerWatchers,
    canRegisterWatchers,
    filesWatched: !!options.watchesFiles || registerWatchers,
    workspaceFolders,
  };
}
