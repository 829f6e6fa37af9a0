import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

/** Scans `root` and gives, per shell script, the rule ids of its findings. */
function ruleIds(root: string, target = '.'): Record<string, string[]> {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', target], { cwd: root, encoding: 'utf8' });
  const json = JSON.parse(r.stdout) as {
    files: Array<{ path: string; kind: string; problems: Array<{ ruleId: string }> }>;
  };
  return Object.fromEntries(
    json.files
      .filter((f) => f.kind === 'shell')
      .map((f) => [
        path.relative(root, path.resolve(root, f.path)).split(path.sep).join('/'),
        f.problems.map((p) => p.ruleId),
      ]),
  );
}

const ENV = '#!/bin/sh\nDOCKER=docker\nCONF=/etc/app/app.conf\n';
const MAIN = '#!/bin/sh\n. ./env.sh\n$DOCKER commit c img\nsed -i s/a/b/ "$CONF"\n';

describe('variables of sourced files (scan)', () => {
  it('a script sees the command and path variables its sourced file sets', () => {
    const root = tempTree({
      'ops/env.sh': ENV,
      'ops/main.sh': MAIN,
      'ops/lib/common.sh': '#!/bin/sh\nrun() { echo "+ $*"; "$@"; }\n',
      'ops/deploy.sh': '#!/bin/sh\nsource "$(dirname "$0")/lib/common.sh"\nrun cp app.conf /etc/app/app.conf\n',
      'ops/own.sh': '#!/bin/sh\n. ./env.sh\nCONF=/tmp/app.conf\nsed -i s/a/b/ "$CONF"\n',
    });
    assert.deepEqual(ruleIds(root), {
      'ops/deploy.sh': ['live-config-edit'],
      'ops/env.sh': [],
      'ops/lib/common.sh': [],
      'ops/main.sh': ['container-commit', 'live-config-edit'],
      'ops/own.sh': [],
    });
  });

  it('follows what sourced files source (extension-less and dot files too), a few levels, through loops', () => {
    const root = tempTree({
      'bin/deploy.sh': '#!/bin/sh\n. "$(dirname "$0")/../lib/common.sh"\n$DOCKER commit c img\nrun cp a "$CONF"\n',
      // Sources itself and its caller: each file is read once.
      'lib/common.sh': '#!/bin/sh\n. "${BASH_SOURCE%/*}/engine"\nrun() { "$@"; }\n. "${BASH_SOURCE%/*}/common.sh"\n',
      'lib/engine': '. "${BASH_SOURCE%/*}/.paths"\n. ../bin/deploy.sh\nDOCKER=docker\n',
      'lib/.paths': 'CONF=/etc/app/app.conf\n',
      'deep/a.sh': '#!/bin/sh\n. ./b.sh\n$DOCKER commit c img\n',
      'deep/b.sh': '. ./c.sh\n',
      'deep/c.sh': '. ./d.sh\n',
      'deep/d.sh': '. ./e.sh\n',
      'deep/e.sh': '. ./f.sh\n',
      'deep/f.sh': 'DOCKER=docker\n',
    });
    const ids = ruleIds(root);
    assert.deepEqual(ids['bin/deploy.sh'], ['container-commit', 'live-config-edit']);
    // Four levels are followed (b, c, d, e): the fifth (f.sh) is not read.
    assert.deepEqual(ids['deep/a.sh'], []);
    fs.writeFileSync(path.join(root, 'deep/b.sh'), '. ./d.sh\n');
    assert.deepEqual(ruleIds(root)['deep/a.sh'], ['container-commit']);
  });

  it('a sourced FIFO, device or file over the size limit is not read (and never waited on)', () => {
    const root = tempTree({
      'main.sh': '#!/bin/sh\n. ./fifo.sh\n. ./zero.sh\n. ./huge.sh\n$DOCKER commit c img\n',
      'huge.sh': 'DOCKER=docker\n' + '#'.repeat(1024 * 1024 + 1) + '\n',
    });
    spawnSync('mkfifo', [path.join(root, 'fifo.sh')]);
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.sh'));
    assert.deepEqual(ruleIds(root)['main.sh'], []);
  });

  it('a sourced file outside the scanned folder or reached through a link is not read', () => {
    const root = tempTree({ 'outside/env.sh': ENV, 'scan/main.sh': MAIN.replace('./env.sh', '../outside/env.sh') });
    const linked = tempTree({ 'main.sh': MAIN });
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-sourced-'));
    fs.writeFileSync(path.join(elsewhere, 'env.sh'), ENV);
    fs.symlinkSync(path.join(elsewhere, 'env.sh'), path.join(linked, 'env.sh'));
    // A folder linked out of the tree, and a system file named by an absolute path.
    fs.symlinkSync(elsewhere, path.join(linked, 'lib'));
    fs.writeFileSync(path.join(linked, 'lib.sh'), '#!/bin/sh\n. ./lib/env.sh\n. /etc/profile\n$DOCKER commit c img\n');
    try {
      assert.deepEqual(ruleIds(root, 'scan'), { 'scan/main.sh': [] });
      assert.deepEqual(ruleIds(linked), { 'lib.sh': [], 'main.sh': [] });
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
