import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FILE_KINDS } from '../../server/src/kinds';
import { cleanClone } from '../helpers/cleanClone';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  types: string[];
  pass_filenames: boolean;
}

function hooks(): Hook[] {
  return parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
}

/**
 * The real `pre-commit` (Debian's package, installed by `npm test`) trying the hook from a clean
 * clone of this tree, in a throwaway repository, as a user would before adding it to their config.
 */
function tryRepo(files: Record<string, string>, args: string[]) {
  const repo = tempTree(files);
  const home = fs.mkdtempSync(path.join(path.dirname(repo), 'pre-commit-home-'));
  const env = {
    ...process.env,
    HOME: home,
    PRE_COMMIT_HOME: path.join(home, 'cache'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'DriftGuard tests',
    GIT_AUTHOR_EMAIL: 'tests@driftguard.invalid',
    GIT_COMMITTER_NAME: 'DriftGuard tests',
    GIT_COMMITTER_EMAIL: 'tests@driftguard.invalid',
  };
  const git = (...a: string[]) => spawnSync('git', a, { cwd: repo, env, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  const which = spawnSync('pre-commit', ['--version'], { env, encoding: 'utf8' });
  assert.equal(which.status, 0, "pre-commit is missing: `npm test` installs Debian's package `pre-commit`");
  const r = spawnSync('pre-commit', ['try-repo', cleanClone(), 'driftguard', ...args], {
    cwd: repo,
    env,
    encoding: 'utf8',
  });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe('pre-commit hook (.pre-commit-hooks.yaml)', function () {
  this.timeout(120000);

  it('runs the committed bundle with the system Node, on the files passed', () => {
    const [hook] = hooks();
    assert.equal(hook!.id, 'driftguard');
    assert.equal(hook!.language, 'script');
    assert.equal(hook!.pass_filenames, true);
    const entry = path.join(REPO_ROOT, hook!.entry);
    assert.match(fs.readFileSync(entry, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node$/);
    assert.ok((fs.statSync(entry).mode & 0o100) !== 0, `${hook!.entry} is not executable`);
  });

  it('`files` matches what DriftGuard lints; files without an extension go to the shebang check', () => {
    const files = new RegExp(hooks()[0]!.files);
    const names = [
      'Dockerfile',
      'docker/Dockerfile.prod',
      'web.Dockerfile',
      'api.dockerfile',
      'Containerfile',
      'Containerfile.dev',
      'compose.yaml',
      'deploy/docker-compose.yml',
      'compose.override.yaml',
      'docker-compose-ci.yml',
      'compose-dev.yaml',
      'scripts/deploy.sh',
      'a.bash',
      'b.ksh',
      'c.zsh',
      'README.md',
      'values.yaml',
      'k8s/deploy.yml',
      'main.ts',
      'Dockerfile.d/x.txt',
      'composer.yaml',
      'script.sh.txt',
      '.github/workflows/ci.yml',
      '.github/workflows/docker-compose.yaml',
      '.github/dependabot.yml',
      'action.yml',
      'tools/lint/action.yaml',
      'my-action.yml',
      '.gitlab-ci.yml',
      'ci/build.gitlab-ci.yml',
      '.gitlab/ci/deploy.yml',
      '.gitlab/README.md',
      '.devcontainer/devcontainer.json',
      '.devcontainer/python/devcontainer.json',
      '.devcontainer.json',
      'devcontainer.json',
      '.devcontainer/a/b/devcontainer.json',
    ];
    for (const name of names) {
      const linted = FILE_KINDS.detect(name) !== undefined;
      assert.equal(
        files.test(name),
        linted,
        `${name}: DriftGuard ${linted ? 'lints' : 'skips'} it: update \`files\` in .pre-commit-hooks.yaml`,
      );
    }
    // extensionless: passed on; DriftGuard reads the shebang
    for (const name of ['bin/deploy', 'Makefile', 'scripts/run'])
      assert.ok(files.test(name) && FILE_KINDS.needsFirstLine(name), name);
    assert.ok(!files.test('scripts/run.py') && !FILE_KINDS.needsFirstLine('scripts/run.py'));
  });

  it('`pre-commit try-repo` fails on a flagged Dockerfile and names the rule', () => {
    const r = tryRepo({ Dockerfile: 'FROM node:latest\n', 'README.md': '# app\n' }, ['--files', 'Dockerfile']);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /^DriftGuard\.+Failed$/m);
    assert.match(r.output, /^Dockerfile\n {2}1:11 +warning +.*image-latest-tag$/m);
  });

  it('passes on clean files, skips files it does not lint, checks extensionless scripts by shebang', () => {
    const clean = tryRepo({ Dockerfile: 'FROM scratch\n' }, ['--files', 'Dockerfile']);
    assert.equal(clean.code, 0, clean.output);
    assert.match(clean.output, /^DriftGuard\.+Passed$/m);
    const other = tryRepo({ 'README.md': 'FROM node:latest\n' }, ['--files', 'README.md']);
    assert.equal(other.code, 0, other.output);
    assert.match(other.output, /^DriftGuard\.+\(no files to check\)Skipped$/m);
    const all = tryRepo(
      { 'bin/deploy': '#!/bin/bash\nssh web "apt-get install -y nginx"\n', NOTES: 'apt-get install -y nginx\n' },
      ['--all-files'],
    );
    assert.equal(all.code, 1, all.output);
    assert.match(all.output, /^bin\/deploy\n.*live-package-change$/m);
    assert.doesNotMatch(all.output, /NOTES/);
  });
});
