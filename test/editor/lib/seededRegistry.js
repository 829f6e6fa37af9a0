#!/usr/bin/env node
// One seeded registry for the real-editor tiers: Debian's `docker-registry` on a free loopback port
// (test/helpers/registryHarness startRegistry, no auth), seeded with the standard plan
// (test/helpers/registrySeed seedStandardPlan); and beside it a git smart-HTTP server (git's own
// http-backend, test/helpers/gitServer) serving the action fixture repositories of
// test/helpers/actionRepos; all compiled to out/test/helpers by `npx tsc -p .`.
//
// Usage: node test/editor/lib/seededRegistry.js [--out <file.json>]
// Once the registry answers and is seeded, writes { host, url, pid, digests, git: { url, commits } }
// to --out (atomically), or prints it. Holds both until SIGTERM/SIGINT or until stdin closes (the
// parent went away), then stops the registry by its own PID and removes the data of both.
// Standalone, it runs until Ctrl+C.
// On failure it writes { error } to --out and exits 1.
'use strict';
const fs = require('fs');
const path = require('path');

const OUT_HELPERS = path.resolve(__dirname, '..', '..', '..', 'out', 'test', 'helpers');

/** The digests the editor tests compare against (see SeededPlan in test/helpers/registrySeed.ts). */
function digestsOf(plan) {
  return {
    nginxMainline: plan.nginxMainline.index.digest, // library/nginx 1.25.3, 1.25, 1, latest, mainline
    nginxStable: plan.nginxStable.index.digest, // library/nginx 1.24.0, 1.24, stable
    nginxAlpine: plan.nginxAlpine.digest, // library/nginx 1.25.3-alpine, 1.25-alpine, alpine
    alpine: plan.alpine.digest, // library/alpine 3.19.0, 3.19, 3, latest
    busybox: plan.busybox.digest, // library/busybox 1.36.1, latest
    solo: plan.solo.digest, // library/solo latest, edge (no version tag)
  };
}

function writeAtomically(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** The action fixtures on a loopback git server; `commits` are what the editor tests expect pins to write. */
async function startActionServer() {
  const { makeActionRepo } = require(path.join(OUT_HELPERS, 'actionRepos.js'));
  const { startGitServer } = require(path.join(OUT_HELPERS, 'gitServer.js'));
  const root = fs.mkdtempSync(path.join(require('os').tmpdir(), 'driftguard-editor-git-'));
  const refs = makeActionRepo(root, 'acme/checkout');
  const commits = { v2: refs.commit('v2.0.0'), main: refs.commit('main'), v1Branch: refs.commit('v1-maintenance') };
  return { root, commits, server: await startGitServer(root) };
}

async function main() {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
  let registry;
  let git;
  let stopping;
  const stop = (code) => {
    stopping ??= (async () => {
      try {
        if (registry) await registry.stop();
        if (git) {
          await git.server.stop();
          fs.rmSync(git.root, { recursive: true, force: true });
        }
      } catch (e) {
        console.error('[seeded-registry] stop failed:', (e && e.message) || e);
      }
      process.exit(code);
    })();
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  try {
    const { startRegistry } = require(path.join(OUT_HELPERS, 'registryHarness.js'));
    const { seedStandardPlan } = require(path.join(OUT_HELPERS, 'registrySeed.js'));
    registry = await startRegistry();
    const plan = await seedStandardPlan(registry.url);
    git = await startActionServer();
    const info = {
      host: registry.host,
      url: registry.url,
      pid: registry.pid,
      digests: digestsOf(plan),
      git: { url: git.server.url, commits: git.commits },
    };
    if (out) writeAtomically(out, info);
    else console.log(JSON.stringify(info, null, 2));
    if (out) {
      // the parent holds our stdin open; when it closes (the parent exited or died), stop
      process.stdin.on('end', () => stop(0));
      process.stdin.on('error', () => stop(0));
      process.stdin.resume();
    }
  } catch (e) {
    const error = String((e && e.stack) || e);
    console.error('[seeded-registry] could not start:', error);
    if (out) {
      try {
        writeAtomically(out, { error });
      } catch {
        /* nowhere to report */
      }
    }
    stop(1);
  }
}

main();
