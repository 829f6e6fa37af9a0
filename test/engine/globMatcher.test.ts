import * as assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { globMatcher } from '../../server/src/workspace/globMatcher';

/** Globs as hosts keep them (absolute, posix) and paths checked against them, including near misses. */
const GLOBS = [
  '/ws/app/scripts/*.sh',
  '/ws/app/**/entrypoint.sh',
  '/ws/app/**',
  '/ws/app/docker/?un.sh',
  '/ws/app/[ab]in/*',
  '/ws/app/{bin,sbin}/*.sh',
  '/ws/app/!(test)/*.sh',
  '/ws/app/*.@(sh|bash)',
  '/ws/app/+(x)',
  '/ws/app/[x].sh',
  '/ws/app/a\\*b',
  '/ws/app/.hidden/*',
  '/ws/app/*',
];
const INPUTS = [
  '/ws/app/scripts/run.sh',
  '/ws/app/scripts/.run.sh',
  '/ws/app/scripts/sub/run.sh',
  '/ws/app/entrypoint.sh',
  '/ws/app/deep/er/entrypoint.sh',
  '/ws/app',
  '/ws/app/',
  '/ws/app/docker/run.sh',
  '/ws/app/docker/rrun.sh',
  '/ws/app/bin/x',
  '/ws/app/cin/x',
  '/ws/app/sbin/x.sh',
  '/ws/app/test/x.sh',
  '/ws/app/prod/x.sh',
  '/ws/app/x.bash',
  '/ws/app/xx',
  '/ws/app/[x].sh',
  '/ws/app/x.sh',
  '/ws/app/a*b',
  '/ws/app/a\\*b',
  '/ws/app/.hidden/f',
  '/ws/app/.git',
  '',
];

describe('globMatcher', () => {
  it("answers as picomatch's own matcher with { dot: true }, for every glob and path", () => {
    let matched = 0;
    for (const glob of GLOBS) {
      const ours = globMatcher(glob);
      const theirs = picomatch(glob, { dot: true });
      for (const input of [...INPUTS, glob]) {
        assert.equal(ours(input), theirs(input), `${glob} on ${JSON.stringify(input)}`);
        if (ours(input)) matched++;
      }
    }
    assert.ok(matched > GLOBS.length, `${matched} matches`);
  });
});
