import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createEngine } from '../../server/src/createEngine';
import { DEFAULT_SNIPPET_LIMITS, SnippetCache } from '../../server/src/shell/analysisCache';
import { KEYSTROKE_SNIPPET_LIMITS, keystrokeSnippetCache, SnippetCacheUse } from '../../server/src/lsp/snippetCacheUse';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

describe('language server: when the snippet cache is used', function () {
  this.timeout(30000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('an edit’s lint recalls the snippets the previous edit analysed; the first lint records none', async () => {
    const services = [];
    for (let i = 0; i < 40; i++)
      services.push(`  s${i}:\n    image: alpine:3.19\n    command: sh -c "apk add curl && run ${i}"\n`);
    const text = `services:\n${services.join('')}# \n`;
    const root = tempTree({ 'compose.yaml': text });
    const file = path.join(root, 'compose.yaml');
    const uri = uriOf(file);
    const cache = keystrokeSnippetCache();
    client = LspTestClient.inProcess({ engine: createEngine({ snippetCache: cache }), snippetCache: cache });
    await client.initialize(uriOf(root));
    const opened = await client.openAndWait(uri, 'dockercompose', text);
    assert.deepEqual(cache.counts(), { hits: 0, misses: 0 }, 'the first lint does not use the cache');
    const line = text.split('\n').length - 2;
    for (let version = 2; version <= 4; version++) {
      const at = { line, character: version };
      await client.change(uri, version, { range: { start: at, end: at }, text: 'x' });
      await client.waitForPublish(uri, version);
    }
    const { hits, misses } = cache.counts();
    assert.ok(
      misses > 0 && hits >= 2 * misses,
      `later edits recall what the first edit analysed (${hits} / ${misses})`,
    );
    assert.equal(cache.active, false, 'off again after the lint');
    assert.deepEqual(client.lastPublished().get(uri), opened, 'the same diagnostics');
  });

  /**
   * 100 distinct RUN lines, the same in two Dockerfiles: more than the keystroke size holds, so a cache
   * left at it recalls none of the second file's (each entry is evicted before its turn comes).
   */
  it('a Scan Workspace uses it at the CLI’s size, then shrinks it to the keystroke size, off', async () => {
    const runs = Array.from({ length: 100 }, (_, i) => `RUN apt-get install -y curl && echo step-${i}\n`).join('');
    const files = { 'a/Dockerfile': `FROM debian:12\n${runs}`, 'b/Dockerfile': `FROM debian:12\n${runs}` };
    const published = async (cache: SnippetCache | false) => {
      const root = tempTree(files);
      const scanning = LspTestClient.inProcess({
        engine: createEngine({ snippetCache: cache }),
        ...(cache ? { snippetCache: cache } : {}),
      });
      await scanning.initialize(uriOf(root));
      const result = await scanning.connection.sendRequest<{ filesScanned: number }>('driftguard/scanWorkspace', {});
      assert.equal(result.filesScanned, 2);
      const diagnostics = ['a', 'b'].map((dir) =>
        scanning.lastPublished().get(uriOf(path.join(root, dir, 'Dockerfile'))),
      );
      await scanning.stop();
      return diagnostics;
    };
    const cache = keystrokeSnippetCache();
    const withCache = await published(cache);
    assert.ok(cache.counts().hits >= 100, `the second Dockerfile's snippets are recalled (${cache.counts().hits})`);
    assert.equal(cache.active, false, 'off after the scan');
    const held = cache.size();
    assert.ok(
      held.entries <= KEYSTROKE_SNIPPET_LIMITS.entries && held.text <= KEYSTROKE_SNIPPET_LIMITS.text,
      `back to the keystroke size (${held.entries} entries, ${held.text} characters)`,
    );
    assert.ok(withCache[0]!.length > 0, 'the scan found something to compare');
    assert.deepEqual(withCache, await published(false), 'the same diagnostics as with no cache');
  });

  it('an edit during a scan leaves it on; overlapping scans keep it on and wide until the last ends', async () => {
    // The cache's switches, recorded: on/off and the limits it is told to keep.
    const calls: string[] = [];
    const cache = keystrokeSnippetCache();
    const useLimits = cache.useLimits.bind(cache);
    cache.useLimits = (limits) => (calls.push(`limits ${limits.entries}`), useLimits(limits));
    const use = new SnippetCacheUse(cache);
    let endFirst!: () => void;
    const first = use.scan(() => new Promise<void>((resolve) => (endFirst = resolve)));
    assert.equal(cache.active, true, 'on through a scan');
    use.lintEdit(true, () => calls.push(`edit, on: ${cache.active}`));
    assert.equal(cache.active, true, 'still on after an edit’s lint');
    await use.scan(async () => calls.push(`second scan, on: ${cache.active}`));
    assert.equal(cache.active, true, 'on while the first scan runs');
    endFirst();
    await first;
    assert.equal(cache.active, false, 'off once both ended');
    assert.deepEqual(calls, [
      `limits ${DEFAULT_SNIPPET_LIMITS.entries}`,
      'edit, on: true',
      'second scan, on: true',
      `limits ${KEYSTROKE_SNIPPET_LIMITS.entries}`,
    ]);
    assert.equal(
      use.lintEdit(false, () => cache.active),
      false,
      'a first lint outside a scan does not use it',
    );
    assert.throws(() => use.lintEdit(true, () => assert.fail('lint failed')), /lint failed/);
    assert.equal(cache.active, false, 'off after an edit’s lint that threw');
    await assert.rejects(
      use.scan(() => Promise.reject(new Error('failed'))),
      /failed/,
    );
    assert.equal(cache.active, false, 'off after a failed scan');
  });
});
