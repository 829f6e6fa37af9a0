import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { type Message, RAL } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { severitiesFor } from '../../server/src/config/presets';
import type { LintInput } from '../../server/src/engine/settings';
import type { Problem } from '../../server/src/engine/types';
import { reusingDiagnostics } from '../../server/src/lsp/convert';
import { publishedDiagnostics } from '../../server/src/lsp/diagnostics';
import { publishEncoder } from '../../server/src/lsp/publishEncoder';
import { testEngine } from '../helpers/engine';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

const settings = { severities: severitiesFor('recommended'), imagesAllow: [] };
const input = (text: string): LintInput => ({ uri: 'file:///ws/Dockerfile', kind: 'dockerfile', text, settings });
const UTF8 = { charset: 'utf-8' as const };

/** Stages whose findings have “quoted” (non-ASCII) messages: remote-script-exec, package-upgrade. */
const stage = (i: number) =>
  `FROM debian:12 AS s${i}\nRUN apt-get update && apt-get upgrade -y && apt-get install -y curl wget\n` +
  `RUN curl -fsSL https://example.com/i.sh | sh\n\n`;

const publish = (params: object): Message =>
  ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params }) as Message;
const libraryBytes = async (message: Message) => Buffer.from(await RAL().applicationJson.encoder.encode(message, UTF8));
const encodedBytes = async (encoder: ReturnType<typeof publishEncoder>, message: Message) =>
  Buffer.from(await encoder.encode(message, UTF8));

describe('publish encoder of the stdio transport', () => {
  it("writes vscode-jsonrpc's own bytes for every publish, across keystrokes that reuse diagnostics", async () => {
    const encoder = publishEncoder();
    const lines = Array.from({ length: 40 }, (_, i) => stage(i))
      .join('')
      .split('\n');
    const typed = 'RUN apt-get install -y jq # “x”';
    let state;
    let before: ReadonlyMap<Problem, Diagnostic> | undefined;
    let nonAscii = 0;
    for (let i = 0; i <= typed.length; i++) {
      const text = [...lines.slice(0, 80), typed.slice(0, i), ...lines.slice(80)].join('\n');
      let result;
      ({ result, state } = testEngine().lintIncremental(input(text), state));
      const { convert, converted } = reusingDiagnostics(before);
      before = converted;
      const diagnostics = publishedDiagnostics(result, convert);
      const message = publish({ uri: 'file:///ws/Dockerfile', version: i + 1, diagnostics });
      const expected = await libraryBytes(message);
      if (expected.some((byte) => byte > 0x7f)) nonAscii++;
      assert.ok(diagnostics.length > 100);
      assert.ok((await encodedBytes(encoder, message)).equals(expected), `keystroke ${i}`);
    }
    assert.equal(nonAscii, typed.length + 1, 'every publish holds non-ASCII messages');
  });

  it('writes other messages and other shapes of a publish as the library does', async () => {
    const encoder = publishEncoder();
    const diagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      message: 'é “x”',
    };
    const messages: Message[] = [
      publish({ uri: 'file:///ws/a', diagnostics: [diagnostic] }),
      publish({ uri: 'file:///ws/a', version: 2, diagnostics: [] }),
      publish({ diagnostics: [diagnostic], uri: 'file:///ws/a', version: 3 }),
      publish({
        uri: 'file:///ws/%C3%A9',
        version: 4,
        diagnostics: [diagnostic, { ...diagnostic, skipped: undefined }],
      }),
      { ...publish({ uri: 'file:///ws/a', version: 5, diagnostics: [diagnostic] }), extra: 1 } as Message,
      { jsonrpc: '2.0', id: 1, result: { diagnostics: [diagnostic] } } as Message,
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: '“x”' } } as Message,
    ];
    for (const message of messages)
      assert.ok((await encodedBytes(encoder, message)).equals(await libraryBytes(message)), JSON.stringify(message));
  });

  it("encodes a document's diagnostic object once, and a publish without a version (Scan Workspace) anew", async () => {
    const encoder = publishEncoder();
    const diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'a' };
    const versioned = (version: number) => publish({ uri: 'file:///ws/a', version, diagnostics: [diagnostic] });
    const first = await encodedBytes(encoder, versioned(1));
    // Breaking the contract (a published diagnostic is never changed) shows which bytes are reused.
    diagnostic.message = 'b';
    assert.ok((await encodedBytes(encoder, versioned(2))).includes('"message":"a"'));
    assert.ok(first.includes('"message":"a"'));
    const unversioned = publish({ uri: 'file:///ws/a', diagnostics: [diagnostic] });
    assert.ok((await encodedBytes(encoder, unversioned)).includes('"message":"b"'));
  });

  describe('over stdio', function () {
    this.timeout(30000);
    let client: LspTestClient;
    afterEach(() => client.stop());

    it("publishes the library's JSON of what a fresh open publishes, keystroke after keystroke", async () => {
      const root = tempTree({});
      client = new LspTestClient(SERVER_MAIN);
      const bodies = collectBodies(client);
      await client.initialize(uriOf(root));
      const lines = Array.from({ length: 40 }, (_, i) => stage(i))
        .join('')
        .split('\n');
      const uri = uriOf(path.join(root, 'Dockerfile'));
      await client.openAndWait(uri, 'dockerfile', lines.join('\n'));
      const typed = 'RUN pip install flask';
      let text = lines.join('\n');
      for (let i = 0; i < typed.length; i++) {
        const at = { line: 80, character: i };
        await client.change(uri, i + 2, { range: { start: at, end: at }, text: typed[i]! });
        await client.waitForPublish(uri, i + 2);
        text = [...lines.slice(0, 80), typed.slice(0, i + 1) + lines[80]!, ...lines.slice(81)].join('\n');
      }
      const typedLast = await client.waitForPublish(uri, typed.length + 1);
      const fresh = await client.openAndWait(uri.replace('Dockerfile', 'Fresh.Dockerfile'), 'dockerfile', text);
      assert.deepEqual(typedLast, fresh);
      assert.ok(typedLast.some((d) => d.code === 'package-unpinned' && d.range.start.line === 80));
      const publishes = bodies.filter((b) => b.includes('"textDocument/publishDiagnostics"'));
      assert.ok(publishes.length >= typed.length + 2);
      for (const body of publishes) assert.equal(body, JSON.stringify(JSON.parse(body)));
    });

    it('still ends the server when its stdin closes', async () => {
      client = new LspTestClient(SERVER_MAIN);
      await client.initialize(null);
      const code = await client.closeInput();
      assert.equal(code, 1, 'no shutdown was asked for');
    });
  });
});

/** The JSON body of each message the server writes, as bytes arrive on its stdout. */
function collectBodies(client: LspTestClient): string[] {
  const bodies: string[] = [];
  let pending = Buffer.alloc(0);
  client.onServerOutput((chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(pending.subarray(0, headerEnd).toString())![1]);
      if (pending.length < headerEnd + 4 + length) return;
      bodies.push(pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      pending = pending.subarray(headerEnd + 4 + length);
    }
  });
  return bodies;
}
