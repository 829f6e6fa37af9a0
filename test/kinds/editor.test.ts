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

  // VS Code has no activation event for a path pattern, and the generic language ids (yaml, json, jsonc)
  // start the extension in nearly every workspace (the real VS Code test saw it active before any file
  // of ours opened). So it activates on the kinds' own language ids, and on the exact paths where CI
  // and dev container files live (`workspaceContains:`); once active, the document selector picks them
  // by path. test/editor/bypath/ proves it in VS Code: a workspace holding only a workflow lints it.
  it("the extension activates on every kind's own language ids and workspace markers, and on nothing else", () => {
    const languages = manifest.activationEvents
      .filter((e) => e.startsWith('onLanguage:'))
      .map((e) => e.slice('onLanguage:'.length));
    const expected = new Set(FILE_KINDS.all.flatMap((k) => k.editor.languageIds));
    assert.deepEqual(languages.sort(), [...expected].sort());
    const markers = manifest.activationEvents
      .filter((e) => e.startsWith('workspaceContains:'))
      .map((e) => e.slice('workspaceContains:'.length));
    assert.deepEqual(markers.sort(), FILE_KINDS.workspaceMarkers().sort());
    assert.deepEqual(
      manifest.activationEvents.filter(
        (e) => !e.startsWith('onLanguage:') && !e.startsWith('onCommand:') && !e.startsWith('workspaceContains:'),
      ),
      [],
    );
  });

  // A broad marker (`**/*.yml`, any `.json`) would start the extension in nearly every workspace, and a glob
  // makes VS Code search the whole workspace at every start: each marker is one exact path at the top of a
  // workspace folder, and names a file of its kind or a folder whose files are of its kind.
  it('workspace markers are exact top-level paths that only files of their kind live at', () => {
    for (const kind of FILE_KINDS.all)
      for (const marker of kind.editor.workspaceMarkers ?? []) {
        assert.doesNotMatch(marker, /[*?[\]{}!]/, `${marker}: a glob`);
        assert.doesNotMatch(marker, /^(?:\/|\.\.?\/)|\/$|\\/, `${marker}: not a plain relative path`);
        assert.ok(
          [marker, `${marker}/ci.yml`, `${marker}/devcontainer.json`].some((p) => FILE_KINDS.detect(p) === kind.id),
          `${marker} holds no file of kind ${kind.id}`,
        );
      }
    // The kinds that have their own language ids in every VS Code need no marker.
    for (const id of ['dockerfile', 'compose', 'shell'] as const)
      assert.deepEqual(FILE_KINDS.get(id).editor.workspaceMarkers ?? [], [], id);
  });
});
