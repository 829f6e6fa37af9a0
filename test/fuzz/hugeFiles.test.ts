import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspTestClient, SERVER_BUNDLE, uriOf } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';
import { scan } from '../../server/src/cli/scan';
import { testEngine } from '../helpers/engine';
import { STRICT, initEngine } from './harness';

describe('huge and binary files', function () {
  this.timeout(30000);
  before(() => initEngine());

  it('the CLI scan skips files over --max-file-size, binary and non-UTF-8 files, with a reason', async () => {
    const root = tempTree({
      'big/Dockerfile': `FROM ubuntu\n${'# filler\n'.repeat(300)}`,
      'small/Dockerfile': 'FROM ubuntu\n',
      'bin/Dockerfile': Buffer.from([0x46, 0x52, 0x00, 0x4d]),
      'latin1/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]),
    });
    const outcome = await scan(testEngine(), { paths: [root], maxBytes: 1000 });
    const reason = (dir: string) => outcome.files.find((f) => f.path === path.join(root, dir, 'Dockerfile'))?.skipped;
    assert.match(reason('big') ?? '', /larger than/);
    assert.match(reason('bin') ?? '', /binary/);
    assert.match(reason('latin1') ?? '', /UTF-8/);
    assert.equal(reason('small'), undefined);
  });

  // Quickly: before any parse. The budget is on the CPU time of the lint (wall-clock time would also
  // count the time other processes held the cores) and generous; speed itself is the bench's.
  it('the engine skips a document with a multi-megabyte line quickly, with a reason', () => {
    const text = `echo ${'$'.repeat(1024 * 1024)}\n`;
    const cpu = process.cpuUsage();
    const result = testEngine().lint({ uri: 'file:///x.sh', text, kind: 'shell', settings: STRICT });
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    assert.match(result.skipped ?? '', /line 1 is longer than/);
    assert.ok(cpuMs < 500, `${cpuMs} ms of CPU time`);
  });

  it('the server does not analyse an open document over the size limit, and says so once', async () => {
    const root = tempTree({});
    const client = new LspTestClient(SERVER_BUNDLE);
    try {
      await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uriOf(root),
        capabilities: {},
        initializationOptions: { maxFileSize: 2000 },
      });
      await client.connection.sendNotification('initialized', {});
      const big = uriOf(path.join(root, 'big', 'Dockerfile'));
      const small = uriOf(path.join(root, 'small', 'Dockerfile'));
      const text = `FROM ubuntu\n${'# é filler\n'.repeat(300)}`;
      assert.deepEqual(await client.openAndWait(big, 'dockerfile', text), []);
      await client.change(big, 2, {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        text: '#',
      });
      assert.deepEqual(await client.waitForPublish(big, 2), []);
      assert.equal(
        client.logs.filter((l) => l.includes(big) && l.includes('not analysed') && l.includes('2000-byte limit'))
          .length,
        1,
      );
      assert.ok((await client.openAndWait(small, 'dockerfile', 'FROM ubuntu\n')).length > 0);
    } finally {
      await client.stop();
    }
  });
});
