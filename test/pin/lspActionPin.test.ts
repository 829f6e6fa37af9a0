import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, Diagnostic, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import { ActionLookups } from '../../server/src/lsp/actionLookups';
import {
  CLIENT_COMMANDS,
  DidChangeUserSettingsNotification,
  ForgetLookupFailuresRequest,
  PinImagesRequest,
  RegistryStatusNotification,
} from '../../server/src/lsp/protocol';
import { startGitServer } from '../helpers/gitServer';
import { tempTree } from '../helpers/tempTree';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { useActionServer } from '../helpers/actionServer';

const uriToPath = (u: string) => fileURLToPath(u);

function editsOf(action: CodeAction): TextEdit[] {
  return ((action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? []) as TextEdit[];
}

function hoverText(hover: Hover | null): string {
  return (hover?.contents as { value?: string } | undefined)?.value ?? '';
}

describe('action pins in the language server (real git server)', function () {
  this.timeout(30_000);
  const git = useActionServer();
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  /**
   * A workflow opened in a server whose process environment is `env` (by default: the loopback git
   * server as GITHUB_SERVER_URL, as an Actions runner sets it); `options` are its initialization options.
   */
  async function open(
    text: string,
    options: Record<string, unknown> = {},
    env: NodeJS.ProcessEnv = { GITHUB_SERVER_URL: git.server.url },
  ) {
    const root = tempTree({ '.github/workflows/ci.yml': text });
    client = LspTestClient.inProcess({ createActionLookups: (trusted) => new ActionLookups(trusted, env) });
    await client.initialize(uriOf(root), {}, options);
    const file = path.join(root, '.github/workflows/ci.yml');
    return { uri: uriOf(file), diagnostics: await client.openFileAndWait(file, 'yaml') };
  }

  const quickFixes = (uri: string, diagnostics: Diagnostic[]) =>
    client!.codeActions(uri, diagnostics[0]!.range, diagnostics, ['quickfix']);
  const pinOf = (actions: CodeAction[]) => {
    const pin = actions.find((a) => a.title.startsWith('Pin to'));
    assert.ok(pin, actions.map((a) => a.title).join(' | '));
    return pin;
  };
  const hover = (uri: string, line: number) =>
    client!.connection
      .sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 20 } })
      .then(hoverText);

  it('lists the pin without asking the server, resolves it when picked, then titles it exactly', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v2 # keep\n';
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['action-tag-ref', 3]],
    );
    const pin = pinOf(await quickFixes(uri, diagnostics));
    assert.equal(pin.title, `Pin to a commit SHA (asks ${new URL(git.server.url).host})`);
    assert.deepEqual(pin.data && (pin.data as { kind: string }).kind, 'driftguard.actionPin');
    assert.equal(pin.edit, undefined);
    assert.equal(git.server.requests.length, 0, 'listing code actions sends nothing');

    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    assert.equal(resolved.disabled, undefined);
    const v2 = git.checkout.commit('v2.0.0');
    const expected = `jobs:\n  a:\n    steps:\n      - uses: acme/checkout@${v2} # v2.0.0 # keep\n`;
    assert.equal(applyEdits(text, editsOf(resolved)), expected);
    assert.equal(resolved.title, `Pin to ${v2.slice(0, 7)} (v2.0.0)`);
    assert.ok(git.server.requests.length > 0);

    // Listed again, the cached listing gives the exact title and the edit at once.
    const requests = git.server.requests.length;
    const exact = pinOf(await quickFixes(uri, diagnostics));
    assert.equal(exact.title, `Pin to ${v2.slice(0, 7)} (v2.0.0)`);
    assert.equal(exact.data, undefined);
    assert.equal(applyEdits(text, editsOf(exact)), expected);
    assert.equal(git.server.requests.length, requests, 'the cached listing is reused');
  });

  it('says in the title and the hover that a name is both a branch and a tag', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v1\n';
    const { uri, diagnostics } = await open(text);
    const pin = pinOf(await quickFixes(uri, diagnostics));
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    const branch = git.checkout.commit('v1-maintenance');
    assert.equal(
      resolved.title,
      `Pin to ${branch.slice(0, 7)} (v1 is both a branch and a tag; GitHub runs the branch)`,
    );
    assert.equal(applyEdits(text, editsOf(resolved)), text.replace('@v1', `@${branch} # v1`));
    const value = await hover(uri, 3);
    assert.match(value, new RegExp(`runs commit \\| \`${branch}\``));
    assert.match(value, /both a branch and a tag — GitHub runs the branch/);
  });

  it('hovers a pinned SHA with its tags and whether the version comment still names it', async () => {
    const v2 = git.checkout.commit('v2.0.0');
    const text =
      `jobs:\n  a:\n    steps:\n      - uses: acme/checkout@${v2} # v2.0.0\n` +
      `      - uses: acme/checkout@${v2} # v1.1.0\n`;
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(diagnostics, []);
    const first = await hover(uri, 3);
    assert.match(first, /tags on it \| `v2\.0\.0`, `2\.0\.0`, `v2\.0\.0-rc\.1`, `v2\.0`, `v2`, `stable`/);
    assert.match(first, /The comment `v2\.0\.0` matches/);
    assert.match(
      await hover(uri, 4),
      new RegExp(`says \`v1\\.1\\.0\`, but tag v1\\.1\\.0 points at \`${git.checkout.commit('v1.1.0').slice(0, 7)}\``),
    );
    assert.equal(
      git.server.requests.filter((r) => r.method === 'POST').length,
      1,
      'one listing for both hovers of the repository',
    );
  });

  it('a fix listed for an older version of the document is not applied to the new one', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v2\n';
    const { uri, diagnostics } = await open(text);
    const pin = pinOf(await quickFixes(uri, diagnostics));
    await client!.change(uri, 2, { text: `# moved\n${text}` });
    await client!.waitForPublish(uri, 2);
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    assert.equal(resolved.edit, undefined);
    assert.deepEqual(resolved.disabled, { reason: 'the document changed since the fix was listed' });
    assert.equal(git.server.requests.length, 0);
  });

  it('untrusted workspace: findings only, no request, a disabled fix, a resolve and hover doing nothing', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@main\n';
    const { uri, diagnostics } = await open(text, { trusted: false });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['action-branch-ref'],
    );
    const pin = pinOf(await quickFixes(uri, diagnostics));
    assert.deepEqual(pin.disabled, { reason: 'action lookups are off in an untrusted workspace' });
    // A client that sends the data of a trusted listing anyway gets no edit.
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', {
      ...pin,
      disabled: undefined,
      data: {
        kind: 'driftguard.actionPin',
        uri,
        version: 1,
        ruleId: 'action-branch-ref',
        range: diagnostics[0]!.range,
      },
    });
    assert.equal(resolved.edit, undefined);
    assert.deepEqual(resolved.disabled, { reason: 'nothing is fetched in an untrusted workspace' });
    assert.match(await hover(uri, 3), /untrusted workspace/);
    assert.equal(git.server.requests.length, 0);
  });

  it('the GitHub server comes from the user-only channel, never from workspace settings', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@main\n';
    const host = new URL(git.server.url).host;
    // No GITHUB_SERVER_URL: the user's driftguard.github.url points at the git server.
    const { uri, diagnostics } = await open(text, { userSettings: { github: { url: git.server.url } } }, {});
    const pin = pinOf(await quickFixes(uri, diagnostics));
    assert.equal(pin.title, `Pin to a commit SHA (asks ${host})`);
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    assert.equal(applyEdits(text, editsOf(resolved)), text.replace('@main', `@${git.setup.commit('main')} # main`));

    // The user clears the setting: lookups go to github.com again (nothing is sent here).
    await client!.connection.sendNotification(DidChangeUserSettingsNotification, { userSettings: {} });
    await client!.waitForPublish(uri, 2);
    assert.equal(pinOf(await quickFixes(uri, diagnostics)).title, 'Pin to a commit SHA (asks github.com)');
  });

  it('workspace settings cannot point lookups anywhere', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@main\n';
    const { uri, diagnostics } = await open(text, {}, {});
    // A committed .vscode/settings.json naming a server reaches the server as workspace/configuration.
    client!.configuration = { enable: true, rules: {}, github: { url: git.server.url } };
    await client!.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client!.waitForPublish(uri, 2);
    assert.equal(pinOf(await quickFixes(uri, diagnostics)).title, 'Pin to a commit SHA (asks github.com)');
    assert.equal(git.server.requests.length, 0);
  });

  it('an invalid driftguard.github.url is ignored with a message; an unusable server disables the fix', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@main\n';
    const { uri, diagnostics } = await open(
      text,
      { userSettings: { github: { url: 'ftp://git.example' } } },
      { GITHUB_SERVER_URL: 'http://git.example' },
    );
    assert.ok(
      client!.logs.some((l) => /user setting ignored: github\.url: refusing ftp:/.test(l)),
      client!.logs.join('\n'),
    );
    // GITHUB_SERVER_URL over plain HTTP to a host that is not loopback is refused before anything is sent.
    const pin = pinOf(await quickFixes(uri, diagnostics));
    assert.match(pin.disabled?.reason ?? '', /^GITHUB_SERVER_URL: /);
  });

  it('Pin All in File pins the actions of a workflow in one edit', async () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v2\n      - uses: acme/setup@main\n';
    const { uri } = await open(text);
    let applied: TextEdit[] = [];
    client!.applyEdit = (edit) => {
      applied = ((edit as { documentChanges: TextDocumentEdit[] }).documentChanges[0]?.edits ?? []) as TextEdit[];
      return { applied: true };
    };
    const result = await client!.connection.sendRequest(PinImagesRequest, { uri });
    assert.deepEqual(result.failed, []);
    assert.equal(result.pinned.length, 2);
    assert.equal(result.filesChanged, 1);
    assert.equal(
      applyEdits(text, applied),
      `jobs:\n  a:\n    steps:\n      - uses: acme/checkout@${git.checkout.commit('v2.0.0')} # v2.0.0\n` +
        `      - uses: acme/setup@${git.setup.commit('main')} # main\n`,
    );
  });

  it('Pin All with registry lookups off still pins the actions and says why each image is left', async () => {
    const text =
      'jobs:\n  a:\n    container: nginx:latest\n    steps:\n      - uses: acme/checkout@v2\n' +
      '      - uses: docker://alpine:3.19\n';
    // Registry lookups are the user's to turn off (the user-only channel).
    const { uri } = await open(text, { userSettings: { registry: { enable: false } } });
    let applied: TextEdit[] | undefined;
    client!.applyEdit = (edit) => {
      applied = ((edit as { documentChanges: TextDocumentEdit[] }).documentChanges[0]?.edits ?? []) as TextEdit[];
      return { applied: true };
    };
    for (const params of [{ uri }, { folders: [uriOf(path.dirname(path.dirname(path.dirname(uriToPath(uri)))))] }]) {
      applied = undefined;
      const result = await client!.connection.sendRequest(PinImagesRequest, params);
      const off = 'registry lookups are off (driftguard.registry.enable is false)';
      assert.deepEqual(
        result.failed.map((f) => [f.line, f.reference, f.reason]),
        [
          [2, 'nginx:latest', off],
          [5, 'alpine:3.19', off],
        ],
      );
      assert.deepEqual(
        result.pinned.map((p) => [p.line, p.reference]),
        [[4, 'acme/checkout@v2']],
      );
      assert.equal(result.filesChanged, 1);
      assert.equal(applyEdits(text, applied ?? []), text.replace('@v2', `@${git.checkout.commit('v2.0.0')} # v2.0.0`));
    }
  });

  it('git server unreachable: the fix fails visibly, stays listed as a retry, and works again', async () => {
    // A second real git server on the same repositories, stopped: its address refuses connections.
    let down = await startGitServer(git.server.root);
    const port = Number(new URL(down.url).port);
    await down.stop();
    const text = 'jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v2\n      - uses: acme/setup@main\n';
    const { uri, diagnostics } = await open(
      text,
      { commands: [CLIENT_COMMANDS.lookUpAgain] },
      { GITHUB_SERVER_URL: down.url },
    );
    const host = new URL(down.url).host;
    const statuses = () =>
      client!.notifications.filter((n) => n.method === RegistryStatusNotification.method).map((n) => n.params);
    const [checkout, setup] = diagnostics;
    const listed = pinOf(await quickFixes(uri, [checkout!]));
    assert.equal(listed.title, `Pin to a commit SHA (asks ${host})`);

    // Picked: the lookup fails, the fix says why (the VS Code client shows it as a warning).
    const failed = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', listed);
    assert.equal(failed.edit, undefined);
    assert.match(failed.disabled?.reason ?? '', /unreachable|ECONNREFUSED/);
    assert.deepEqual(statuses().at(-1), { reachable: false, reason: failed.disabled!.reason, registry: host });
    assert.ok(
      client!.logs.some((l) => l.startsWith(`git server ${host} unreachable: `)),
      client!.logs.join('\n'),
    );

    // Listed again (and for another repository of the same server): a retry that says why, not a hidden fix.
    for (const diagnostic of [checkout!, setup!]) {
      const retry = pinOf(await quickFixes(uri, [diagnostic]));
      assert.equal(retry.disabled, undefined);
      assert.equal(
        retry.title,
        `Pin to a commit SHA (asks ${host}) — try again (last lookup failed: ${failed.disabled!.reason})`,
      );
      assert.equal((retry.data as { retry?: boolean }).retry, true);
    }
    // The hover shows the remembered failure with a link that forgets it.
    assert.match(await hover(uri, 3), /lookup failed: .*\[Look up again\]\(command:driftguard\.lookUpAgain\)/);
    // Pin All lists both as not pinned, with the reason.
    const all = await client!.connection.sendRequest(PinImagesRequest, { uri });
    assert.deepEqual(
      all.failed.map((f) => [f.line, f.reason]),
      [
        [3, failed.disabled!.reason],
        [4, failed.disabled!.reason],
      ],
    );

    // The server answers again at the same address: the remembered failure holds until the user asks again.
    down = await startGitServer(git.server.root, { port });
    try {
      assert.match(await hover(uri, 3), /lookup failed/);
      assert.equal(down.requests.length, 0, 'a failure seen a moment ago is not asked again by itself');
      const retry = pinOf(await quickFixes(uri, [checkout!]));
      const pinned = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', retry);
      const v2 = git.checkout.commit('v2.0.0');
      assert.equal(pinned.title, `Pin to ${v2.slice(0, 7)} (v2.0.0)`);
      assert.equal(applyEdits(text, editsOf(pinned)), text.replace('@v2', `@${v2} # v2.0.0`));
      assert.deepEqual(statuses().at(-1), { reachable: true });
      // Down again: the other repository's hover fails and remembers it; "Look up again"
      // (driftguard/forgetLookupFailures) once it answers shows the commit.
      await down.stop();
      assert.match(await hover(uri, 4), /lookup failed: .*Look up again/);
      down = await startGitServer(git.server.root, { port });
      assert.match(await hover(uri, 4), /lookup failed/);
      assert.equal(down.requests.length, 0);
      await client!.connection.sendRequest(ForgetLookupFailuresRequest, {});
      assert.match(await hover(uri, 4), new RegExp(`runs commit \\| \`${git.setup.commit('main')}\``));
    } finally {
      await down.stop();
    }
  });
});
