import type { FileKind } from '../engine/types';

const DOCKERFILE =
  /^(?:(?:Dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile|Containerfile|containerfile))$/;
// `compose-dev.yml` / `docker-compose-ci.yml` too: common names for files passed with `-f`.
const COMPOSE = /^(?:docker-)?compose(?:[.-].+)?\.ya?ml$/;
const SHELL_EXTENSION = /\.(?:sh|bash|ksh|zsh)$/;
const SHELL_SHEBANG = /^#!\s*(?:\/\S*\/)?(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ksh|zsh)\b/;

/** VS Code language ids per kind. */
export const LANGUAGE_IDS: Readonly<Record<FileKind, string>> = {
  dockerfile: 'dockerfile',
  compose: 'dockercompose',
  shell: 'shellscript',
};

/**
 * Decides the kind of a file from its base name, and for extension-less files from the shebang
 * (`firstLine`). Returns undefined for files DriftGuard does not analyse.
 */
export function detectFileKind(path: string, firstLine?: string): FileKind | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (DOCKERFILE.test(base)) return 'dockerfile';
  if (COMPOSE.test(base)) return 'compose';
  if (SHELL_EXTENSION.test(base)) return 'shell';
  if (!base.includes('.') && firstLine !== undefined && SHELL_SHEBANG.test(firstLine)) return 'shell';
  return undefined;
}

/** Kind from an editor language id, falling back to the path. */
export function kindFromLanguageId(languageId: string, path: string, firstLine?: string): FileKind | undefined {
  const byPath = detectFileKind(path, firstLine);
  if (languageId === 'dockerfile') return 'dockerfile';
  if (languageId === 'dockercompose') return 'compose';
  if (languageId === 'yaml') return byPath === 'compose' ? 'compose' : undefined;
  if (languageId === 'shellscript') return 'shell';
  return byPath;
}
