/**
 * The documents the client sends to the server: every file kind's own language ids, then the file
 * patterns of kinds whose files editors may open under a generic language id (Compose files and
 * CI files as `yaml`, dev containers as `jsonc`). Kept free of server code so the client bundle
 * stays small; test/kinds/editor.test.ts checks it against the kinds table (server/src/kinds) and
 * package.json's activation events.
 */
export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile' },
  { language: 'dockercompose' },
  { language: 'shellscript' },
  { language: 'github-actions-workflow' },
  { scheme: 'file', pattern: '**/{compose,docker-compose}{,.*,-*}.{yml,yaml}' },
  { scheme: 'file', pattern: '**/.github/workflows/*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/action.{yml,yaml}' },
  { scheme: 'file', pattern: '**/{.gitlab-ci,*.gitlab-ci}.{yml,yaml}' },
  { scheme: 'file', pattern: '**/.gitlab/ci/**/*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/.devcontainer/devcontainer.json' },
  { scheme: 'file', pattern: '**/.devcontainer/*/devcontainer.json' },
  { scheme: 'file', pattern: '**/.devcontainer.json' },
];
