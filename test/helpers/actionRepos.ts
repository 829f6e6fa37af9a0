/**
 * Bare repositories shaped like real GitHub actions, made with the git CLI, for the git server of
 * gitServer.ts. Commits carry fixed dates and authors, so every run makes the same SHAs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** `refs/…` name → object id, and for annotated tags the commit they peel to. */
export interface RepoRefs {
  oid: Record<string, string>;
  peeled: Record<string, string>;
  /** The commit a branch or tag name ends at (tags peeled). */
  commit(ref: string): string;
}

const ENV = {
  GIT_AUTHOR_NAME: 'ci',
  GIT_AUTHOR_EMAIL: 'ci@example.com',
  GIT_COMMITTER_NAME: 'ci',
  GIT_COMMITTER_EMAIL: 'ci@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...ENV } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** One step of a layout: a commit (with a message), a tag, or a branch at the current commit. */
export type LayoutStep =
  | { commit: string }
  | { tag: string; annotated?: boolean; target?: string }
  | { branch: string; from?: string }
  | { checkout: string };

/**
 * Makes `<root>/<owner>/<repo>.git` from steps run in a scratch clone, on branch `main`.
 * Returns its refs as the server will list them.
 */
export function makeRepo(root: string, repository: string, steps: readonly LayoutStep[]): RepoRefs {
  const work = mkdtempSync(path.join(tmpdir(), 'driftguard-action-'));
  try {
    git(work, 'init', '-q', '-b', 'main');
    let n = 0;
    for (const step of steps) {
      if ('commit' in step) {
        writeFileSync(
          path.join(work, 'action.yml'),
          `name: ${step.commit}\nruns: { using: node20, main: ${++n}.js }\n`,
        );
        git(work, 'add', 'action.yml');
        git(work, 'commit', '-q', '-m', step.commit);
      } else if ('tag' in step) {
        const target = step.target ? [step.target] : [];
        if (step.annotated)
          git(work, '-c', 'advice.nestedTag=false', 'tag', '-a', '-m', `release ${step.tag}`, step.tag, ...target);
        else git(work, 'tag', step.tag, ...target);
      } else if ('branch' in step) {
        git(work, 'branch', step.branch, ...(step.from ? [step.from] : []));
      } else {
        git(work, 'checkout', '-q', step.checkout);
      }
    }
    const bare = path.join(root, `${repository}.git`);
    mkdirSync(path.dirname(bare), { recursive: true });
    rmSync(bare, { recursive: true, force: true });
    git(root, 'clone', '-q', '--bare', work, bare);
    const oid: Record<string, string> = {};
    const peeled: Record<string, string> = {};
    const lines = git(
      bare,
      'for-each-ref',
      '--format=%(refname) %(objectname) %(*objectname)',
      'refs/heads',
      'refs/tags',
    );
    for (const line of lines.split('\n')) {
      const [name, object, peel] = line.split(' ');
      oid[name!] = object!;
      if (peel) peeled[name!] = peel;
    }
    // A tag of a tag: for-each-ref peels one level only; ask git for the commit.
    for (const name of Object.keys(oid))
      if (name.startsWith('refs/tags/')) {
        const commit = git(bare, 'rev-parse', `${name}^{commit}`);
        if (commit !== oid[name]) peeled[name] = commit;
      }
    return {
      oid,
      peeled,
      commit(ref: string): string {
        const branch = oid[`refs/heads/${ref}`];
        if (branch) return branch;
        const tag = `refs/tags/${ref}`;
        const found = peeled[tag] ?? oid[tag];
        if (!found) throw new Error(`no ref ${ref} in ${repository}`);
        return found;
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The layout real actions have, plus the cases that trip resolvers: lightweight and annotated
 * tags, a moving major tag, a branch ahead of the tags, a branch named like a version (`v3`),
 * a tag of a tag (`stable` → `v2.0.0`), a branch shadowing a tag (`v1`), a pre-release beside
 * its release, a plain-number twin of a v-tag, and a slash-named release branch.
 */
export const ACTION_LAYOUT: readonly LayoutStep[] = [
  { commit: 'v1.0.0' },
  { tag: 'v1.0.0' },
  { commit: 'v1.1.0' },
  { tag: 'v1.1.0', annotated: true },
  { tag: 'v1' },
  { branch: 'v1-maintenance' },
  { commit: 'v2.0.0' },
  { tag: 'v2.0.0-rc.1' },
  { tag: 'v2.0.0', annotated: true },
  { tag: '2.0.0' },
  { tag: 'v2.0' },
  { tag: 'v2', annotated: true },
  { tag: 'stable', annotated: true, target: 'v2.0.0' },
  { branch: 'release/v2' },
  { commit: 'main ahead' },
  { branch: 'v3' },
  { checkout: 'v1-maintenance' },
  { commit: 'v1 maintenance fix' },
  { branch: 'v1' },
  { checkout: 'main' },
];

export function makeActionRepo(root: string, repository: string): RepoRefs {
  return makeRepo(root, repository, ACTION_LAYOUT);
}
