#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every tier, in order — format and lint checks, build, unit/rule/engine/CLI/protocol/registry tests
 * (mocha), then the real-editor tiers (test/editor/tiers.js: VS Code extension host, UI round with the
 * packaged .vsix, Neovim). Installs the Debian packages the tiers need when they are missing
 * (apt-get update first) and the npm tools of test/provision/tools.js. A tier that cannot run
 * fails; none is skipped. Ends with one line "N passed, N failed".
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// pre-commit: the hook's test runs the real `pre-commit try-repo`.
// xz-utils: the package index tests compress real-format indices with xz.
const DEBIAN_PACKAGES = ['docker-registry', 'openssl', 'apache2-utils', 'git', 'pre-commit', 'xz-utils'];
const totals = { passed: 0, failed: 0 };

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  return r.status === null ? 1 : r.status;
}

function ensureDebianPackages(packages) {
  const missing = packages.filter(
    (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout !== 'install ok installed',
  );
  if (missing.length === 0) return;
  console.log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    run('apt-get', ['update', '-qq'], { env }) !== 0 ||
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env }) !== 0
  ) {
    throw new Error(`could not install ${missing.join(' ')}`);
  }
}

async function mochaTier() {
  const mochaModule = require('mocha');
  const Mocha = mochaModule.Mocha ?? mochaModule.default ?? mochaModule;
  const config = require('../.mocharc.json');
  const mocha = new Mocha({ timeout: config.timeout, reporter: process.env.CI ? 'spec' : 'dot' });
  const { globSync } = require('glob');
  const files = globSync(config.spec, { cwd: ROOT, ignore: config.ignore, absolute: true }).sort();
  if (files.length === 0) throw new Error('no compiled tests found: did the build run?');
  files.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() =>
      resolve({ passed: runner.stats.passes, failed: runner.stats.failures + runner.stats.pending }),
    );
  });
}

async function main() {
  ensureDebianPackages(DEBIAN_PACKAGES);
  // npm tools the mocha tier runs (Node 24 for the GitHub Action, the SARIF validator): test/provision/tools.js.
  const { TOOLS, ensureTool } = require('./provision/tools');
  for (const name of Object.keys(TOOLS)) ensureTool(name);
  // Static checks: the tree is formatted (Prettier, .prettierrc.json) and lint-clean (eslint.config.mjs).
  for (const check of ['format:check', 'lint']) {
    if (run('npm', ['run', '-s', check]) === 0) totals.passed++;
    else totals.failed++;
  }
  if (run('npm', ['run', '-s', 'build']) !== 0) {
    totals.failed++;
    return;
  }
  const unit = await mochaTier();
  totals.passed += unit.passed;
  totals.failed += unit.failed;
  // Real editors: VS Code extension host, UI round with the packaged .vsix, Neovim over stdio.
  const editors = require('./editor/tiers').editorTiers();
  totals.passed += editors.passed;
  totals.failed += editors.failed;
}

main().then(
  () => {
    console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
    process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
  },
  (error) => {
    console.error(error && error.stack ? error.stack : error);
    console.log(`\n${totals.passed} passed, ${totals.failed + 1} failed`);
    process.exit(1);
  },
);
