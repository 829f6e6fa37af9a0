import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import { sha256OfUrl } from '../../server/src/pin/checksum';
import { tempTree } from '../helpers/tempTree';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';

const BODY = Buffer.from('tool release 1.2.3\n'.repeat(1000));
const SHA = 'sha256:' + createHash('sha256').update(BODY).digest('hex');

describe('ADD --checksum fix (real download on loopback)', function () {
  this.timeout(20000);
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/tool.tgz') {
        res.writeHead(200);
        res.end(BODY);
        return;
      }
      if (req.url === '/dribble') {
        // Never idle, never done: one byte every 100 ms.
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/latest') {
        res.writeHead(302, { location: '/tool.tgz' });
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );

  it('hashes the body, following redirects', async () => {
    assert.equal(await sha256OfUrl(`${base}/latest`), SHA);
  });
  it('refuses plain HTTP to a non-loopback host without connecting', async () => {
    await assert.rejects(sha256OfUrl('http://downloads.example.invalid/x.tgz'), /refusing plain HTTP/);
  });
  it('reports HTTP errors and size limits', async () => {
    await assert.rejects(sha256OfUrl(`${base}/missing`), /404 from 127\.0\.0\.1/);
    await assert.rejects(sha256OfUrl(`${base}/tool.tgz`, { maxBytes: 100 }), /larger than 100 bytes/);
  });

  it('gives the download one overall deadline, however steadily bytes arrive (item 9)', async () => {
    await assert.rejects(sha256OfUrl(`${base}/dribble`, { deadlineMs: 1000 }), /took longer than 1 s/);
  });

  it('the language server offers it, resolves it by downloading, and the finding goes away', async () => {
    const root = tempTree({
      Dockerfile:
        `FROM alpine:3@sha256:${'a'.repeat(64)}\nADD ${base}/latest /opt/tool.tgz\n` + `ADD ${base}/missing /opt/x\n`,
    });
    const client = new LspTestClient(SERVER_MAIN);
    try {
      await client.initialize(uriOf(root));
      const uri = uriOf(path.join(root, 'Dockerfile'));
      const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
      const diagnostics = (await client.openAndWait(uri, 'dockerfile', text)).filter(
        (d) => d.code === 'remote-add-unverified',
      );
      assert.equal(diagnostics.length, 2);
      const ask = async (line: number) =>
        (await client.codeActions(uri, diagnostics[line]!.range, [diagnostics[line]!])).find((a) =>
          a.title.startsWith('Add --checksum'),
        )!;
      const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', await ask(0));
      const edits = (resolved.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
      const output = applyEdits(text, edits);
      assert.equal(output.split('\n')[1], `ADD --checksum=${SHA} ${base}/latest /opt/tool.tgz`);
      const failed = await client.connection.sendRequest<CodeAction>('codeAction/resolve', await ask(1));
      assert.match(failed.disabled?.reason ?? '', /download failed: 404/);
      await client.change(uri, 2, { text: output });
      const after = (await client.waitForPublish(uri, 2)).filter((d) => d.code === 'remote-add-unverified');
      assert.deepEqual(
        after.map((d) => d.range.start.line),
        [2],
      );
    } finally {
      await client.stop();
    }
  });
});
