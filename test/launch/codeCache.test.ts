import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';

const CODE_CACHE = path.join(REPO_ROOT, 'out/server/src/launch/codeCache.js');

/** Launches `bundle` the way dist/cli.js does, in a new process: what it exported, and whether from the cache. */
function launch(dir: string): { fromCache: boolean; exported: Record<string, unknown> } {
  const script = `
    const { runBundle } = require(${JSON.stringify(CODE_CACHE)});
    const host = { module: { exports: {} }, require, filename: ${JSON.stringify(path.join(dir, 'launcher.js'))} };
    const fromCache = runBundle(host, ${JSON.stringify(path.join(dir, 'bundle.js'))});
    process.stdout.write(JSON.stringify({ fromCache, exported: host.module.exports }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { fromCache: boolean; exported: Record<string, unknown> };
}

const bundle = (answer: number) =>
  `#!/usr/bin/env node\nfunction answer() { return ${answer}; }\n` +
  `module.exports.answer = answer();\nmodule.exports.filename = __filename;\nmodule.exports.dirname = __dirname;\n`;

describe('launch: a bundle run from V8 code cache', () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-codecache-'));
    fs.writeFileSync(path.join(dir, 'bundle.js'), bundle(41));
    cache = path.join(dir, 'bundle.js.v8cache');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles the first time and writes the cache at exit; runs from it the next time, as the launcher', () => {
    const first = launch(dir);
    assert.equal(first.fromCache, false);
    const expected = { answer: 41, filename: path.join(dir, 'launcher.js'), dirname: dir };
    assert.deepEqual(first.exported, expected);
    const written = fs.readFileSync(cache);
    const digest = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, 'bundle.js')))
      .digest();
    assert.ok(written.subarray(0, 32).equals(digest), 'the header holds the bundle’s digest');
    assert.equal(fs.statSync(cache).mode & 0o777 & 0o022, 0);
    assert.deepEqual(launch(dir), { fromCache: true, exported: expected });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['bundle.js', 'bundle.js.v8cache'], 'no temporary file left');
  });

  it('never uses the cache of another bundle of the same length (which V8 alone would accept)', () => {
    launch(dir);
    fs.writeFileSync(path.join(dir, 'bundle.js'), bundle(42));
    assert.deepEqual(launch(dir), {
      fromCache: false,
      exported: { answer: 42, filename: path.join(dir, 'launcher.js'), dirname: dir },
    });
    assert.equal(launch(dir).fromCache, true, 'the cache was written again for the new bundle');
  });

  it('never uses a damaged cache', () => {
    launch(dir);
    const bytes = fs.readFileSync(cache);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    fs.writeFileSync(cache, bytes);
    assert.equal(launch(dir).fromCache, false);
    fs.writeFileSync(cache, bytes.subarray(0, 64));
    assert.equal(launch(dir).fromCache, false);
  });

  it('never uses a cache that group or others may write', () => {
    launch(dir);
    fs.chmodSync(cache, 0o664);
    assert.equal(launch(dir).fromCache, false);
  });

  it('never uses a cache through a link, and does not wait on a FIFO put in its place', () => {
    launch(dir);
    const elsewhere = path.join(dir, 'elsewhere.v8cache');
    fs.renameSync(cache, elsewhere);
    fs.symlinkSync(elsewhere, cache);
    const target = fs.readFileSync(elsewhere);
    assert.equal(launch(dir).fromCache, false);
    assert.ok(fs.readFileSync(elsewhere).equals(target), 'the link’s target is not written through');
    assert.ok(fs.lstatSync(cache).isFile(), 'the link is replaced by a cache of its own');
    fs.rmSync(cache);
    execFileSync('mkfifo', [cache]);
    const started = Date.now();
    assert.deepEqual(launch(dir).exported.answer, 41);
    assert.ok(Date.now() - started < 10_000, 'the start did not wait for a writer');
    assert.ok(fs.lstatSync(cache).isFile(), 'the FIFO is replaced by a cache');
  });

  it('runs the bundle when the cache cannot be written', () => {
    fs.mkdirSync(cache); // a folder where the file would go
    assert.deepEqual(launch(dir).exported.answer, 41);
    assert.equal(launch(dir).fromCache, false);
  });
});
