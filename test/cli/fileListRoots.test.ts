import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The module object itself (a namespace import's bindings cannot be replaced), to count calls into it.
import fsModule from 'node:fs';
import { realFolders } from '../../server/src/workspace/safeRead';
import { scanRoots } from '../../server/src/workspace/roots';
import { scan } from '../../server/src/cli/scan';
import { createEngine } from '../../server/src/createEngine';

describe('scan of a file list: folders and roots', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-file-list-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('each folder is resolved and kept once, in the order first given, links resolved', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    fs.symlinkSync(b, path.join(tmp, 'link-to-b'));
    assert.deepEqual(realFolders([a, `${a}/`, path.join(b, '..', 'a'), path.join(tmp, 'link-to-b'), b, 'missing']), [
      a,
      b,
      path.resolve('missing'),
    ]);
  });

  it('folders resolve as fs.realpathSync resolves them, each folder above them looked at once', () => {
    const deep = path.join(tmp, 'deep', 'er');
    const siblings = Array.from({ length: 20 }, (_, i) => path.join(deep, `f${i}`));
    for (const folder of siblings) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(deep, 'file'), '');
    fs.symlinkSync(deep, path.join(tmp, 'to-deep'));
    fs.symlinkSync(path.join(tmp, 'to-deep'), path.join(tmp, 'to-to-deep'));
    fs.symlinkSync(path.join(tmp, 'loop-b'), path.join(tmp, 'loop-a'));
    fs.symlinkSync(path.join(tmp, 'loop-a'), path.join(tmp, 'loop-b'));
    const odd = [
      path.join(tmp, 'to-deep', 'f3'),
      path.join(tmp, 'to-to-deep', 'f4'),
      path.join(tmp, 'loop-a', 'x'),
      path.join(tmp, 'missing', 'x'),
      path.join(deep, 'file'),
      path.join(deep, 'file', 'below'),
    ];
    const expected = [...new Set([...siblings, ...odd].map(referenceReal))];
    const calls = { lstat: 0, realpath: 0 };
    const { lstatSync, realpathSync } = fsModule;
    Object.assign(fsModule, {
      lstatSync: (...args: Parameters<typeof fs.lstatSync>) => (calls.lstat++, lstatSync(...args)),
      realpathSync: Object.assign(
        (...args: Parameters<typeof fs.realpathSync>) => (calls.realpath++, realpathSync(...args)),
        {
          native: realpathSync.native,
        },
      ),
    });
    let sibling: string[];
    try {
      sibling = realFolders(siblings);
      assert.deepEqual(calls, { lstat: tmp.split(path.sep).length - 1 + 2 + siblings.length, realpath: 1 });
    } finally {
      Object.assign(fsModule, { lstatSync, realpathSync });
    }
    assert.deepEqual(sibling, siblings);
    assert.deepEqual(realFolders([...siblings, ...odd]), expected);
  });

  it('the repository of files in one folder is found once, and every repository is a root', () => {
    const repo = path.join(tmp, 'repo');
    const other = path.join(tmp, 'other');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'scripts'));
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, '.git'), 'gitdir: elsewhere\n');
    const files = ['a.sh', 'b.sh'].map((name) => path.join(repo, 'scripts', name));
    files.push(path.join(other, 'c.sh'));
    for (const file of files) fs.writeFileSync(file, 'echo hi\n');
    assert.deepEqual(scanRoots(files), [repo, other]);
    assert.deepEqual(scanRoots([repo, ...files]), [repo, other]);
  });

  it('a file list scans the same as its folder', async () => {
    const folder = path.join(tmp, 'project');
    fs.mkdirSync(path.join(folder, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM debian\nCOPY bin/setup.sh /setup.sh\nRUN /setup.sh\n');
    fs.writeFileSync(path.join(folder, 'bin', 'setup.sh'), '#!/bin/sh\napt-get install -y curl\n');
    fs.writeFileSync(path.join(folder, 'bin', 'deploy.sh'), '#!/bin/sh\ndocker exec web apt-get install -y curl\n');
    const engine = await createEngine();
    const byFolder = await scan(engine, { paths: [folder], threads: 1 });
    const byList = await scan(engine, {
      paths: ['Dockerfile', 'bin/setup.sh', 'bin/deploy.sh'].map((f) => path.join(folder, f)),
      threads: 1,
    });
    const findings = (outcome: typeof byFolder) =>
      outcome.files.map((f) => [
        path.relative(folder, f.path),
        f.problems.map((p) => `${p.ruleId} ${p.range.start.line}`),
      ]);
    assert.deepEqual(findings(byList), findings(byFolder));
    assert.ok(byList.files.some((f) => f.problems.length > 0));
  });
});

/** What a folder's real path was before: `fs.realpathSync`, or the folder as given when it cannot be resolved. */
function referenceReal(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
