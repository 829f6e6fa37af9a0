import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import { PinImagesRequest, type PinImagesResult } from '../../server/src/lsp/protocol';
import { CHANGED_WHILE_PINNING } from '../../server/src/lsp/pinImages';
import { manifestBody, sha256Of, startFakeRegistry } from '../helpers/fakeRegistry';
import { LspTestClient, uriOf } from '../helpers/lspClient';
import type { FrontServer } from '../helpers/registryDoubles';
import { tempTree } from '../helpers/tempTree';

/**
 * Pin All Images in File / in Workspace (issue 11, item 11, the editor's side): the lookups take a
 * while, and a file the user changes meanwhile — on disk or in the editor — is reported and left
 * as it is, never edited at ranges of an earlier read.
 */
describe('Pin All in the editor never edits a file changed while pinning', function () {
  this.timeout(30_000);
  const slow = manifestBody('app 1');
  const quick = manifestBody('app 2');
  let registry: FrontServer;
  /** The held lookup of `app:1`: called (once) when it arrives, answered when `release` is called. */
  let held: { arrived: () => void; release: Promise<void> } | undefined;
  let client: LspTestClient | undefined;
  /** The edits the client was asked to apply, by file; each is applied to the file on disk. */
  let applied: Map<string, TextEdit[][]>;

  before(async () => {
    registry = await startFakeRegistry({
      repos: { app: { '1': slow, '2': quick } },
      handle: (req, _res, forward) => {
        const hold = held;
        if (!hold || !/\/manifests\/1$/.test(req.url ?? '')) return false;
        held = undefined;
        hold.arrived();
        void hold.release.then(forward);
        return true;
      },
    });
  });
  after(async () => {
    await registry.stop();
  });
  beforeEach(() => {
    applied = new Map();
    held = undefined;
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  /** Holds the next lookup of `app:1`; `arrived` resolves once it reaches the registry. */
  function holdLookup(): { arrived: Promise<void>; release: () => void } {
    let release!: () => void;
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => (arrived = r));
    held = { arrived, release: new Promise<void>((r) => (release = r)) };
    return { arrived: arrival, release };
  }

  async function start(root: string): Promise<LspTestClient> {
    client = LspTestClient.inProcess();
    client.applyEdit = (edit) => {
      for (const change of (edit as { documentChanges: TextDocumentEdit[] }).documentChanges) {
        const file = fileURLToPath(change.textDocument.uri);
        const edits = change.edits as TextEdit[];
        const folder = path.basename(path.dirname(file));
        applied.set(folder, [...(applied.get(folder) ?? []), edits]);
        fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
      }
      return { applied: true };
    };
    await client.initialize(uriOf(root));
    return client;
  }

  it('a file not open, changed on disk during the lookup: reported, left untouched; the others pinned', async () => {
    const root = tempTree({
      'a/Dockerfile': `FROM ${registry.host}/app:1\n`,
      'b/Dockerfile': `FROM ${registry.host}/app:2\n`,
    });
    const lsp = await start(root);
    const lookup = holdLookup();
    const pinning = lsp.connection.sendRequest(PinImagesRequest, { folders: [uriOf(root)] });
    await lookup.arrived;
    const edited = `FROM ${registry.host}/app:1\nRUN echo added meanwhile\n`;
    fs.writeFileSync(path.join(root, 'a/Dockerfile'), edited);
    lookup.release();
    const result: PinImagesResult = await pinning;
    assert.equal(fs.readFileSync(path.join(root, 'a/Dockerfile'), 'utf8'), edited);
    assert.equal(
      fs.readFileSync(path.join(root, 'b/Dockerfile'), 'utf8'),
      `FROM ${registry.host}/app:2@${sha256Of(quick)}\n`,
    );
    assert.deepEqual([...applied.keys()], ['b']);
    assert.deepEqual(
      result.failed.map((f) => [path.basename(path.dirname(fileURLToPath(f.uri))), f.reason]),
      [['a', CHANGED_WHILE_PINNING]],
    );
    assert.equal(result.filesChanged, 1);
    assert.deepEqual(
      result.pinned.map((p) => p.reference),
      [`${registry.host}/app:2`],
    );
  });

  it('a file not open, unchanged: edited (unversioned, as a file not open is)', async () => {
    const root = tempTree({ 'a/Dockerfile': `FROM ${registry.host}/app:1\n` });
    const lsp = await start(root);
    const result = await lsp.connection.sendRequest(PinImagesRequest, { folders: [uriOf(root)] });
    assert.deepEqual(result.failed, []);
    assert.equal(
      fs.readFileSync(path.join(root, 'a/Dockerfile'), 'utf8'),
      `FROM ${registry.host}/app:1@${sha256Of(slow)}\n`,
    );
  });

  it('an open document edited during the lookup: reported, no edit sent', async () => {
    const root = tempTree({ 'a/Dockerfile': `FROM ${registry.host}/app:1\n` });
    const lsp = await start(root);
    const uri = uriOf(path.join(root, 'a/Dockerfile'));
    await lsp.openAndWait(uri, 'dockerfile', `FROM ${registry.host}/app:1\n`);
    const lookup = holdLookup();
    const pinning = lsp.connection.sendRequest(PinImagesRequest, { uri });
    await lookup.arrived;
    // The user types a line above the FROM: the planned range is now on the wrong line.
    await lsp.change(uri, 2, {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      text: '# base\n',
    });
    // The server has the new version once it publishes for it.
    await lsp.waitForPublish(uri, 2);
    lookup.release();
    const result = await pinning;
    assert.deepEqual([...applied.keys()], []);
    assert.deepEqual(
      result.failed.map((f) => f.reason),
      [CHANGED_WHILE_PINNING],
    );
    assert.equal(result.filesChanged, 0);
    assert.deepEqual(result.pinned, []);
  });
});
