import * as assert from 'node:assert/strict';
import { FILE_KINDS } from '../../server/src/kinds';

describe('file kinds', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['Dockerfile', undefined, 'dockerfile'],
    ['Dockerfile.dev', undefined, 'dockerfile'],
    ['api.Dockerfile', undefined, 'dockerfile'],
    ['api.dockerfile', undefined, 'dockerfile'],
    ['Containerfile', undefined, 'dockerfile'],
    ['Containerfile.build', undefined, 'dockerfile'],
    ['compose.yaml', undefined, 'compose'],
    ['compose.yml', undefined, 'compose'],
    ['docker-compose.yml', undefined, 'compose'],
    ['docker-compose.override.yaml', undefined, 'compose'],
    ['compose.prod.yml', undefined, 'compose'],
    ['docker-compose-ci.yml', undefined, 'compose'],
    ['deploy.sh', undefined, 'shell'],
    ['x.bash', undefined, 'shell'],
    ['x.zsh', undefined, 'shell'],
    ['x.ksh', undefined, 'shell'],
    ['entrypoint', '#!/bin/sh', 'shell'],
    ['entrypoint', '#!/usr/bin/env bash', 'shell'],
    ['run', '#!/usr/bin/env -S bash -eu', 'shell'],
    ['run', '#!/usr/bin/with-contenv bash', 'shell'],
    ['finish', '#!/command/with-contenv bashio', 'shell'],
    ['up', '#!/command/with-contenv sh', 'shell'],
    ['init', '#!/bin/ash', 'shell'],
    ['up', '#!/command/execlineb -P', undefined],
    ['install-service.sh.in', undefined, 'shell'],
    ['notes.in', undefined, undefined],
    ['tool', '#!/usr/bin/env python3', undefined],
    ['tool', '#!/bin/shellcheck-wrapper', undefined],
    ['notes.txt', '#!/bin/sh', undefined],
    ['values.yaml', undefined, undefined],
    ['dockerfile-guide.md', undefined, undefined],
    ['mycompose.yaml', undefined, undefined],
    // The stronger claim wins: a file name pattern over an extension.
    ['Dockerfile.sh', undefined, 'dockerfile'],
    ['compose.sh', undefined, 'shell'],
    ['entrypoint.py', '#!/bin/sh', undefined],
    // CI and dev-environment files: the folders decide where the name alone cannot.
    ['.github/workflows/ci.yml', undefined, 'workflow'],
    ['.github/workflows/release.yaml', undefined, 'workflow'],
    ['.github/workflows/docker-compose.yml', undefined, 'workflow'],
    ['.github/workflows/scripts/x.yml', undefined, undefined],
    ['.github/workflows/build.sh', undefined, 'shell'],
    ['.github/dependabot.yml', undefined, undefined],
    ['workflows/ci.yml', undefined, undefined],
    ['action.yml', undefined, 'action'],
    ['.github/actions/setup/action.yaml', undefined, 'action'],
    ['myaction.yml', undefined, undefined],
    ['.gitlab-ci.yml', undefined, 'gitlab-ci'],
    ['.gitlab-ci.yaml', undefined, 'gitlab-ci'],
    ['deploy.gitlab-ci.yml', undefined, 'gitlab-ci'],
    ['.gitlab/ci/build.yml', undefined, 'gitlab-ci'],
    ['.gitlab/ci/jobs/docker-compose.yml', undefined, 'gitlab-ci'],
    ['.gitlab/issue_templates/x.yml', undefined, undefined],
    ['gitlab-ci.md', undefined, undefined],
    ['.devcontainer/devcontainer.json', undefined, 'devcontainer'],
    ['.devcontainer/python/devcontainer.json', undefined, 'devcontainer'],
    ['.devcontainer/a/b/devcontainer.json', undefined, undefined],
    ['.devcontainer.json', undefined, 'devcontainer'],
    ['devcontainer.json', undefined, undefined],
    ['.devcontainer/devcontainer-feature.json', undefined, undefined],
  ];
  for (const [name, firstLine, kind] of cases) {
    it(`${name}${firstLine ? ` (${firstLine})` : ''} → ${kind ?? 'not analysed'}`, () => {
      assert.equal(FILE_KINDS.detect(`/repo/sub/${name}`, firstLine), kind);
      assert.equal(FILE_KINDS.detect(`C:\\repo\\sub\\${name}`, firstLine), kind, 'Windows separators');
    });
  }
  it('maps editor language ids, and yaml only when the name is a Compose name', () => {
    assert.equal(FILE_KINDS.detectInEditor('dockerfile', '/r/anything'), 'dockerfile');
    assert.equal(FILE_KINDS.detectInEditor('dockercompose', '/r/x.yml'), 'compose');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/compose.yaml'), 'compose');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/values.yaml'), undefined);
    assert.equal(FILE_KINDS.detectInEditor('shellscript', '/r/x'), 'shell');
  });
  it("maps the CI language ids: the Actions extension's own id, yaml and jsonc by path", () => {
    assert.equal(FILE_KINDS.detectInEditor('github-actions-workflow', '/r/.github/workflows/ci.yml'), 'workflow');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/.github/workflows/ci.yml'), 'workflow');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/.github/workflows/compose.yaml'), 'workflow');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/action.yml'), 'action');
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/.gitlab-ci.yml'), 'gitlab-ci');
    assert.equal(FILE_KINDS.detectInEditor('jsonc', '/r/.devcontainer/devcontainer.json'), 'devcontainer');
    assert.equal(FILE_KINDS.detectInEditor('json', '/r/.devcontainer.json'), 'devcontainer');
    assert.equal(FILE_KINDS.detectInEditor('jsonc', '/r/tsconfig.json'), undefined);
    assert.equal(FILE_KINDS.detectInEditor('yaml', '/r/.devcontainer/devcontainer.json'), undefined);
    assert.equal(FILE_KINDS.languageId('gitlab-ci'), 'yaml');
    assert.equal(FILE_KINDS.languageId('devcontainer'), 'jsonc');
  });
});

describe('first lines', () => {
  it('are read only for files no kind claims by path, and only where a first line may decide', () => {
    assert.equal(FILE_KINDS.needsFirstLine('/r/entrypoint'), true);
    assert.equal(FILE_KINDS.needsFirstLine('/r/Dockerfile'), false);
    assert.equal(FILE_KINDS.needsFirstLine('/r/deploy.sh'), false);
    assert.equal(FILE_KINDS.needsFirstLine('/r/notes.txt'), false);
  });
});
