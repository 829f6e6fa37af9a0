import * as assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { ScanWorkspaceRequest } from '../../server/src/lsp/protocol';
import { fullCollection, fullCollectionOnFirstUse } from '../../server/src/lsp/heapRelease';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { StateWaits } from '../helpers/stateWaits';
import { tempTree } from '../helpers/tempTree';

/** Allocates 400,000 small objects, measures with them held, and drops them. */
function holdThenDrop(measure: () => number): number {
  const held = Array.from({ length: 400_000 }, (_, n) => ({ n, s: `line ${n}` }));
  const used = measure();
  assert.equal(held.length, 400_000);
  return used;
}

describe('heap given back after a Scan Workspace', function () {
  this.timeout(20000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('a full collection frees what is no longer referenced, and leaves the collector unexposed', () => {
    const collect = fullCollection();
    assert.ok(collect, 'the runtime exposes no collector');
    const before = process.memoryUsage().heapUsed;
    const held = holdThenDrop(() => process.memoryUsage().heapUsed);
    assert.ok(held - before > 10 * 1024 * 1024, `only ${held - before} bytes allocated`);
    collect();
    const after = process.memoryUsage().heapUsed;
    assert.ok(after < held - 10 * 1024 * 1024, `heap used ${held} → ${after} bytes`);
    assert.equal(runInNewContext('typeof gc'), 'undefined');
  });

  it('the collection set up on first use frees as much, at every call', () => {
    const collect = fullCollectionOnFirstUse();
    for (let call = 1; call <= 2; call++) {
      const before = process.memoryUsage().heapUsed;
      const held = holdThenDrop(() => process.memoryUsage().heapUsed);
      assert.ok(held - before > 10 * 1024 * 1024, `call ${call}: only ${held - before} bytes allocated`);
      collect();
      const after = process.memoryUsage().heapUsed;
      assert.ok(after < held - 10 * 1024 * 1024, `call ${call}: heap used ${held} → ${after} bytes`);
    }
    assert.equal(runInNewContext('typeof gc'), 'undefined');
  });

  it('the server gives its heap back once per Scan Workspace, not when it lints a document', async () => {
    const root = tempTree({
      Dockerfile: 'FROM nginx\nCOPY setup.sh /\nRUN /setup.sh\n',
      'setup.sh': 'apt-get install -y curl\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n',
    });
    let released = 0;
    let answers = 0;
    // Scan answers the server had written when each release ran: an answer never waits for it.
    const answeredAtRelease: number[] = [];
    const waits = new StateWaits();
    client = LspTestClient.inProcess({
      releaseMemory: () => {
        answeredAtRelease.push(answers);
        released++;
        waits.changed();
      },
    });
    client.inProcessServer!.output.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"filesScanned"')) answers++;
    });
    await client.initialize(uriOf(root));
    await client.openAndWait(uriOf(`${root}/Dockerfile`), 'dockerfile', 'FROM nginx\n');
    assert.equal(released, 0);
    const first = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(first.filesScanned, 3);
    await waits.until(() => released === 1);
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    await waits.until(() => released === 2);
    assert.deepEqual(answeredAtRelease, [1, 2]);
  });
});
