import * as assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_IDS } from '../../server/src/rules';
import { cleanNpmEnv } from '../helpers/npmEnv';
import { REPO_ROOT } from '../helpers/repo';

/**
 * The npm package as a user gets it: `npm pack` of the built tree, installed from the tarball into
 * an empty folder with no network (`--offline`), then run through its `bin`. The VSIX ships the
 * same list of files (package.json `files`, read by both npm and vsce).
 */
function run(cmd: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: cleanNpmEnv(), ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('npm package', function () {
  this.timeout(120000);
  let work: string;
  let tarball: string;
  let packed: string[];

  before(() => {
    for (const f of [
      'cli.js',
      'cli.bundle.js',
      'server.js',
      'server.bundle.js',
      'client.js',
      'tree-sitter.wasm',
      'tree-sitter-bash.wasm',
    ])
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', f)), `dist/${f} is missing: run \`npm run build\` first`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-pack-'));
    // The build ran already (npm test builds first): pack what is in dist/ without rebuilding it under other tests.
    const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
    assert.equal(r.code, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, info!.filename);
    packed = info!.files.map((f) => f.path).sort();
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('ships the bundles, grammars and rule docs, and no sources or tests', () => {
    const bundles = ['dist/cli.js', 'dist/cli.bundle.js', 'dist/server.js', 'dist/server.bundle.js'];
    for (const f of [...bundles, 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'LICENSE'])
      assert.ok(packed.includes(f), `${f} not packed`);
    for (const id of RULE_IDS) assert.ok(packed.includes(`docs/rules/${id}.md`), `docs/rules/${id}.md not packed`);
    assert.deepEqual(
      packed.filter((f) => /^(server|client\/src|test|out|node_modules)\//.test(f) || f.endsWith('.ts')),
      [],
    );
  });

  it('the VSIX holds exactly the files of the npm package (one list: package.json `files`)', () => {
    const r = run(
      process.execPath,
      [path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce'), 'ls', '--no-dependencies'],
      {
        cwd: REPO_ROOT,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), packed);
  });

  it('is publishable and has no runtime dependencies', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.equal(manifest.bin.driftguard, 'dist/cli.js');
    // install-time scripts would run (or warn) on every user's machine
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
      assert.equal(manifest.scripts[script], undefined, `scripts.${script} runs on install`);
  });

  it('installs offline into an empty folder; `driftguard` runs from there', () => {
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    const cache = path.join(work, 'npm-cache');
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball], {
      cwd: app,
    });
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /install-scripts|EBADENGINE|deprecated/);
    assert.deepEqual(
      fs.readdirSync(path.join(app, 'node_modules')).filter((f) => !f.startsWith('.')),
      ['driftguard'],
      'the package pulled in dependencies',
    );
    const bin = path.join(app, 'node_modules', '.bin', 'driftguard');
    const version = run(bin, ['--version'], { cwd: app });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(
      version.stdout.trim(),
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version,
    );

    fs.writeFileSync(path.join(app, 'Dockerfile'), 'FROM node:latest\nRUN curl -fsSL https://example.com/i.sh | sh\n');
    fs.writeFileSync(path.join(app, 'deploy.sh'), '#!/bin/sh\nssh web "apt-get install -y nginx"\n');
    const scan = run('npx', ['--offline', '--cache', cache, 'driftguard', '.', '--format', 'json'], { cwd: app });
    assert.equal(scan.code, 1, scan.stderr);
    const report = JSON.parse(scan.stdout) as { files: Array<{ path: string; problems: Array<{ ruleId: string }> }> };
    assert.deepEqual(
      report.files.map((f) => [f.path, f.problems.map((p) => p.ruleId)]),
      [
        ['deploy.sh', ['live-package-change']],
        ['Dockerfile', ['image-latest-tag', 'remote-script-exec']],
      ],
    );
  });
});
