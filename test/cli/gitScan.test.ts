import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';
import { gitEnvironment, gitListing } from '../../server/src/workspace/gitFiles';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');
const DOCKERFILE = 'FROM alpine\n';

/** Runs git for the test's own set-up (a plain git, as a user would). */
function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnvironment(process.env) });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A git work tree with `files`; `tracked` are added to the index (also when .gitignore matches them). */
function repository(files: Record<string, string>, tracked: string[]): string {
  const root = tempTree(files);
  git(root, 'init', '-q', '.');
  if (tracked.length > 0) git(root, 'add', '-f', '--', ...tracked);
  return root;
}

interface Scan {
  files: string[];
  skipped: Array<{ path: string; reason: string }>;
}

function scan(root: string, env: NodeJS.ProcessEnv = process.env): Scan {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], { cwd: root, encoding: 'utf8', env });
  const json = JSON.parse(r.stdout) as { files: Array<{ path: string }>; skipped: Scan['skipped'] };
  return {
    files: json.files.map((f) => path.relative(root, path.resolve(root, f.path)).split(path.sep).join('/')).sort(),
    skipped: json.skipped.map((s) => ({ path: path.relative(root, path.resolve(root, s.path)), reason: s.reason })),
  };
}

describe('scanning a git work tree (what git lists)', () => {
  it('lints tracked files .gitignore matches and untracked files it does not, not ignored untracked ones', () => {
    const root = repository(
      {
        '.gitignore': 'generated/\nlocal.sh\n',
        'generated/Dockerfile': DOCKERFILE,
        'generated/extra/Dockerfile': DOCKERFILE,
        'app/Dockerfile': DOCKERFILE,
        'new/Dockerfile': DOCKERFILE,
        'local.sh': '#!/bin/sh\napt-get install -y curl\n',
      },
      ['.gitignore', 'generated/Dockerfile', 'app/Dockerfile'],
    );
    assert.deepEqual(scan(root), {
      files: ['app/Dockerfile', 'generated/Dockerfile', 'new/Dockerfile'],
      skipped: [],
    });
  });

  it('a hostile repository config runs nothing: the file-system monitor it names is not started', () => {
    const root = repository({ Dockerfile: DOCKERFILE }, ['Dockerfile']);
    const marker = path.join(root, '..', path.basename(root) + '.ran');
    const monitor = path.join(root, '..', path.basename(root) + '-monitor.sh');
    fs.writeFileSync(monitor, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(root, 'config', 'core.fsmonitor', monitor);
    git(root, 'config', 'core.pager', `touch '${marker}'`);
    git(root, 'config', 'core.hooksPath', path.dirname(monitor));
    try {
      // The config is live: a plain listing starts the monitor.
      git(root, 'ls-files', '--others', '--exclude-standard');
      assert.ok(fs.existsSync(marker), 'a plain git ls-files runs the configured monitor');
      fs.rmSync(marker);
      assert.deepEqual(scan(root).files, ['Dockerfile']);
      assert.equal(fs.existsSync(marker), false, 'the scan started a program the repository named');
    } finally {
      fs.rmSync(monitor, { force: true });
      fs.rmSync(marker, { force: true });
    }
  });

  it('GIT_* variables of the environment do not point git at another repository', () => {
    const other = repository({ 'elsewhere/Dockerfile': DOCKERFILE }, ['elsewhere/Dockerfile']);
    const root = repository({ 'here/Dockerfile': DOCKERFILE, '.gitignore': 'here/\n' }, ['here/Dockerfile']);
    const env = { ...process.env, GIT_DIR: path.join(other, '.git'), GIT_WORK_TREE: other };
    assert.deepEqual(scan(root, env).files, ['here/Dockerfile']);
  });

  it('a listed file reached through a linked folder is not followed out of the work tree', () => {
    const outside = tempTree({ Dockerfile: DOCKERFILE });
    const root = repository({ 'a/Dockerfile': DOCKERFILE, 'b/Dockerfile': DOCKERFILE }, [
      'a/Dockerfile',
      'b/Dockerfile',
    ]);
    fs.rmSync(path.join(root, 'a'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'a'));
    assert.deepEqual(scan(root).files, ['b/Dockerfile']);
  });

  it('a nested repository git lists as a folder is walked, honouring its .gitignore', () => {
    const root = repository({ 'top/Dockerfile': DOCKERFILE }, ['top/Dockerfile']);
    const nested = path.join(root, 'vendor', 'tool');
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(path.join(nested, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(nested, '.gitignore'), 'skip/\n');
    fs.mkdirSync(path.join(nested, 'skip'));
    fs.writeFileSync(path.join(nested, 'skip', 'Dockerfile'), DOCKERFILE);
    git(nested, 'init', '-q', '.');
    assert.deepEqual(scan(root).files, ['top/Dockerfile', 'vendor/tool/Dockerfile']);
  });

  it('falls back to the walk, saying why, when git cannot list the work tree', () => {
    const root = tempTree({
      '.git': 'gitdir: /nonexistent/driftguard-test\n',
      '.gitignore': 'ignored/\n',
      'ignored/Dockerfile': DOCKERFILE,
      'app/Dockerfile': DOCKERFILE,
    });
    const result = scan(root);
    assert.deepEqual(result.files, ['app/Dockerfile']);
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]!.path, '');
    assert.match(
      result.skipped[0]!.reason,
      /^not listed by git \(git failed: .+\): walked instead, honouring \.gitignore/,
    );
  });

  it('a folder outside any work tree is walked without a word', () => {
    const root = tempTree({
      '.gitignore': 'ignored/\n',
      'ignored/Dockerfile': DOCKERFILE,
      'app/Dockerfile': DOCKERFILE,
    });
    assert.deepEqual(scan(root), { files: ['app/Dockerfile'], skipped: [] });
  });

  describe('gitListing', () => {
    it('lists tracked and untracked-not-ignored files', async () => {
      const root = repository({ 'a.sh': 'x', 'b.sh': 'x', '.gitignore': 'b.sh\nc.sh\n', 'c.sh': 'x' }, ['b.sh']);
      const listing = await gitListing(root);
      assert.equal(listing.kind, 'listed');
      assert.deepEqual(listing.kind === 'listed' && [...listing.paths].sort(), ['.gitignore', 'a.sh', 'b.sh']);
    });

    it('gives the reason when git is missing, answers too much, or does not answer', async () => {
      const root = repository({ 'a.sh': 'x', 'b.sh': 'x' }, ['a.sh', 'b.sh']);
      assert.deepEqual(await gitListing(root, { git: path.join(root, 'no-such-git') }), {
        kind: 'failed',
        reason: 'git is not installed',
      });
      assert.deepEqual(await gitListing(root, { maxBytes: 4 }), {
        kind: 'failed',
        reason: 'git listed more than 4 bytes',
      });
      const stalling = path.join(root, 'stalling-git');
      fs.writeFileSync(stalling, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
      assert.deepEqual(await gitListing(root, { git: stalling, timeoutMs: 100 }), {
        kind: 'failed',
        reason: 'git did not answer within 0.1 s',
      });
    });

    it('says nothing of a folder outside any work tree', async () => {
      assert.deepEqual(await gitListing(tempTree({ 'a.sh': 'x' })), { kind: 'none' });
    });
  });
});
