import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FILE_KINDS } from '../../server/src/kinds';
import { DOCUMENT_SELECTOR } from '../../client/src/documentSelector';
import { REPO_ROOT } from '../helpers/repo';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
};

describe('editor facts of the kinds', () => {
  it("the client selects every kind's language ids and file patterns, nothing else", () => {
    assert.deepEqual(DOCUMENT_SELECTOR, FILE_KINDS.documentSelector());
  });

  // VS Code has no activation event for a path pattern, and both workspaceContains and the generic
  // language ids (yaml, json, jsonc) start the extension in nearly every workspace (the real VS Code
  // test sees it active before any file of ours opens). So it activates on the kinds' own language
  // ids only; once active, the document selector picks CI files by path.
  it("the extension activates on every kind's own language ids, and on nothing else", () => {
    const languages = manifest.activationEvents
      .filter((e) => e.startsWith('onLanguage:'))
      .map((e) => e.slice('onLanguage:'.length));
    const expected = new Set(FILE_KINDS.all.flatMap((k) => k.editor.languageIds));
    assert.deepEqual(languages.sort(), [...expected].sort());
    assert.deepEqual(
      manifest.activationEvents.filter((e) => !e.startsWith('onLanguage:') && !e.startsWith('onCommand:')),
      [],
    );
  });
});
