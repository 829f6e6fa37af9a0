import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { manifestBody, sha256Of, startFakeRegistry } from '../helpers/fakeRegistry';
import type { FrontServer } from '../helpers/registryDoubles';
import { tempTree } from '../helpers/tempTree';

const NOBODY = 65534;

/** `pin` and `--output` never lose or corrupt a file, and say what they did not do. */
describe('pin and --output keep files whole', function () {
  this.timeout(60_000);
  const body = manifestBody('app 1');
  let registry: FrontServer;
  /** Runs once when the registry is first asked, while `pin` waits for the answer. */
  let duringLookup: (() => void) | undefined;
  before(async () => {
    registry = await startFakeRegistry({
      repos: { app: { '1': body } },
      handle: () => {
        duringLookup?.();
        duringLookup = undefined;
        return false;
      },
    });
  });
  after(async () => {
    await registry.stop();
  });
  const from = () => `FROM ${registry.host}/app:1\n`;
  const pinned = () => `FROM ${registry.host}/app:1@${sha256Of(body)}\n`;
  const tmpFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('leaves a file edited while pinning untouched, says so, pins the others, and exits 1 (item 11)', async () => {
    const root = tempTree({ 'a/Dockerfile': from(), 'b/Dockerfile': from() });
    const edited = path.join(root, 'a/Dockerfile');
    duringLookup = () => fs.appendFileSync(edited, 'RUN echo added meanwhile\n');
    const r = await runCli(['pin', 'a', 'b'], { cwd: root });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(edited, 'utf8'), `${from()}RUN echo added meanwhile\n`);
    assert.match(r.stdout, /a\/Dockerfile: not written: changed while pinning/);
    assert.equal(fs.readFileSync(path.join(root, 'b/Dockerfile'), 'utf8'), pinned());
    assert.doesNotMatch(r.stdout, /a\/Dockerfile:1: /, 'a change reported as done');
  });

  it('pins the file a link names and keeps the link; hard links stay one file (item 12)', async () => {
    const root = tempTree({ 'real/Dockerfile': from(), 'other/Dockerfile.base': from() });
    fs.mkdirSync(path.join(root, 'linked'));
    fs.symlinkSync(path.join(root, 'real/Dockerfile'), path.join(root, 'linked/Dockerfile'));
    fs.mkdirSync(path.join(root, 'hard'));
    fs.linkSync(path.join(root, 'other/Dockerfile.base'), path.join(root, 'hard/Dockerfile'));
    // A link named on the command line (the walk itself does not follow links).
    const r = await runCli(['pin', 'linked/Dockerfile', 'hard'], { cwd: root });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(fs.lstatSync(path.join(root, 'linked/Dockerfile')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(root, 'real/Dockerfile'), 'utf8'), pinned());
    assert.equal(fs.readFileSync(path.join(root, 'other/Dockerfile.base'), 'utf8'), pinned());
    assert.equal(fs.statSync(path.join(root, 'hard/Dockerfile')).nlink, 2);
  });

  it('keeps mode and owner; leaves a read-only file untouched with a warning and exit 1 (item 13)', async () => {
    const root = tempTree({ 'exec/Dockerfile': from(), 'ro/Dockerfile': from() });
    for (const dir of [root, path.join(root, 'exec'), path.join(root, 'ro')]) {
      fs.chmodSync(dir, 0o777);
    }
    fs.chmodSync(path.join(root, 'exec/Dockerfile'), 0o755);
    fs.chownSync(path.join(root, 'exec/Dockerfile'), NOBODY, NOBODY);
    fs.chmodSync(path.join(root, 'ro/Dockerfile'), 0o444);
    fs.chownSync(path.join(root, 'ro/Dockerfile'), NOBODY, NOBODY);
    const r = await runCli(['pin', 'exec', 'ro'], { cwd: root, asUser: NOBODY });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const exec = fs.statSync(path.join(root, 'exec/Dockerfile'));
    assert.equal(exec.mode & 0o7777, 0o755);
    assert.equal(exec.uid, NOBODY);
    assert.equal(fs.readFileSync(path.join(root, 'exec/Dockerfile'), 'utf8'), pinned());
    assert.equal(fs.readFileSync(path.join(root, 'ro/Dockerfile'), 'utf8'), from());
    assert.match(r.stdout, /ro\/Dockerfile: not written: read-only/);
  });

  it('a folder it may not write in: one line, the other files pinned, no temp file, exit 1 (item 14)', async () => {
    const root = tempTree({ 'locked/Dockerfile': from(), 'open/Dockerfile': from() });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, 'locked'), 0o755);
    fs.chmodSync(path.join(root, 'locked/Dockerfile'), 0o644);
    fs.chownSync(path.join(root, 'locked/Dockerfile'), NOBODY, NOBODY);
    fs.chmodSync(path.join(root, 'open'), 0o777);
    fs.chmodSync(path.join(root, 'open/Dockerfile'), 0o666);
    const r = await runCli(['pin', 'locked', 'open'], { cwd: root, asUser: NOBODY });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'a stack trace');
    assert.match(r.stdout, /locked\/Dockerfile: not written: cannot write in locked: EACCES/);
    assert.doesNotMatch(r.stdout, /locked\/Dockerfile:1: /);
    assert.equal(fs.readFileSync(path.join(root, 'locked/Dockerfile'), 'utf8'), from());
    assert.equal(fs.readFileSync(path.join(root, 'open/Dockerfile'), 'utf8'), pinned());
    assert.deepEqual([...tmpFiles(path.join(root, 'locked')), ...tmpFiles(path.join(root, 'open'))], []);
  });

  it('--output into a missing folder or onto a folder: one line, exit 2, no temp file (item 14)', async () => {
    const root = tempTree({ Dockerfile: 'FROM alpine:3\n' });
    fs.mkdirSync(path.join(root, 'folder'));
    for (const target of ['missing/report.json', 'folder']) {
      const r = await runCli(['--format', 'json', '--output', target, '.'], { cwd: root });
      assert.equal(r.code, 2, `${target}: ${r.stderr}`);
      assert.match(r.stderr, /^driftguard: report not written to /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.deepEqual(tmpFiles(root), []);
    }
  });

  it('--output through a link writes the file it names and keeps the link (item 12)', async () => {
    const root = tempTree({ Dockerfile: 'FROM alpine:3\n', 'reports/real.json': '' });
    fs.symlinkSync(path.join(root, 'reports/real.json'), path.join(root, 'report.json'));
    const r = await runCli(['--format', 'json', '--output', 'report.json', '.'], { cwd: root });
    assert.notEqual(r.code, 2, r.stderr);
    assert.ok(fs.lstatSync(path.join(root, 'report.json')).isSymbolicLink());
    assert.ok(JSON.parse(fs.readFileSync(path.join(root, 'reports/real.json'), 'utf8')));
  });
});
