import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
