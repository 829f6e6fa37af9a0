/** Mocha hooks: a git server on loopback serving action-shaped fixture repositories, shared by a describe block. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitServer, type RunningGitServer } from './gitServer';
import { makeActionRepo, makeRepo, type RepoRefs } from './actionRepos';

export interface ActionServer {
  server: RunningGitServer;
  /** `acme/checkout` (the full layout) and `acme/setup` (v1.0.0 and main only). */
  checkout: RepoRefs;
  setup: RepoRefs;
}

export function useActionServer(): ActionServer {
  const holder = {} as ActionServer;
  let root = '';
  before(async function () {
    this.timeout(30_000);
    root = mkdtempSync(path.join(tmpdir(), 'driftguard-git-'));
    holder.checkout = makeActionRepo(root, 'acme/checkout');
    holder.setup = makeRepo(root, 'acme/setup', [
      { commit: 'one' },
      { tag: 'v1.0.0', annotated: true },
      { commit: 'two' },
    ]);
    holder.server = await startGitServer(root);
  });
  afterEach(() => {
    if (holder.server) holder.server.requests.length = 0;
  });
  after(async () => {
    await holder.server?.stop();
    rmSync(root, { recursive: true, force: true });
  });
  return holder;
}
