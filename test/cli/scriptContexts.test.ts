import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');
const DIGEST = 'sha256:' + 'a'.repeat(64);
const INSTALL = '#!/bin/sh\napt-get install -y curl\n';
const EDIT = "#!/bin/sh\nsed -i 's/a/b/' /etc/app.conf\n";

/** Scans a tree and gives, per shell script, `rule: message up to its first colon` for each finding. */
function findings(files: Record<string, string>, args: string[] = []): Record<string, string[]> {
  const root = tempTree(files);
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args, '.'], { cwd: root, encoding: 'utf8' });
  const json = JSON.parse(r.stdout) as {
    files: Array<{ path: string; kind: string; problems: Array<{ ruleId: string; message: string }> }>;
  };
  return Object.fromEntries(
    json.files
      .filter((f) => f.kind === 'shell')
      .map((f) => [f.path.split(path.sep).join('/'), f.problems.map((p) => `${p.ruleId}: ${p.message.split(':')[0]}`)]),
  );
}

const atStart = 'live-package-change: “apt-get install” installs packages into the container at every start';
const onHost = 'live-package-change: “apt-get install” installs packages on the host this script runs on';
const unpinned = 'package-unpinned: curl is installed without a version, so each build may get a different one. Pin it';

describe('where scripts run (scan)', () => {
  it('a script copied into the image and not run at build runs in its containers (supervisord, helpers)', () => {
    assert.deepEqual(
      findings({
        'mail/Dockerfile':
          `FROM debian:12@${DIGEST}\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\n` +
          `COPY postfix.sh /opt/postfix.sh\nCOPY functions.sh /usr/bin/\nRUN chmod +x /opt/postfix.sh\n` +
          `CMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n`,
        'mail/postfix.sh': EDIT,
        'mail/functions.sh': INSTALL,
        'host/setup.sh': EDIT,
      }),
      {
        'host/setup.sh': ['live-config-edit: “sed” changes “/etc/app.conf” on the host this script runs on'],
        'mail/functions.sh': [atStart],
        'mail/postfix.sh': [],
      },
    );
  });

  it('ENTRYPOINT and CMD behind init wrappers and privilege droppers', () => {
    assert.deepEqual(
      findings({
        'a/Dockerfile': `FROM alpine:3@${DIGEST}\nCOPY a.sh /srv/a.sh\nCMD ["/sbin/tini", "-g", "--", "/srv/a.sh"]\n`,
        'a/a.sh': INSTALL,
        'b/Dockerfile':
          `FROM alpine:3@${DIGEST}\nCOPY b.sh /usr/local/bin/\n` + 'ENTRYPOINT ["dumb-init", "gosu", "app", "b.sh"]\n',
        'b/b.sh': INSTALL,
      }),
      { 'a/a.sh': [atStart], 'b/b.sh': [atStart] },
    );
  });

  it('a script ADDed in one stage and run in a stage built FROM it is a build script', () => {
    assert.deepEqual(
      findings({
        Dockerfile:
          `FROM debian:12@${DIGEST} AS base\nADD install-redis /tmp/install-redis\nFROM base AS release\n` +
          `RUN /tmp/install-redis\n`,
        'install-redis': INSTALL,
      }),
      { 'install-redis': [unpinned] },
    );
  });

  it('follows files a builder stage moves and COPY --from --parents brings in; the repository root as context', () => {
    assert.deepEqual(
      findings({
        'packaging/docker/Dockerfile':
          `FROM debian:12@${DIGEST} AS builder\nCOPY . /opt/src\nWORKDIR /opt/src\n` +
          `RUN mkdir -p /app/usr/sbin && mv packaging/docker/run.sh /app/usr/sbin/\nFROM debian:12@${DIGEST}\n` +
          `COPY --from=builder --parents /app/./usr/sbin/ /\nENTRYPOINT ["/usr/sbin/run.sh"]\n`,
        'packaging/docker/run.sh': INSTALL,
        'packaging/installer/install.sh': INSTALL,
      }),
      { 'packaging/docker/run.sh': [atStart], 'packaging/installer/install.sh': [onHost] },
    );
  });

  it('files copied only into a builder stage run, if at all, during the build', () => {
    assert.deepEqual(
      findings({
        Dockerfile:
          `FROM golang:1@${DIGEST} AS build\nCOPY hack/ /src/hack/\nRUN make -C /src\nFROM alpine:3@${DIGEST}\n` +
          `COPY --from=build /out/app /app\n`,
        'hack/deps.sh': INSTALL,
      }),
      { 'hack/deps.sh': [unpinned] },
    );
  });

  it('CI runners are thrown away: installs there are not live changes, ssh payloads still are', () => {
    assert.deepEqual(
      findings({
        '.github/scripts/test.sh': `${INSTALL}ssh deploy@web1 'apt-get install -y nginx'\n`,
        'ci/setup.sh': EDIT,
        'tools/ci/prepare.sh': INSTALL,
        'scripts/install.sh': INSTALL,
      }),
      {
        '.github/scripts/test.sh': [
          'live-package-change: “apt-get install” installs packages on a remote host (over ssh)',
        ],
        'ci/setup.sh': [],
        'scripts/install.sh': [onHost],
        'tools/ci/prepare.sh': [],
      },
    );
  });

  it('scripts in test folders run on test machines: installs there are not live, ssh payloads still are', () => {
    assert.deepEqual(
      findings({
        'test/tests/client/container.sh': EDIT,
        'nodeadm/test/e2e/cases/boot/run.sh': INSTALL,
        '.test/config.sh': `${INSTALL}ssh deploy@web1 'apt-get install -y nginx'\n`,
        'latest/run.sh': INSTALL,
        'testing-tools/setup.sh': INSTALL,
      }),
      {
        '.test/config.sh': ['live-package-change: “apt-get install” installs packages on a remote host (over ssh)'],
        'latest/run.sh': [onHost],
        'nodeadm/test/e2e/cases/boot/run.sh': [],
        'test/tests/client/container.sh': [],
        'testing-tools/setup.sh': [onHost],
      },
    );
  });

  it('scripts that CI steps run (workflow run:, GitLab script:) run on the runner', () => {
    assert.deepEqual(
      findings({
        '.github/workflows/test.yml':
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: ./integrations/pip.sh\n' +
          '      - run: |\n          bash tools/deps.sh\n          . "$GITHUB_WORKSPACE/tools/env.sh"\n' +
          '          ssh deploy@web1 ./tools/remote.sh\n          make setup.sh\n',
        '.gitlab-ci.yml': 'lint:\n  script:\n    - sh scripts/lint-deps.sh\n    - docker exec web ./scripts/kept.sh\n',
        '.github/actions/setup/action.yml':
          'name: setup\nruns:\n  using: composite\n  steps:\n    - run: ./tools/action-deps.sh\n      shell: bash\n',
        'integrations/pip.sh': '#!/bin/sh\nexec pip install jsonschema jinja2\n',
        'tools/deps.sh': INSTALL,
        'tools/env.sh': EDIT,
        'tools/remote.sh': INSTALL,
        'tools/action-deps.sh': INSTALL,
        'setup.sh': INSTALL,
        'scripts/lint-deps.sh': INSTALL,
        'scripts/kept.sh': INSTALL,
      }),
      {
        'integrations/pip.sh': [],
        'scripts/kept.sh': [onHost],
        'scripts/lint-deps.sh': [],
        'setup.sh': [onHost],
        'tools/action-deps.sh': [],
        'tools/deps.sh': [],
        'tools/env.sh': [],
        'tools/remote.sh': [onHost],
      },
    );
  });

  it('scripts CI steps run resolve in the step’s folder: working-directory, defaults.run, composite steps, cd', () => {
    const workflow =
      'on: push\ndefaults:\n  run:\n    working-directory: deploy\njobs:\n  a:\n    runs-on: ubuntu-latest\n' +
      '    steps:\n      - run: ./install.sh\n' +
      '      - run: ./tools/setup.sh\n        working-directory: ${{ github.workspace }}/web\n' +
      '      - run: ./prepare.sh\n        working-directory: ${{ matrix.dir }}\n' +
      '  b:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: ./api\n' +
      '    steps:\n      - run: |\n          (cd ../web && ./lint.sh)\n          ./seed.sh\n' +
      '          if [ -n "$X" ]; then cd ../web; fi\n          ./after-branch.sh\n' +
      '      - run: |\n          pushd "$GITHUB_WORKSPACE/web" && bash ./pushed.sh && popd\n          ./popped.sh\n';
    assert.deepEqual(
      findings({
        '.github/workflows/deploy.yml': workflow,
        '.github/actions/setup/action.yml':
          'name: setup\nruns:\n  using: composite\n  steps:\n    - run: ./action-deps.sh\n' +
          '      shell: bash\n      working-directory: tools\n',
        '.gitlab-ci.yml':
          'build:\n  before_script:\n    - cd services/app\n  script:\n    - ./ci.sh\n' +
          '  after_script:\n    - ./cleanup.sh\n',
        'deploy/install.sh': INSTALL,
        'install.sh': INSTALL,
        'web/tools/setup.sh': INSTALL,
        'deploy/tools/setup.sh': INSTALL,
        'prepare.sh': INSTALL,
        'deploy/prepare.sh': INSTALL,
        'web/lint.sh': INSTALL,
        'api/lint.sh': INSTALL,
        'api/seed.sh': INSTALL,
        'web/seed.sh': INSTALL,
        'api/after-branch.sh': INSTALL,
        'web/pushed.sh': INSTALL,
        'api/popped.sh': INSTALL,
        'web/popped.sh': INSTALL,
        'tools/action-deps.sh': INSTALL,
        'action-deps.sh': INSTALL,
        'services/app/ci.sh': INSTALL,
        'ci.sh': INSTALL,
        'cleanup.sh': INSTALL,
        'services/app/cleanup.sh': INSTALL,
      }),
      {
        'action-deps.sh': [onHost],
        'api/after-branch.sh': [onHost],
        'api/lint.sh': [onHost],
        'api/popped.sh': [],
        'api/seed.sh': [],
        'ci.sh': [onHost],
        'cleanup.sh': [],
        'deploy/install.sh': [],
        'deploy/prepare.sh': [onHost],
        'deploy/tools/setup.sh': [onHost],
        'install.sh': [onHost],
        'prepare.sh': [onHost],
        'services/app/ci.sh': [],
        'services/app/cleanup.sh': [onHost],
        'tools/action-deps.sh': [],
        'web/lint.sh': [],
        'web/popped.sh': [onHost],
        'web/pushed.sh': [],
        'web/seed.sh': [onHost],
        'web/tools/setup.sh': [],
      },
    );
  });

  it('a script run in a throwaway container (docker run --rm, through a mount of the working directory)', () => {
    assert.deepEqual(
      findings({
        'build.sh':
          `#!/bin/sh\ndocker run --rm -v "$(pwd)":/src -w /src debian:12@${DIGEST} ./tools/deps.sh\n` +
          `podman run --rm --volume "$PWD:/work" alpine:3@${DIGEST} sh /work/tools/apk.sh\n` +
          `docker run -d -v "$(pwd)":/src debian:12@${DIGEST} /src/tools/kept.sh\n` +
          `docker run --rm -v "$CACHE":/src debian:12@${DIGEST} /src/tools/elsewhere.sh\n` +
          `docker run --rm --volume=$PWD:/src --workdir=/src debian:12@${DIGEST} ./tools/eq-long.sh\n` +
          `docker run --rm -v=$(pwd):/src -w=/src -e "HOME=$HOME" debian:12@${DIGEST} tools/eq-short.sh\n` +
          `docker run --rm -v$PWD:/src $EXTRA debian:12@${DIGEST} /src/tools/unknown-options.sh\n`,
        'tools/deps.sh': INSTALL,
        'tools/apk.sh': INSTALL,
        'tools/eq-long.sh': INSTALL,
        'tools/eq-short.sh': INSTALL,
        'tools/unknown-options.sh': INSTALL,
        'tools/kept.sh': INSTALL,
        'tools/elsewhere.sh': INSTALL,
      }),
      {
        'build.sh': [],
        'tools/apk.sh': [],
        'tools/deps.sh': [],
        'tools/elsewhere.sh': [onHost],
        'tools/eq-long.sh': [],
        'tools/eq-short.sh': [],
        'tools/kept.sh': [onHost],
        'tools/unknown-options.sh': [onHost],
      },
    );
  });

  it('a script that writes to a CI runner (workflow commands, $GITHUB_OUTPUT) runs in a CI job', () => {
    assert.deepEqual(
      findings({
        'packaging/build-deb.sh': `#!/bin/sh\necho "::group::Installing build dependencies"\n${INSTALL}`,
        'packaging/build-rpm.sh': `#!/bin/sh\n${EDIT}if [ -n "$CI" ]; then printf '::endgroup::\\n'; fi\n`,
        'tools/release.sh': `#!/bin/sh\nsudo gem install fpm\necho "version=1" >> "$GITHUB_OUTPUT"\n`,
        'tools/notes.sh': `#!/bin/sh\n# echo "::group::Install"\n[ "$GITHUB_ACTIONS" = true ] && set -x\n${INSTALL}`,
        'tools/remote.sh': `#!/bin/sh\necho "::group::Deploy"\nssh deploy@web1 'apt-get install -y nginx'\n`,
      }),
      {
        'packaging/build-deb.sh': [],
        'packaging/build-rpm.sh': [],
        'tools/notes.sh': [onHost],
        'tools/release.sh': [],
        'tools/remote.sh': ['live-package-change: “apt-get install” installs packages on a remote host (over ssh)'],
      },
    );
  });

  it('a template a generator copies beside Dockerfiles runs where they run it, the copies not in view', () => {
    assert.deepEqual(
      findings({
        'update.sh':
          '#!/bin/sh\nset -eu\nfor variant in debian alpine; do\n  dir="mainline/$variant"\n' +
          '  cp -a entrypoint/*.sh "$dir/"\n  cp docker-entrypoint.sh "$dir/entrypoint.sh"\ndone\n',
        'entrypoint/20-envsubst.sh': `${EDIT}${INSTALL}`,
        'entrypoint/unused.sh': INSTALL,
        'docker-entrypoint.sh': INSTALL,
        'host-setup.sh': INSTALL,
        'mainline/debian/Dockerfile':
          `FROM debian:12@${DIGEST}\nCOPY 20-envsubst.sh /docker-entrypoint.d/\nCOPY entrypoint.sh /\n` +
          'ENTRYPOINT ["/entrypoint.sh"]\n',
      }),
      {
        'docker-entrypoint.sh': [atStart],
        'entrypoint/20-envsubst.sh': [atStart],
        'entrypoint/unused.sh': [onHost],
        'host-setup.sh': [onHost],
        'update.sh': [],
      },
    );
  });

  it('a template copied byte for byte beside each Dockerfile runs where its copies run', () => {
    const entrypoint = `#!/bin/sh\nset -eu\n# Renders the settings.\n${'# .\n'.repeat(80)}${EDIT}${INSTALL}`;
    const hostSetup = `#!/bin/sh\n${'# host setup\n'.repeat(30)}${EDIT}`;
    assert.deepEqual(
      findings({
        'docker-entrypoint.sh': entrypoint,
        'update.sh': '#!/bin/sh\nfor v in 1 2; do cp docker-entrypoint.sh "$v/entrypoint.sh"; done\n',
        '1/Dockerfile': `FROM php:8@${DIGEST}\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n`,
        '1/entrypoint.sh': entrypoint,
        'setup-host.sh': hostSetup,
        'tools/setup-host.sh': hostSetup,
        'short.sh': INSTALL,
        '2/Dockerfile': `FROM php:8@${DIGEST}\nCOPY short.sh /\nCMD ["/short.sh"]\n`,
        '2/short.sh': INSTALL,
      }),
      {
        '1/entrypoint.sh': [atStart],
        '2/short.sh': [atStart],
        'docker-entrypoint.sh': [atStart],
        'setup-host.sh': ['live-config-edit: “sed” changes “/etc/app.conf” on the host this script runs on'],
        'short.sh': [onHost],
        'tools/setup-host.sh': ['live-config-edit: “sed” changes “/etc/app.conf” on the host this script runs on'],
        'update.sh': [],
      },
    );
  });

  it("s6-overlay's with-contenv shebang runs inside a container", () => {
    assert.deepEqual(
      findings({
        'rootfs/etc/s6-overlay/s6-rc.d/app/run': '#!/command/with-contenv bashio\napt-get install -y curl\n',
        'rootfs/usr/bin/helper': "#!/usr/bin/with-contenv bash\nsed -i 's/a/b/' /etc/app.conf\n",
      }),
      { 'rootfs/etc/s6-overlay/s6-rc.d/app/run': [atStart], 'rootfs/usr/bin/helper': [] },
    );
  });
});
