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

  it("the extension activates on every kind's own language ids", () => {
    const languages = manifest.activationEvents
      .filter((e) => e.startsWith('onLanguage:'))
      .map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(languages.sort(), FILE_KINDS.all.flatMap((k) => k.editor.languageIds).sort());
  });
});
