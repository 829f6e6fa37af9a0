import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { exactly, fileUri, open, quickFixes, waitFor, waitForDiagnostics, write } from './util';

// CI and dev-environment files in the real extension host: selected by path whatever language id
// VS Code gives them (`yaml`, `jsonc`), and a GitHub action pinned against the loopback git server
// test/editor/tiers.js starts (git's own http-backend serving test/helpers/actionRepos.ts's
// `acme/checkout`). The server is named by the user setting driftguard.github.url, which tiers.js
// writes into the user's settings.json; its URL also arrives as DRIFTGUARD_TEST_GIT_URL, and the
// commits the pins must write as DRIFTGUARD_TEST_ACTION_COMMITS (JSON). Without them these tests
// fail, never skip.

interface Commits {
  v2: string;
  main: string;
  v1Branch: string;
}

describe('DriftGuard on CI and dev-environment files in VS Code (git server on loopback)', function () {
  this.timeout(60000);
  const gitUrl = process.env.DRIFTGUARD_TEST_GIT_URL ?? '';
  let commits: Commits;

  before(() => {
    assert.match(
      gitUrl,
      /^http:\/\/127\.0\.0\.1:\d+$/,
      'DRIFTGUARD_TEST_GIT_URL (the loopback git server) is not set: run these tests through test/editor/tiers.js',
    );
    const setting = vscode.workspace.getConfiguration('driftguard').inspect<string>('github.url');
    assert.equal(setting?.globalValue, gitUrl, 'driftguard.github.url is not the git server in the user settings');
    commits = JSON.parse(process.env.DRIFTGUARD_TEST_ACTION_COMMITS ?? '{}') as Commits;
    for (const k of ['v2', 'main', 'v1Branch'] as const)
      assert.match(commits[k] ?? '', /^[0-9a-f]{40}$/, `DRIFTGUARD_TEST_ACTION_COMMITS lacks ${k}`);
  });

  // Runs after the other suites (file-name order): the activation test needs no YAML opened before it,
  // and Scan Workspace / Pin All in Workspace count the workspace's files.
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const rel of ['.github', '.gitlab-ci.yml', '.devcontainer'])
      await vscode.workspace.fs.delete(fileUri(rel), { recursive: true, useTrash: false });
  });

  it('a workflow: squiggle on the tag, pinned from the git server when picked, applied, finding gone', async () => {
    const text =
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/checkout@v2 # keep\n';
    const uri = await write('.github/workflows/ci.yml', text);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok(['yaml', 'github-actions-workflow'].includes(document.languageId), document.languageId);
    const [d] = await waitForDiagnostics(
      uri,
      'action-tag-ref on `v2`',
      exactly(['action-tag-ref@5:28-5:30 Information']),
    );
    assert.equal(document.getText(d!.range), 'v2');

    const host = new URL(gitUrl).host;
    const actions = await quickFixes(uri, d!.range, 20);
    const pin = actions.find((a) => a.title.startsWith('Pin'));
    assert.equal(
      pin?.title,
      `Pin to a commit SHA (asks ${host})`,
      `offered: ${JSON.stringify(actions.map((a) => a.title))}`,
    );
    assert.ok(pin.edit, 'the picked pin carries no edit');
    const again = (await quickFixes(uri, d!.range)).find((a) => a.title.startsWith('Pin'));
    assert.equal(
      again?.title,
      `Pin to ${commits.v2.slice(0, 7)} (v2.0.0)`,
      'the exact title once the listing is cached',
    );

    const editor = await open('.github/workflows/ci.yml');
    assert.equal(await vscode.workspace.applyEdit(pin.edit), true, 'applyEdit refused the edit');
    assert.equal(
      editor.document.getText(),
      text.replace('acme/checkout@v2 # keep', `acme/checkout@${commits.v2} # v2.0.0 # keep`),
    );
    await waitForDiagnostics(uri, 'no finding once pinned', exactly([]));
    assert.equal(await editor.document.save(), true);
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), editor.document.getText());
  });

  it('hover on a branch that shadows a tag: the commit GitHub runs, and the ambiguity', async () => {
    const uri = await write('.github/workflows/hover.yml', 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v1\n');
    await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, 'action-tag-ref', exactly(['action-tag-ref@3:28-3:30 Information']));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(3, 20),
    );
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, new RegExp(commits.v1Branch));
    assert.match(text, /both a branch and a tag — GitHub runs the branch/);
  });

  it('driftguard.github.url changed in the user settings applies without a restart', async () => {
    const uri = await write(
      '.github/workflows/setting.yml',
      'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@main\n',
    );
    await vscode.workspace.openTextDocument(uri);
    const [d] = await waitForDiagnostics(uri, 'action-branch-ref', exactly(['action-branch-ref@3:28-3:32 Warning']));
    // The pin offered against `host`: listed lazily ("asks host"), or exact from a cached listing.
    const offeredAgainst = (host: string, exactTitle: boolean) => async () => {
      const title = (await quickFixes(uri, d!.range)).find((a) => a.title.startsWith('Pin'))?.title ?? '';
      return title === `Pin to a commit SHA (asks ${host})` || (exactTitle && /^Pin to [0-9a-f]{7} /.test(title));
    };
    const gitHost = new URL(gitUrl).host;
    // The first test cached acme/checkout's listing: the title may already be exact.
    await waitFor('the pin offered against the git server', offeredAgainst(gitHost, true));
    const config = vscode.workspace.getConfiguration('driftguard');
    // Without the user setting: GITHUB_SERVER_URL of the editor's environment, else github.com.
    const fallback = new URL(process.env.GITHUB_SERVER_URL || 'https://github.com').host;
    await config.update('github.url', undefined, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(`the pin offered against ${fallback}`, offeredAgainst(fallback, false));
    } finally {
      await config.update('github.url', gitUrl, vscode.ConfigurationTarget.Global);
    }
    // A new server starts from an empty cache: listed lazily again.
    await waitFor('the pin offered against the git server again', offeredAgainst(gitHost, false));
  });

  it('GitLab CI and dev containers are linted by path (yaml, jsonc)', async () => {
    const gitlab = await write('.gitlab-ci.yml', 'test:\n  image: python\n  script: pytest\n');
    const devcontainer = await write(
      '.devcontainer/devcontainer.json',
      '{\n  // base\n  "image": "mcr.microsoft.com/devcontainers/base:latest",\n}\n',
    );
    await vscode.workspace.openTextDocument(gitlab);
    const jsonc = await vscode.workspace.openTextDocument(devcontainer);
    assert.ok(['jsonc', 'json'].includes(jsonc.languageId), jsonc.languageId);
    await waitForDiagnostics(gitlab, 'image-untagged', exactly(['image-untagged@1:9-1:15 Warning']));
    await waitForDiagnostics(devcontainer, 'image-latest-tag', exactly(['image-latest-tag@2:49-2:55 Warning']));
  });
});
