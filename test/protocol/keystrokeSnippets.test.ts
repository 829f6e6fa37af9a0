import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createEngine } from '../../server/src/createEngine';
import { SnippetCache } from '../../server/src/shell/analysisCache';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

describe('language server: the snippet cache of keystrokes', function () {
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
    const cache = new SnippetCache({ entries: 64, text: 16 * 1024 });
    cache.active = false;
    client = LspTestClient.inProcess({ engine: createEngine({ snippetCache: cache }), keystrokeSnippets: cache });
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
});
