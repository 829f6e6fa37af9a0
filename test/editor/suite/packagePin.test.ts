import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { exactly, fileUri, open, waitForDiagnostics } from './util';
import { serveFolder, StaticServer } from '../../helpers/staticServer';
import { writePackageIndices } from '../../helpers/packageIndices';

// Package pins in the real extension host: Ubuntu-format indices served on loopback by the test
// itself (test/helpers/packageIndices.ts, real formats), pointed at through the user-scope setting
// driftguard.packages.mirrors, as a user would.

function isCodeAction(a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction {
  return !('command' in a && typeof a.command === 'string');
}

describe('DriftGuard package pins in VS Code (indices on loopback)', function () {
  this.timeout(60000);
  let server: StaticServer;
  let root: string;
  const config = () => vscode.workspace.getConfiguration('driftguard');

  before(async () => {
    root = writePackageIndices();
    server = await serveFolder(root);
    await config().update(
      'packages.mirrors',
      { ubuntu: `${server.url}/ubuntu`, 'ubuntu-security': `${server.url}/ubuntu-security` },
      vscode.ConfigurationTarget.Global,
    );
  });
  after(async () => {
    await config().update('packages.mirrors', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('"Pin curl to …": listed without a lookup, resolved when picked, applied; the finding goes', async () => {
    const uri = fileUri('packages/Dockerfile');
    // Pinned by digest, so the only findings are the packages'; the tag still names the release.
    const text =
      `FROM ubuntu:24.04@sha256:${'c'.repeat(64)}\n` +
      'RUN apt-get update && apt-get install -y \\\n    curl \\\n    jq\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const editor = await open('packages/Dockerfile');
    const [curl] = await waitForDiagnostics(
      uri,
      'one package-unpinned finding per package',
      exactly(['package-unpinned@2:4-2:8 Information', 'package-unpinned@3:4-3:6 Information']),
    );
    const listed = server.requests.length;
    const titles = async (resolve?: number) => {
      const args: unknown[] = [uri, curl!.range, vscode.CodeActionKind.QuickFix.value];
      if (resolve !== undefined) args.push(resolve);
      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
        'vscode.executeCodeActionProvider',
        ...args,
      );
      return (actions ?? []).filter(isCodeAction);
    };
    const lazy = await titles();
    assert.equal(server.requests.length, listed, 'listing quick fixes sent no request');
    assert.ok(
      lazy.some((a) => a.title === 'Pin curl to the version apt would install today'),
      lazy.map((a) => a.title).join(' | '),
    );
    assert.ok(lazy.some((a) => a.title === 'Pin all 2 packages in this RUN'));
    const resolved = (await titles(20)).find((a) => a.title === 'Pin all 2 packages in this RUN');
    assert.ok(resolved?.edit, 'the RUN-wide pin resolved to an edit');
    assert.equal(await vscode.workspace.applyEdit(resolved.edit), true);
    assert.equal(
      editor.document.getText(),
      text.replace('    curl \\', '    curl=8.5.0-2ubuntu10.6 \\').replace('    jq\n', '    jq=1.7.1-3build1\n'),
    );
    await waitForDiagnostics(uri, 'no package finding after pinning', exactly([]));
    await editor.document.save();
  });
});
