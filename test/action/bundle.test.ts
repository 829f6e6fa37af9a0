import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleAction } = require(path.join(REPO_ROOT, 'esbuild.js')) as {
  bundleAction: (outDir: string) => Promise<void>;
};

const REGENERATE = 'run `npm run bundle:action` and commit action/';

/** Each file of a folder: its bytes' length, whether it is executable, and the bytes. */
function contents(dir: string): Map<string, { executable: boolean; bytes: Buffer }> {
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => {
        const file = path.join(dir, name);
        return [name, { executable: (fs.statSync(file).mode & 0o100) !== 0, bytes: fs.readFileSync(file) }];
      }),
  );
}

describe('committed action bundle (action/)', function () {
  this.timeout(120000);

  it('is what the sources build today', async () => {
    const committed = path.join(REPO_ROOT, 'action');
    assert.ok(fs.existsSync(committed), `action/ is missing: ${REGENERATE}`);
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-action-'));
    try {
      await bundleAction(fresh);
      const want = contents(fresh);
      const have = contents(committed);
      assert.deepEqual([...have.keys()], [...want.keys()], `action/ holds other files than a build: ${REGENERATE}`);
      for (const [name, file] of want) {
        const mine = have.get(name)!;
        assert.ok(mine.bytes.equals(file.bytes), `action/${name} is stale (the sources have changed): ${REGENERATE}`);
        assert.equal(mine.executable, file.executable, `action/${name}: wrong file mode: ${REGENERATE}`);
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('builds the same bytes twice (no timestamps, no absolute paths)', async () => {
    const [a, b] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-action-')));
    try {
      await bundleAction(a!);
      await bundleAction(b!);
      const first = contents(a!);
      for (const [name, file] of contents(b!)) assert.ok(first.get(name)?.bytes.equals(file.bytes), name);
      const js = fs.readFileSync(path.join(a!, 'driftguard'), 'utf8');
      assert.ok(!js.includes(REPO_ROOT), 'the bundle names the checkout folder');
      assert.ok(!js.includes(os.tmpdir() + path.sep + 'driftguard-action-'), 'the bundle names its output folder');
      // One non-ASCII character (a comment's arrow) makes V8 hold the whole source as two-byte text.
      const at = js.search(/[\u0080-\uffff]/);
      assert.equal(at, -1, `non-ASCII in the bundle: ${js.slice(Math.max(0, at - 60), at + 20)}`);
    } finally {
      for (const d of [a!, b!]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
