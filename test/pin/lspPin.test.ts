import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import { tempTree } from '../helpers/tempTree';
import { LspTestClient, SERVER_MAIN, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { useSeededRegistry } from '../helpers/registryFixture';

function editsOf(action: CodeAction): TextEdit[] {
  return ((action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? []) as TextEdit[];
}

describe('registry-backed fixes in the language server (real registry)', function () {
  this.timeout(30000);
  const seeded = useSeededRegistry();
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  async function open(root: string, file: string, languageId: string, options?: unknown) {
    client = new LspTestClient(SERVER_MAIN);
    await client.initialize(uriOf(root), {}, options);
    const uri = uriOf(path.join(root, file));
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    return { uri, text, diagnostics: await client.openAndWait(uri, languageId, text) };
  }

  it('latest → exact version: listed without waiting, resolved lazily to an exact edit', async () => {
    const host = seeded.registry.host;
    const root = tempTree({ Dockerfile: `FROM ${host}/library/nginx:latest AS web\n` });
    const { uri, text, diagnostics } = await open(root, 'Dockerfile', 'dockerfile');
    const actions = await client!.codeActions(uri, diagnostics[0]!.range, diagnostics, ['quickfix']);
    const pin = actions.find((a) => a.data && (a.data as { kind: string }).kind === 'driftguard.pin')!;
    assert.ok(pin, actions.map((a) => a.title).join());
    // Listed without asking the registry: no edit and no version in the title yet.
    assert.equal(pin.edit, undefined);
    assert.ok(!actions.some((a) => a.title.includes('1.25.3')), actions.map((a) => a.title).join());
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    assert.equal(resolved.disabled, undefined);
    const output = applyEdits(text, editsOf(resolved));
    assert.equal(output, `FROM ${host}/library/nginx:1.25.3@${seeded.plan.nginxMainline.index.digest} AS web\n`);
    // Asked again, the cached answer gives the exact title and the edit at once.
    const again = await client!.codeActions(uri, diagnostics[0]!.range, diagnostics, ['quickfix']);
    const exact = again.find((a) => a.title === 'Pin to 1.25.3 (same image as latest)')!;
    assert.ok(exact, again.map((a) => a.title).join());
    assert.equal(applyEdits(text, editsOf(exact)), output);
  });

  it('tag → tag@digest in Compose keeps the quotes; an ARG default is edited where it is written', async () => {
    const host = seeded.registry.host;
    const root = tempTree({ 'compose.yaml': `services:\n  a:\n    image: "${host}/library/alpine:3.19"\n` });
    const { uri, text, diagnostics } = await open(root, 'compose.yaml', 'dockercompose');
    const actions = await client!.codeActions(uri, diagnostics[0]!.range, diagnostics);
    const resolved = await client!.connection.sendRequest<CodeAction>(
      'codeAction/resolve',
      actions.find((a) => a.data)!,
    );
    assert.equal(
      applyEdits(text, editsOf(resolved)),
      `services:\n  a:\n    image: "${host}/library/alpine:3.19@${seeded.plan.alpine.digest}"\n`,
    );
    await client!.stop();
    const root2 = tempTree({ Dockerfile: `ARG BASE=${host}/library/alpine:3.19\nFROM $BASE\n` });
    const second = await open(root2, 'Dockerfile', 'dockerfile');
    const actions2 = await client!.codeActions(second.uri, second.diagnostics[0]!.range, second.diagnostics);
    const resolved2 = await client!.connection.sendRequest<CodeAction>(
      'codeAction/resolve',
      actions2.find((a) => a.data)!,
    );
    assert.equal(
      applyEdits(second.text, editsOf(resolved2)),
      `ARG BASE=${host}/library/alpine:3.19@${seeded.plan.alpine.digest}\nFROM $BASE\n`,
    );
  });

  it('a failed lookup disables the action with the reason', async () => {
    const root = tempTree({ Dockerfile: 'FROM 127.0.0.1:9/app:1\n' });
    const { uri, diagnostics } = await open(root, 'Dockerfile', 'dockerfile');
    const actions = await client!.codeActions(uri, diagnostics[0]!.range, diagnostics);
    const resolved = await client!.connection.sendRequest<CodeAction>(
      'codeAction/resolve',
      actions.find((a) => a.data)!,
    );
    assert.match(resolved.disabled?.reason ?? '', /unreachable|ECONNREFUSED/);
    assert.equal(resolved.edit, undefined);
  });

  it('untrusted workspace: nothing is sent, the action says why', async () => {
    const host = seeded.registry.host;
    const root = tempTree({ Dockerfile: `FROM ${host}/library/alpine:3.19\n` });
    const { uri, diagnostics } = await open(root, 'Dockerfile', 'dockerfile', { trusted: false });
    const actions = await client!.codeActions(uri, diagnostics[0]!.range, diagnostics);
    const pin = actions.find((a) => a.title.startsWith('Pin'))!;
    assert.equal(pin.disabled?.reason, 'registry lookups are off in an untrusted workspace');
    const hover = await client!.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 8 },
    });
    assert.match((hover.contents as { value: string }).value, /untrusted/);
  });

  it('hover shows digest, platforms and tags sharing the digest', async () => {
    const host = seeded.registry.host;
    const root = tempTree({ Dockerfile: `FROM ${host}/library/nginx:1.25\n` });
    const { uri } = await open(root, 'Dockerfile', 'dockerfile');
    const hover = await client!.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 10 },
    });
    const value = (hover.contents as { value: string }).value;
    assert.ok(value.includes(seeded.plan.nginxMainline.index.digest), value);
    assert.match(value, /linux\/amd64, linux\/arm64\/v8/);
    assert.match(value, /nginx:1\.25\.3`/);
    assert.deepEqual(hover.range, {
      start: { line: 0, character: 5 },
      end: { line: 0, character: 5 + `${host}/library/nginx:1.25`.length },
    });
  });

  it('Pin All Images in Workspace: one applyEdit per file, summary of pinned and failed', async () => {
    const host = seeded.registry.host;
    const root = tempTree({
      'a/Dockerfile': `FROM ${host}/library/nginx\nFROM ${host}/library/missing:2\n`,
      'b/docker-compose.yml': `services:\n  s:\n    image: ${host}/library/busybox:1.36.1\n`,
    });
    client = new LspTestClient(SERVER_MAIN);
    const applied: string[] = [];
    client.applyEdit = (edit) => {
      for (const change of (edit as { documentChanges: TextDocumentEdit[] }).documentChanges) {
        const file = fileURLToPath(change.textDocument.uri);
        fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), change.edits as TextEdit[]));
        applied.push(path.relative(root, file));
      }
      return { applied: true };
    };
    await client.initialize(uriOf(root));
    const result = await client.connection.sendRequest<{
      filesChanged: number;
      pinned: unknown[];
      failed: Array<{ reference: string; reason: string }>;
    }>('driftguard/pinImages', { folders: [uriOf(root)] });
    assert.equal(result.filesChanged, 2);
    assert.equal(result.pinned.length, 2);
    assert.deepEqual(
      result.failed.map((f) => f.reference),
      [`${host}/library/missing:2`],
    );
    assert.deepEqual(applied.sort(), ['a/Dockerfile', 'b/docker-compose.yml']);
    assert.equal(
      fs.readFileSync(path.join(root, 'a/Dockerfile'), 'utf8'),
      `FROM ${host}/library/nginx:1.25.3@${seeded.plan.nginxMainline.index.digest}\nFROM ${host}/library/missing:2\n`,
    );
    assert.ok(client.notifications.some((n) => n.method === 'driftguard/pinProgress'));
  });

  it('image-digest-stale: with the online checks the user turned on, reported after a lookup, fixed', async () => {
    const host = seeded.registry.host;
    const old = 'sha256:' + '3'.repeat(64);
    const root = tempTree({
      Dockerfile: `FROM ${host}/library/alpine:3.19@${old}\n`,
      '.driftguard.yaml': 'rules:\n  image-digest-stale: info\n',
    });
    client = new LspTestClient(SERVER_MAIN);
    await client.initialize(uriOf(root), {}, { userSettings: { online: true } });
    const uri = uriOf(path.join(root, 'Dockerfile'));
    const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    assert.deepEqual(await client.openAndWait(uri, 'dockerfile', text), []);
    const stale = await client.waitForPublish(uri, 2);
    assert.equal(stale[0]!.code, 'image-digest-stale');
    const actions = await client.codeActions(uri, stale[0]!.range, stale);
    const update = actions.find((a) => a.title.startsWith('Update') || (a.data && a.title.includes('Update')))!;
    const resolved = update.edit
      ? update
      : await client.connection.sendRequest<CodeAction>('codeAction/resolve', update);
    assert.equal(
      applyEdits(text, editsOf(resolved)),
      `FROM ${host}/library/alpine:3.19@${seeded.plan.alpine.digest}\n`,
    );
  });
});
