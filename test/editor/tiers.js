'use strict';
/**
 * The real-editor tiers of `npm test` (called by test/runAll.js after the build and the mocha tier):
 *   0. one seeded registry (Debian `docker-registry` on loopback, lib/seededRegistry.js) for tiers 1 and 2,
 *      its host and digests passed to the extension host as DRIFTGUARD_TEST_REGISTRY / _DIGESTS; stopped
 *      by its own PID after the UI rounds, also when they fail;
 *   1. VS Code: the mocha suite out/test/editor/suite in code-server's real extension host; every test
 *      counts (its run() writes a JSON summary that is read back here); then out/test/editor/bypath in a
 *      second host on test/fixtures/workflow-workspace (only a workflow: the extension starts by path);
 *   2. UI rounds: `npm run package`, then the .vsix installed into code-server and driven in chromium: the
 *      ignore-comment quick fix, and pinning `nginx:latest` against the seeded registry;
 *   3. Neovim: headless Neovim 0.7.2 with `node dist/server.js --stdio`, one test per round (a quick fix
 *      on a Dockerfile, one behind non-ASCII text, and the configuration docs/editors.md documents).
 * Provisioning (Debian packages, Node 24, code-server) runs first. A tier that cannot run counts as
 * failed, loudly; nothing is skipped. Artifacts go to test-artifacts/{vscode,vscode-bypath,ui,neovim}/.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const WORKSPACE = path.join('test', 'fixtures', 'editor-workspace');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === null ? 1 : r.status;
}

function seconds(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

function banner(title) {
  console.log(`\n=== ${title} ===`);
}

/** Blocks the thread for `ms` (the tiers run synchronously; the registry lives in its own process). */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether pid runs (an exited child this process has not reaped yet is a zombie: counts as gone). */
function running(pid) {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Starts lib/seededRegistry.js (which starts and seeds `docker-registry` and holds it) and waits for
 * its { host, pid, digests }. Returns { host, digests, pid, helperPid, ms } or { error }.
 */
function startSeededRegistry() {
  const t0 = Date.now();
  const info = path.join(os.tmpdir(), `driftguard-editor-registry-${process.pid}-${Date.now()}.json`);
  const helper = spawn(process.execPath, [path.join(__dirname, 'lib', 'seededRegistry.js'), '--out', info], {
    cwd: ROOT,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30000;
  try {
    for (;;) {
      if (fs.existsSync(info)) {
        const r = JSON.parse(fs.readFileSync(info, 'utf8'));
        if (r.error) return { error: r.error, helperPid: helper.pid };
        return { ...r, helperPid: helper.pid, helper, ms: Date.now() - t0 };
      }
      if (!running(helper.pid))
        return { error: 'lib/seededRegistry.js exited before the registry was ready', helperPid: helper.pid };
      if (Date.now() > deadline) {
        try {
          process.kill(helper.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        return { error: 'the registry was not seeded within 30 s', helperPid: helper.pid };
      }
      sleep(50);
    }
  } finally {
    fs.rmSync(info, { force: true });
  }
}

/**
 * Stops the registry by its own PID (via the helper, which also removes its data), then the helper; SIGKILL after 10 s.
 */
function stopSeededRegistry(reg) {
  const pids = [reg.helperPid, reg.pid].filter((p) => Number.isInteger(p) && p > 0);
  try {
    process.kill(reg.helperPid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const deadline = Date.now() + 10000;
  while (pids.some(running) && Date.now() < deadline) sleep(50);
  for (const p of pids.filter(running)) {
    console.error(`[editor] registry process ${p} did not stop; SIGKILL`);
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (reg.helper) {
    reg.helper.stdin.destroy();
    reg.helper.unref();
  }
  return !pids.some(running);
}

/** @returns {{ passed: number, failed: number, report: string }} */
/**
 * The registry's host and digests, and the git server action refs are pinned against (the user
 * setting driftguard.github.url, and DRIFTGUARD_TEST_GIT_URL for the tests' checks), for the
 * extension host; the pin tests fail (never skip) without them.
 */
function registryEnv(registry) {
  if (!registry || registry.error) return [];
  return [
    '--env',
    `DRIFTGUARD_TEST_REGISTRY=${registry.host}`,
    '--env',
    `DRIFTGUARD_TEST_DIGESTS=${JSON.stringify(registry.digests)}`,
    '--env',
    `DRIFTGUARD_TEST_GIT_URL=${registry.git.url}`,
    '--setting',
    `driftguard.github.url=${JSON.stringify(registry.git.url)}`,
    '--env',
    `DRIFTGUARD_TEST_ACTION_COMMITS=${JSON.stringify(registry.git.commits)}`,
  ];
}

/**
 * One VS Code extension-host run: the suite compiled to out/test/editor/<suite> on a temp copy of
 * `workspace`; artifacts in test-artifacts/<artifacts>/.
 */
function vscodeTier(registry, { suite = 'suite', workspace = WORKSPACE, artifacts = 'vscode', label = '' } = {}) {
  const t0 = Date.now();
  const resultFile = path.join(ARTIFACTS, artifacts, 'result.json');
  fs.rmSync(path.join(ARTIFACTS, artifacts), { recursive: true, force: true });
  const code = run(process.execPath, [
    path.join(__dirname, 'runExtensionTests.js'),
    '--extensionTestsPath',
    path.join('out', 'test', 'editor', suite),
    '--workspace',
    workspace,
    '--keep-logs',
    path.join(ARTIFACTS, artifacts, 'logs'),
    '--env',
    `DRIFTGUARD_EDITOR_RESULT=${resultFile}`,
    ...registryEnv(registry),
  ]);
  let summary;
  try {
    summary = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {
    /* the suite never finished */
  }
  if (!summary) {
    console.error(
      `[editor] VS Code tier${label} FAILED: no result from the extension host (exit ${code}); logs in ` +
        `${path.join(ARTIFACTS, artifacts)}`,
    );
    return {
      passed: 0,
      failed: 1,
      report: `VS Code extension host${label}: could not run (exit ${code}) in ${seconds(t0)}`,
    };
  }
  let failed = summary.failed + summary.pending;
  if (code !== 0 && failed === 0) {
    console.error(`[editor] VS Code tier${label}: the run exited ${code} although no test failed`);
    failed = 1;
  }
  const timing =
    summary.activationMs !== undefined
      ? `; activate() ${summary.activationMs} ms (CPU ${summary.activationCpuMs} ms), ` +
        `loading the bundle ${summary.codeLoadMs} ms, ` +
        `getExtension().activate() ${summary.apiActivateMs} ms`
      : '';
  return {
    passed: summary.passed,
    failed,
    report:
      `VS Code ${summary.vscodeVersion} extension host${label}: ${summary.passed} passed, ${failed} failed in ` +
      `${seconds(t0)}${timing}`,
  };
}

function uiTier(registry) {
  const t0 = Date.now();
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `driftguard-${version}.vsix`);
  fs.rmSync(vsix, { force: true });
  if (run('npm', ['run', '-s', 'package']) !== 0 || !fs.existsSync(vsix)) {
    console.error('[editor] UI round FAILED: `npm run package` did not produce', vsix);
    return { passed: 0, failed: 2, report: `UI rounds: packaging failed in ${seconds(t0)}` };
  }
  const packaged = Date.now();
  const rounds = [];
  const ui = (name, args) => {
    const t = Date.now();
    const code = run(process.execPath, [
      path.join(__dirname, 'ui', 'uiRound.js'),
      vsix,
      '--workspace',
      WORKSPACE,
      ...args,
    ]);
    if (code !== 0) console.error(`[editor] UI round "${name}" FAILED (exit ${code})`);
    rounds.push({ name, ok: code === 0, s: (Date.now() - t) / 1000 });
  };
  ui('ignore comment', [
    '--file',
    'web.Dockerfile',
    '--fix-title',
    'Ignore image-latest-tag on this line',
    '--expect-hover',
    '“node:latest” uses “latest”',
    '--expect-problem-absent',
    '`',
    '--expect-problem',
    'image-latest-tag',
    '--expect-disk',
    '# driftguard-ignore image-latest-tag -- reason\nFROM node:latest\n',
    '--out',
    path.join(ARTIFACTS, 'ui'),
  ]);
  // a registry that refuses connections: the hover shows the failure with a link to look up again, the pin
  // stays in the menu as "try again", picking it says why it failed; then Scan Workspace's summary
  ui('registry unreachable', [
    '--write',
    'offline.Dockerfile=FROM 127.0.0.1:9/library/nginx:latest\n',
    '--file',
    'offline.Dockerfile',
    '--expect-hover',
    'registry lookup failed',
    '--expect-hover',
    'Look up again',
    '--expect-problem',
    'image-latest-tag',
    '--fix-title',
    'try again (last lookup failed',
    '--expect-notification',
    'unreachable',
    '--squiggles-after',
    '1',
    '--command',
    'DriftGuard: Scan Workspace',
    '--expect-command-notification',
    'findings in',
    '--out',
    path.join(ARTIFACTS, 'ui-offline'),
  ]);
  // a person pins `latest` against the seeded registry: the exact title once the lookup is cached, else the generic one
  if (!registry || registry.error) {
    console.error(`[editor] UI round "pin" FAILED: no registry (${registry ? registry.error : 'not started'})`);
    rounds.push({ name: 'pin', ok: false, s: 0 });
  } else {
    const ref = `${registry.host}/library/nginx`;
    ui('pin', [
      '--write',
      `nginx.Dockerfile=FROM ${ref}:latest\n`,
      '--file',
      'nginx.Dockerfile',
      '--fix-title',
      'Pin to 1.25.3 (same image as latest)',
      '--fix-title',
      'Pin to the exact version and digest of latest (asks the registry)',
      '--expect-hover',
      'uses “latest”',
      '--expect-hover',
      registry.digests.nginxMainline,
      '--expect-hover',
      'linux/amd64, linux/arm64/v8',
      '--expect-problem',
      'image-latest-tag',
      '--expect-disk-exact',
      `FROM ${ref}:1.25.3@${registry.digests.nginxMainline}\n`,
      '--out',
      path.join(ARTIFACTS, 'ui-pin'),
    ]);
  }
  const size = `${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`;
  const passed = rounds.filter((r) => r.ok).length;
  return {
    passed,
    failed: rounds.length - passed,
    report:
      `UI rounds (${path.basename(vsix)}, ${size}): ` +
      `${rounds.map((r) => `${r.name} ${r.ok ? 'passed' : 'FAILED'} in ${r.s.toFixed(1)} s`).join(', ')} (+ ` +
      `${((packaged - t0) / 1000).toFixed(1)} s packaging)`,
  };
}

function neovimTier() {
  const t0 = Date.now();
  const rounds = [
    [
      'Dockerfile',
      [
        '--expect-code',
        'image-latest-tag',
        '--expect-token',
        'latest',
        '--expect-disk',
        '\n\n# driftguard-ignore image-latest-tag -- reason\nFROM node:latest\n',
        '--expect-disk-absent',
        'ignore image-untagged',
      ],
    ],
    // non-ASCII (incl. a surrogate pair) before the token: the server's UTF-16 columns against Neovim's bytes
    [
      'compose.unicode.yaml',
      [
        '--expect-code',
        'image-latest-tag',
        '--expect-token',
        'latest',
        '--expect-disk',
        '  # driftguard-ignore image-latest-tag -- reason\n  web: {',
      ],
    ],
  ];
  let passed = 0;
  let failed = 0;
  for (const [file, extra] of rounds) {
    const code = run(process.execPath, [
      path.join(__dirname, 'neovim', 'runNeovim.js'),
      '--workspace',
      WORKSPACE,
      '--file',
      file,
      '--fix-title',
      'Ignore image-latest-tag on this line',
      ...extra,
      '--keep-log',
      path.join(ARTIFACTS, 'neovim', file),
      '--',
      process.execPath,
      path.join(ROOT, 'dist', 'server.js'),
      '--stdio',
    ]);
    if (code === 0) passed++;
    else {
      failed++;
      console.error(`[editor] Neovim round on ${file} FAILED (exit ${code})`);
    }
  }
  // the Neovim 0.7 configuration documented in docs/editors.md, as a user would paste it
  const doc = run(process.execPath, [path.join(__dirname, 'neovim', 'runDocsSnippet.js'), '--workspace', WORKSPACE]);
  if (doc === 0) passed++;
  else {
    failed++;
    console.error(`[editor] Neovim docs/editors.md snippet round FAILED (exit ${doc})`);
  }
  return { passed, failed, report: `Neovim (stdio): ${passed} passed, ${failed} failed in ${seconds(t0)}` };
}

/** Runs the three tiers; returns { passed, failed } to add to the totals. */
function editorTiers() {
  const totals = { passed: 0, failed: 0 };
  const reports = [];
  banner('provisioning the editors (test/editor/provision.sh)');
  const t0 = Date.now();
  if (run('bash', [path.join(__dirname, 'provision.sh')]) !== 0) {
    console.error('[editor] provisioning FAILED: the VS Code, UI and Neovim tiers cannot run');
    return { passed: 0, failed: 3 };
  }
  reports.push(`provisioning: ${seconds(t0)}`);
  process.env.DRIFTGUARD_SKIP_PROVISION = '1'; // done once above; the runners only check the files
  let registry;
  const tiers = [
    [
      'seeded registry for the VS Code tier and the UI rounds (docker-registry on loopback)',
      () => {
        registry = startSeededRegistry();
        if (registry.error) {
          console.error(`[editor] the seeded registry could not start: ${registry.error}`);
          return { passed: 0, failed: 0, report: `registry: could not start (the pin tests fail)` };
        }
        console.log(`[editor] registry ${registry.host} (pid ${registry.pid}) seeded in ${registry.ms} ms`);
        return {
          passed: 0,
          failed: 0,
          report: `registry ${registry.host}: started and seeded in ${(registry.ms / 1000).toFixed(1)} s`,
        };
      },
    ],
    ['VS Code extension tests (code-server)', () => vscodeTier(registry)],
    [
      'VS Code: a workspace holding only a workflow (activation by path)',
      () =>
        vscodeTier(undefined, {
          suite: 'bypath',
          workspace: path.join('test', 'fixtures', 'workflow-workspace'),
          artifacts: 'vscode-bypath',
          label: ' (workflow-only workspace)',
        }),
    ],
    ['UI rounds (packaged .vsix in code-server)', () => uiTier(registry)],
    ['stopping the seeded registry', () => stopRegistry()],
    ['Neovim over stdio', neovimTier],
  ];
  let stopped = false;
  function stopRegistry() {
    if (stopped || !registry) return { passed: 0, failed: 0, report: 'registry: not started' };
    stopped = true;
    const t = Date.now();
    const ok = stopSeededRegistry(registry);
    if (!ok) console.error(`[editor] the registry (pid ${registry.pid}) survived SIGKILL`);
    return { passed: 0, failed: ok ? 0 : 1, report: `registry: stopped (pid ${registry.pid}) in ${seconds(t)}` };
  }
  try {
    for (const [title, tier] of tiers) {
      banner(title);
      let r;
      try {
        r = tier();
      } catch (e) {
        console.error(`[editor] ${title} could not run:`, (e && e.stack) || e);
        r = { passed: 0, failed: 1, report: `${title}: could not run` };
      }
      totals.passed += r.passed;
      totals.failed += r.failed;
      reports.push(r.report);
    }
  } finally {
    if (!stopped && registry) stopRegistry(); // a tier threw past its guard: still stop the registry
    delete process.env.DRIFTGUARD_SKIP_PROVISION;
  }
  console.log(`\n[editor tiers]\n${reports.map((r) => `  ${r}`).join('\n')}`);
  return totals;
}

module.exports = { editorTiers };
