import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { decodeSource } from '../../server/src/workspace/readSource';
import { corpusFiles, prng, sample } from '../fuzz/corpus';
import { initEngine } from '../fuzz/harness';
import { roundTripFile } from './roundtrip';

/** A fixed sample of the corpus; `npm run fuzz -- --roundtrip` runs every file. */
describe('fix round-trip on corpus files (fixed sample)', function () {
  this.timeout(120000);
  before(() => initEngine());

  it('every offline fix re-parses, removes its finding, adds none, and is idempotent', async () => {
    const files = sample(await corpusFiles(), 150, prng(3));
    let applied = 0;
    const failures: string[] = [];
    for (const file of files) {
      const read = decodeSource(fs.readFileSync(file.path));
      if (!('text' in read)) continue;
      const r = roundTripFile(pathToFileURL(file.path).toString(), file.kind, read.text, 15);
      applied += r.fixesApplied;
      failures.push(...r.failures);
    }
    assert.deepEqual(failures.slice(0, 10), []);
    assert.ok(applied > 100, `only ${applied} fixes applied`);
  });
});
