import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { repositoryRoot } from '../../server/src/workspace/roots';
import { tempTree } from '../helpers/tempTree';

describe('repository lookups of a scan', () => {
  const root = tempTree({
    'one/.git/HEAD': 'ref: refs/heads/main\n',
    'one/app/deep/er/Dockerfile': 'FROM alpine\n',
    'one/app/deep/compose.yaml': 'services: {}\n',
    'one/Dockerfile': 'FROM alpine\n',
    // A worktree or submodule: `.git` is a file.
    'one/nested/.git': 'gitdir: ../.git/modules/nested\n',
    'one/nested/x/Dockerfile': 'FROM alpine\n',
    'loose/a/Dockerfile': 'FROM alpine\n',
    'loose/b/Dockerfile': 'FROM alpine\n',
  });
  const at = (rel: string) => path.join(root, rel);

  it('answers kept from earlier lookups give the answers of lookups made afresh, in any order', () => {
    const folders = ['one/app/deep/er', 'one/app', 'one/nested/x', 'one', 'loose/b', 'one/app/deep', 'loose'].map(at);
    const afresh = folders.map((folder) => repositoryRoot(folder));
    assert.deepEqual(afresh, [at('one'), at('one'), at('one/nested'), at('one'), undefined, at('one'), undefined]);
    for (const order of [folders, [...folders].reverse()]) {
      const known = new Map<string, string | undefined>();
      const kept = new Map(order.map((folder) => [folder, repositoryRoot(folder, known)]));
      assert.deepEqual(
        folders.map((folder) => kept.get(folder)),
        afresh,
      );
    }
  });
});
