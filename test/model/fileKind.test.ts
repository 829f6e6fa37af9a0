import * as assert from 'node:assert/strict';
import { detectFileKind, kindFromLanguageId } from '../../server/src/model/fileKind';

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
    ['tool', '#!/usr/bin/env python3', undefined],
    ['notes.txt', '#!/bin/sh', undefined],
    ['values.yaml', undefined, undefined],
    ['dockerfile-guide.md', undefined, undefined],
    ['mycompose.yaml', undefined, undefined],
  ];
  for (const [name, firstLine, kind] of cases) {
    it(`${name}${firstLine ? ` (${firstLine})` : ''} → ${kind ?? 'not analysed'}`, () => {
      assert.equal(detectFileKind(`/repo/sub/${name}`, firstLine), kind);
    });
  }
  it('maps editor language ids, and yaml only when the name is a Compose name', () => {
    assert.equal(kindFromLanguageId('dockerfile', '/r/anything'), 'dockerfile');
    assert.equal(kindFromLanguageId('dockercompose', '/r/x.yml'), 'compose');
    assert.equal(kindFromLanguageId('yaml', '/r/compose.yaml'), 'compose');
    assert.equal(kindFromLanguageId('yaml', '/r/values.yaml'), undefined);
    assert.equal(kindFromLanguageId('shellscript', '/r/x'), 'shell');
  });
});
