import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { BuildScriptTracker } from '../../server/src/lsp/buildScriptTracker';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { StateWaits } from '../helpers/stateWaits';
import { tempTree } from '../helpers/tempTree';

describe('language server: a document’s diagnostics come before what it tells other files', function () {
  this.timeout(30000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('a Dockerfile’s first publish is written before its scripts are recorded and the index starts', async () => {
    const root = tempTree({
      Dockerfile: 'FROM alpine:3.19\nCOPY build.sh /build.sh\nRUN /build.sh\n',
      'build.sh': '#!/bin/sh\napk add curl\n',
    });
    const dockerfile = path.join(root, 'Dockerfile');
    const uri = uriOf(dockerfile);
    /** Versions of the Dockerfile whose publish the server has written (its write promise resolved). */
    const written: number[] = [];
    /** What the tracker was asked, and the versions written by then. */
    const calls: Array<{ call: string; written: number[] }> = [];
    const states = new StateWaits();
    const { changed } = states;
    class Tracker extends BuildScriptTracker {
      override update(...args: Parameters<BuildScriptTracker['update']>) {
        if (args[1].path === dockerfile) calls.push({ call: 'update', written: [...written] });
        changed();
        return super.update(...args);
      }
      override async index(...args: Parameters<BuildScriptTracker['index']>) {
        calls.push({ call: 'index', written: [...written] });
        changed();
        return super.index(...args);
      }
    }
    client = LspTestClient.inProcess({ buildScripts: new Tracker() });
    const connection = client.inProcessServer!.connection;
    const sendDiagnostics = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = (params) => {
      const sent = sendDiagnostics(params);
      // Registered before the server's own continuation: runs first when the write is done.
      void sent.then(() => {
        if (params.uri === uri && params.version !== undefined) written.push(params.version);
        changed();
      });
      return sent;
    };
    await client.initialize(uriOf(root));
    const diagnostics = await client.openFileAndWait(dockerfile, 'dockerfile');
    assert.ok(diagnostics.length > 0, 'the Dockerfile has findings');
    await states.until(() => calls.some((c) => c.call === 'update') && calls.some((c) => c.call === 'index'));
    assert.deepEqual(
      calls.map((c) => c.call).sort(),
      ['index', 'update'],
      'the first lint records the Dockerfile’s scripts once (from its own model) and starts the index once',
    );
    for (const call of calls) assert.deepEqual(call.written, [1], `${call.call} after the publish of version 1`);
  });
});
