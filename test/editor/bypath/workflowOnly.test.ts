import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, exactly, fileUri, waitFor, waitForDiagnostics, workspaceRoot } from '../suite/util';

// A repository whose only DriftGuard file is a GitHub workflow, in a VS Code without the GitHub Actions
// extension: the workflow opens as `yaml`, which activates nothing of ours. The extension starts from its
// `workspaceContains:.github/workflows` marker (an exact path, checked with one stat at window start) and
// then lints the workflow by its path. The main suite's first test is the counterpart: a workspace with
// none of the markers does not start the extension.
describe('a workspace holding only a GitHub workflow, opened as yaml', function () {
  this.timeout(60000);
  const workflow = '.github/workflows/ci.yml';

  it('starts the extension without any file opened or command run', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
    // (The editor itself opens the user's settings.json, a jsonc model: why onLanguage:jsonc is no event of ours.)
    const root = workspaceRoot().fsPath + path.sep;
    assert.deepEqual(
      vscode.workspace.textDocuments.filter((d) => d.uri.fsPath.startsWith(root)).map((d) => d.uri.fsPath),
      [],
      'a file of the workspace was opened before the test',
    );
    // No extension here gives workflows a language id of their own.
    const workflowLanguage = vscode.extensions.all.filter((e) =>
      ((e.packageJSON.contributes?.languages ?? []) as Array<{ id: string }>).some(
        (l) => l.id === 'github-actions-workflow',
      ),
    );
    assert.deepEqual(
      workflowLanguage.map((e) => e.id),
      [],
    );
    // VS Code evaluates workspaceContains once the window has started: wait for that state, not a clock.
    await waitFor('the extension to be activated by its workspace marker', () => ext.isActive, 30000);
  });

  it('lints the workflow VS Code opened as yaml: the branch ref and the container image', async () => {
    const document = await vscode.workspace.openTextDocument(fileUri(workflow));
    assert.equal(document.languageId, 'yaml');
    const ds = await waitForDiagnostics(
      document.uri,
      'action-branch-ref and image-unpinned-digest',
      exactly(['action-branch-ref@6:31-6:35 Warning', 'image-unpinned-digest@4:20-4:22 Information']),
    );
    assert.deepEqual(ds.map((d) => document.getText(d.range)).sort(), ['20', 'main']);
  });
});
