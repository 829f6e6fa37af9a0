import { DevcontainerModel } from '../model/devcontainer';
import { defineKind } from './kind';
import { tokenCommentLines } from './lines';

const IN_FOLDER = /(?:^|\/)\.devcontainer\/(?:[^/]+\/)?devcontainer\.json$/;

/**
 * Dev container definitions: `.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`
 * (claimed by folder) and `.devcontainer.json`. JSON with comments: ignore comments are `//` lines
 * and cover the next property or array element. Images: `image` and OCI feature keys. Shell: the
 * lifecycle commands (`initializeCommand` on the host, the others in the dev container).
 */
export const devcontainer = defineKind({
  id: 'devcontainer',
  detection: {
    byPath: ({ path, base }) => (IN_FOLDER.test(path) ? 'folder' : base === '.devcontainer.json' ? 'name' : undefined),
  },
  editor: {
    languageIds: [],
    sharedLanguageIds: ['jsonc', 'json'],
    filePatterns: [
      '**/.devcontainer/devcontainer.json',
      '**/.devcontainer/*/devcontainer.json',
      '**/.devcontainer.json',
    ],
    workspaceMarkers: ['.devcontainer', '.devcontainer.json'],
  },
  parse: (source) => new DevcontainerModel(source),
  skipReason: (model) => model.errors[0],
  comments: {
    token: '//',
    commentLines: (model) => tokenCommentLines(model.source, '//'),
    ignoreTarget: (model, _document, line) => [line, model.nodeExtentsByLine().get(line) ?? line],
    statementStart: (_model, _document, line) => line,
    fileIgnoreLine: () => 0,
  },
  shellSnippets: (model) => model.shellSnippets(),
  imageReferences: (model) => model.imageReferences(),
});
