'use strict';
/**
 * The real-editor tiers of `npm test` (called by test/runAll.js after the build and the mocha tier):
 *   1. VS Code: the mocha suite out/test/editor/suite in code-server's real extension host; every test
 *      counts (its run() writes a JSON summary that is read back here);
 *   2. UI round: `npm run package`, then the .vsix installed into code-server and driven in chromium;
 *   3. Neovim: headless Neovim 0.7.2 with `node dist/server.js --stdio`, one test per round (a quick fix
 *      on a Dockerfile, one behind non-ASCII text, and the configuration docs/editors.md documents).
 * Provisioning (Debian packages, Node 24, code-server) runs first. A tier that cannot run counts as
 * failed, loudly; nothing is skipped. Artifacts go to test-artifacts/{vscode,ui,neovim}/.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const WORKSPACE = path.join('test', 'fixtures', 'editor-workspace');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === null ? 1 : r.status;
}

function seconds(t0) { return `${((Date.now() - t0) / 1000).toFixed(1)} s`; }

function banner(title) { console.log(`\n=== ${title} ===`); }

/** @returns {{ passed: number, failed: number, report: string }} */
function vscodeTier() {
  const t0 = Date.now();
  const resultFile = path.join(ARTIFACTS, 'vscode', 'result.json');
  fs.rmSync(path.join(ARTIFACTS, 'vscode'), { recursive: true, force: true });
  const code = run(process.execPath, [path.join(__dirname, 'runExtensionTests.js'),
    '--extensionTestsPath', path.join('out', 'test', 'editor', 'suite'),
    '--workspace', WORKSPACE,
    '--keep-logs', path.join(ARTIFACTS, 'vscode', 'logs'),
    '--env', `DRIFTGUARD_EDITOR_RESULT=${resultFile}`]);
  let summary;
  try { summary = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* the suite never finished */ }
  if (!summary) {
    console.error(`[editor] VS Code tier FAILED: no result from the extension host (exit ${code}); logs in ${path.join(ARTIFACTS, 'vscode')}`);
    return { passed: 0, failed: 1, report: `VS Code extension host: could not run (exit ${code}) in ${seconds(t0)}` };
  }
  let failed = summary.failed + summary.pending;
  if (code !== 0 && failed === 0) {
    console.error(`[editor] VS Code tier: the run exited ${code} although no test failed`);
    failed = 1;
  }
  const timing = summary.activationMs !== undefined
    ? `; activate() ${summary.activationMs} ms, loading the bundle ${summary.codeLoadMs} ms, getExtension().activate() ${summary.apiActivateMs} ms`
    : '';
  return { passed: summary.passed, failed, report: `VS Code ${summary.vscodeVersion} extension host: ${summary.passed} passed, ${failed} failed in ${seconds(t0)}${timing}` };
}

function uiTier() {
  const t0 = Date.now();
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `driftguard-${version}.vsix`);
  fs.rmSync(vsix, { force: true });
  if (run('npm', ['run', '-s', 'package']) !== 0 || !fs.existsSync(vsix)) {
    console.error('[editor] UI round FAILED: `npm run package` did not produce', vsix);
    return { passed: 0, failed: 1, report: `UI round: packaging failed in ${seconds(t0)}` };
  }
  const packaged = Date.now();
  const code = run(process.execPath, [path.join(__dirname, 'ui', 'uiRound.js'), vsix,
    '--workspace', WORKSPACE, '--file', 'web.Dockerfile',
    '--fix-title', 'Ignore image-latest-tag on this line',
    '--expect-hover', '`node:latest` uses `latest`', '--expect-problem', 'image-latest-tag',
    '--expect-disk', '# driftguard-ignore image-latest-tag\nFROM node:latest\n',
    '--out', path.join(ARTIFACTS, 'ui')]);
  const size = `${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`;
  return {
    passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1,
    report: `UI round (${path.basename(vsix)}, ${size}): ${code === 0 ? 'passed' : 'FAILED'} in ${seconds(packaged)} (+ ${((packaged - t0) / 1000).toFixed(1)} s packaging)`,
  };
}

function neovimTier() {
  const t0 = Date.now();
  const rounds = [
    ['Dockerfile', ['--expect-code', 'image-latest-tag', '--expect-token', 'latest',
      '--expect-disk', '\n\n# driftguard-ignore image-latest-tag\nFROM node:latest\n', '--expect-disk-absent', 'ignore image-untagged']],
    // non-ASCII (incl. a surrogate pair) before the token: the server's UTF-16 columns against Neovim's bytes
    ['compose.unicode.yaml', ['--expect-code', 'image-latest-tag', '--expect-token', 'latest',
      '--expect-disk', '  # driftguard-ignore image-latest-tag\n  web: {']],
  ];
  let passed = 0;
  let failed = 0;
  for (const [file, extra] of rounds) {
    const code = run(process.execPath, [path.join(__dirname, 'neovim', 'runNeovim.js'),
      '--workspace', WORKSPACE, '--file', file, '--fix-title', 'Ignore image-latest-tag on this line', ...extra,
      '--keep-log', path.join(ARTIFACTS, 'neovim', file), '--', process.execPath, path.join(ROOT, 'dist', 'server.js'), '--stdio']);
    if (code === 0) passed++; else { failed++; console.error(`[editor] Neovim round on ${file} FAILED (exit ${code})`); }
  }
  // the Neovim 0.7 configuration documented in docs/editors.md, as a user would paste it
  const doc = run(process.execPath, [path.join(__dirname, 'neovim', 'runDocsSnippet.js'), '--workspace', WORKSPACE]);
  if (doc === 0) passed++; else { failed++; console.error(`[editor] Neovim docs/editors.md snippet round FAILED (exit ${doc})`); }
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
  try {
    for (const [title, tier] of [['VS Code extension tests (code-server)', vscodeTier], ['UI round (packaged .vsix in code-server)', uiTier], ['Neovim over stdio', neovimTier]]) {
      banner(title);
      let r;
      try { r = tier(); } catch (e) {
        console.error(`[editor] ${title} could not run:`, e && e.stack || e);
        r = { passed: 0, failed: 1, report: `${title}: could not run` };
      }
      totals.passed += r.passed;
      totals.failed += r.failed;
      reports.push(r.report);
    }
  } finally {
    delete process.env.DRIFTGUARD_SKIP_PROVISION;
  }
  console.log(`\n[editor tiers]\n${reports.map((r) => `  ${r}`).join('\n')}`);
  return totals;
}

module.exports = { editorTiers };
