import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../helpers/pinCli';
import { tempTree } from '../helpers/tempTree';
import { useSeededRegistry } from '../helpers/registryFixture';
import { useActionServer } from '../helpers/actionServer';
import { startGitServer } from '../helpers/gitServer';

describe('driftguard pin on CI and dev-environment files (real registry, real git server)', function () {
  this.timeout(60_000);
  const seeded = useSeededRegistry();
  const git = useActionServer();

  it('pins actions and every image form of the new kinds; idempotent', async () => {
    const host = seeded.registry.host;
    const alpine = seeded.plan.alpine.digest;
    const nginx = seeded.plan.nginxMainline.index.digest;
    const busybox = seeded.plan.busybox.digest;
    const v2 = git.checkout.commit('v2.0.0');
    const root = tempTree({
      '.github/workflows/ci.yml':
        `on: push\n` +
        `jobs:\n` +
        `  test:\n` +
        `    runs-on: ubuntu-latest\n` +
        `    container: ${host}/library/alpine:3.19\n` +
        `    services:\n` +
        `      web:\n` +
        `        image: "${host}/library/nginx"\n` +
        `    steps:\n` +
        `      - uses: acme/checkout@v2 # v1.0.0\n` +
        `      - uses: docker://${host}/library/busybox:latest\n`,
      '.gitlab-ci.yml':
        `variables:\n` +
        `  IMAGE: ${host}/library/alpine:3.19\n` +
        `build:\n` +
        `  image: $IMAGE\n` +
        `  services:\n` +
        `    - name: ${host}/library/nginx:latest\n` +
        `  script: make\n`,
      '.devcontainer/devcontainer.json':
        `{\n` +
        `  // base image\n` +
        `  "image": "${host}/library/nginx:1.25",\n` +
        `  "features": {\n` +
        `    "${host}/library/busybox:1.36.1": {},\n` +
        `  },\n` +
        `}\n`,
      'action.yml': `runs:\n  using: composite\n  steps:\n    - uses: acme/setup@main\n`,
    });
    const env = { GITHUB_SERVER_URL: git.server.url };
    const first = await cli(['pin', '.'], root, env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
    assert.equal(
      read('.github/workflows/ci.yml'),

      `on: push\n` +
        `jobs:\n` +
        `  test:\n` +
        `    runs-on: ubuntu-latest\n` +
        `    container: ${host}/library/alpine:3.19@${alpine}\n` +
        `    services:\n` +
        `      web:\n` +
        `        image: "${host}/library/nginx:1.25.3@${nginx}"\n` +
        `    steps:\n` +
        `      - uses: acme/checkout@${v2} # v2.0.0\n` +
        `      - uses: docker://${host}/library/busybox:1.36.1@${busybox}\n`,
    );
    assert.equal(
      read('.gitlab-ci.yml'),

      `variables:\n` +
        `  IMAGE: ${host}/library/alpine:3.19@${alpine}\n` +
        `build:\n` +
        `  image: $IMAGE\n` +
        `  services:\n` +
        `    - name: ${host}/library/nginx:1.25.3@${nginx}\n` +
        `  script: make\n`,
    );
    // Dev container features take a digest alone: the dev containers CLI reads no tag beside it.
    assert.equal(
      read('.devcontainer/devcontainer.json'),

      `{\n` +
        `  // base image\n` +
        `  "image": "${host}/library/nginx:1.25@${nginx}",\n` +
        `  "features": {\n` +
        `    "${host}/library/busybox@${busybox}": {},\n` +
        `  },\n` +
        `}\n`,
    );
    assert.equal(
      read('action.yml'),
      `runs:\n  using: composite\n  steps:\n    - uses: acme/setup@${git.setup.commit('main')} # main\n`,
    );
    assert.match(first.stdout, /pinned 9 references in 4 files/);
    assert.match(
      first.stdout,
      new RegExp(`\\.github/workflows/ci\\.yml:10: acme/checkout@v2 → acme/checkout@${v2} # v2\\.0\\.0`),
    );
    const second = await cli(['pin', '.'], root, env);
    assert.equal(second.code, 0, second.stdout);
    assert.match(second.stdout, /pinned 0 references in 0 files/);
  });

  it('sends the token from GH_TOKEN to GITHUB_SERVER_URL for a private repository', async () => {
    const privateServer = await startGitServer(git.server.root, { privateRepos: { 'acme/setup': 'tok' } });
    try {
      const root = tempTree({
        '.github/workflows/a.yml': 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@v1.0.0\n',
      });
      const denied = await cli(['pin', '.'], root, { GITHUB_SERVER_URL: privateServer.url });
      assert.equal(denied.code, 1);
      assert.match(denied.stdout, /acme\/setup@v1\.0\.0: not pinned: .*set GITHUB_TOKEN or GH_TOKEN/);
      const allowed = await cli(['pin', '.'], root, { GITHUB_SERVER_URL: privateServer.url, GH_TOKEN: 'tok' });
      assert.equal(allowed.code, 0, allowed.stdout);
      assert.match(allowed.stdout, /pinned 1 reference in 1 file/);
    } finally {
      await privateServer.stop();
    }
  });

  it('--github-url, the user’s flag, names the git server over GITHUB_SERVER_URL', async () => {
    const root = tempTree({
      '.github/workflows/a.yml': 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@v1.0.0\n',
    });
    const result = await cli(['pin', '--github-url', git.server.url, '.'], root, {
      GITHUB_SERVER_URL: 'http://github.example.com',
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /pinned 1 reference in 1 file/);
    const unpinned = tempTree({
      '.github/workflows/a.yml': 'jobs:\n  a:\n    steps:\n      - uses: acme/setup@v1.0.0\n',
    });
    // Refused before anything is read or sent: a usage error, the file untouched.
    const refused = await cli(['pin', '--github-url', 'http://github.example.com', '.'], unpinned, {
      GITHUB_SERVER_URL: git.server.url,
    });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--github-url: refusing http:\/\/github\.example\.com/);
    assert.match(fs.readFileSync(path.join(unpinned, '.github/workflows/a.yml'), 'utf8'), /@v1\.0\.0\n/);
  });

  it('refuses a GITHUB_SERVER_URL over plain HTTP to another host, and pins the images all the same', async () => {
    const host = seeded.registry.host;
    const root = tempTree({
      '.github/workflows/a.yml':
        `jobs:\n` +
        `  a:\n` +
        `    container: ${host}/library/alpine:3.19\n` +
        `    steps:\n` +
        `      - uses: acme/setup@v1.0.0\n`,
    });
    const result = await cli(['pin', '.'], root, { GITHUB_SERVER_URL: 'http://github.example.com' });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /acme\/setup@v1\.0\.0: not pinned: GITHUB_SERVER_URL: refusing http:\/\/github\.example\.com/,
    );
    assert.match(result.stdout, /pinned 1 reference in 1 file, 1 not pinned \(reasons above\)/);
  });
});
