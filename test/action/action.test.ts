import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cleanClone } from '../helpers/cleanClone';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toolBin } = require(path.join(REPO_ROOT, 'test', 'provision', 'tools.js')) as {
  toolBin: (name: string) => string;
};

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

/**
 * The action run the way the GitHub Actions runner runs it: from a clean clone of the repository
 * (no install step, nothing built), `node <runs.main>` with Node 24 (`runs.using: node24`) in the
 * workspace, inputs as INPUT_<NAME> variables holding action.yml's defaults unless the step sets
 * them (`INPUT_FAIL-ON`: the dash stays), outputs and the job summary in the files named by
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and no other environment.
 */
function runAction(workspace: string, withInputs: Record<string, string> = {}) {
  const node24 = toolBin('node24');
  assert.ok(
    fs.existsSync(node24),
    `${node24} is missing: \`npm test\` installs it, or run \`node test/provision/tools.js node24\``,
  );
  const checkout = cleanClone();
  const action = parse(fs.readFileSync(path.join(checkout, 'action.yml'), 'utf8')) as ActionYml;
  const runnerFiles = fs.mkdtempSync(path.join(path.dirname(workspace), 'runner-'));
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: runnerFiles,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(runnerFiles, 'output'),
    GITHUB_STEP_SUMMARY: path.join(runnerFiles, 'summary'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  };
  for (const [name, spec] of Object.entries(action.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = withInputs[name] ?? spec.default ?? '';
  for (const name of Object.keys(withInputs)) assert.ok(name in action.inputs, `action.yml has no input ${name}`);
  for (const f of [env.GITHUB_OUTPUT!, env.GITHUB_STEP_SUMMARY!]) fs.writeFileSync(f, '');
  const r = spawnSync(node24, [path.join(checkout, action.runs.main)], { cwd: workspace, env, encoding: 'utf8' });
  return {
    action,
    code: r.status,
    log: r.stdout + r.stderr,
    outputs: parseOutputs(fs.readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
    summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
  };
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      assert.ok(end > i, `unterminated output ${heredoc[1]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

const REPOSITORY = {
  Dockerfile: 'FROM node:latest\nRUN curl -fsSL https://get.example.com/i.sh | sh\nFROM node:20\n',
  'deploy/compose.yaml': 'services:\n  web:\n    image: nginx\n',
  'ops/hotfix.sh': '#!/bin/sh\nssh web "apt-get install -y curl"\n',
  'ops/clean.sh': '#!/bin/sh\necho nothing to see\n',
};

function sarifResults(file: string): Array<{ ruleId: string; level: string }> {
  return JSON.parse(fs.readFileSync(file, 'utf8')).runs[0].results;
}

describe('GitHub Action (action.yml, run as the runner runs it)', function () {
  this.timeout(120000);

  it('is a node24 JavaScript action whose entry is committed', () => {
    const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
    assert.equal(action.runs.using, 'node24');
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'fail-on', 'config', 'sarif-file']);
    assert.deepEqual(Object.keys(action.outputs), ['sarif-file', 'findings']);
    assert.equal(action.inputs['fail-on']!.default, 'warning');
    assert.equal(action.inputs['sarif-file']!.default, 'driftguard.sarif');
    assert.ok(fs.existsSync(path.join(cleanClone(), action.runs.main)), `${action.runs.main} is not in the clone`);
  });

  it('defaults: scans the workspace, logs the report, writes SARIF, outputs and summary, fails on warnings', () => {
    const workspace = tempTree(REPOSITORY);
    const run = runAction(workspace);
    assert.equal(run.code, 1, run.log);
    // the text report, then an error annotation saying why the step failed
    assert.match(run.log, /^Dockerfile\n {2}1:11 +warning +.*image-latest-tag$/m);
    assert.match(run.log, /^ops\/hotfix\.sh\n.*live-package-change$/m);
    assert.match(run.log, /^::error::DriftGuard: findings at or above warning/m);
    const results = sarifResults(path.join(workspace, 'driftguard.sarif'));
    assert.deepEqual(results.map((r) => r.ruleId).sort(), [
      'image-latest-tag',
      'image-unpinned-digest',
      'image-untagged',
      'live-package-change',
      'remote-script-exec',
    ]);
    assert.deepEqual(run.outputs, { 'sarif-file': 'driftguard.sarif', findings: '5' });
    assert.match(run.summary, /^### ❌ DriftGuard: 5 findings in 3 of 4 files$/m);
    const docs = 'https://github.com/driftguard/driftguard/blob/main/docs/rules/image-latest-tag.md';
    assert.ok(run.summary.includes(`\n| [image-latest-tag](${docs}) |  | 1 |`), run.summary);
    // each finding links to its line at the commit scanned
    const blob = 'https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567';
    const row = `| [Dockerfile:1](${blob}/Dockerfile#L1) | warning | image-latest-tag |`;
    assert.ok(run.summary.includes(row), run.summary);
  });

  it('fail-on: error passes with warnings only (SARIF written all the same); none never fails on findings', () => {
    for (const failOn of ['error', 'none']) {
      const workspace = tempTree(REPOSITORY);
      const run = runAction(workspace, { 'fail-on': failOn });
      assert.equal(run.code, 0, `${failOn}: ${run.log}`);
      assert.doesNotMatch(run.log, /::error::/);
      assert.equal(sarifResults(path.join(workspace, 'driftguard.sarif')).length, 5);
      assert.match(run.summary, /^### ✅ DriftGuard: 5 findings/m);
    }
  });

  it('paths separated by newlines and spaces, a config file, a SARIF path in a new folder', () => {
    const workspace = tempTree({
      ...REPOSITORY,
      'ci/driftguard.yaml': 'rules:\n  image-latest-tag: off\n',
    });
    const run = runAction(workspace, {
      paths: 'Dockerfile\nops/hotfix.sh  ops/clean.sh\n',
      config: 'ci/driftguard.yaml',
      'sarif-file': 'reports/dg.sarif',
    });
    assert.equal(run.code, 1, run.log);
    assert.deepEqual(sarifResults(path.join(workspace, 'reports', 'dg.sarif')).map((r) => r.ruleId), [
      'remote-script-exec',
      'image-unpinned-digest',
      'live-package-change',
    ]);
    assert.doesNotMatch(run.log, /compose\.yaml|image-latest-tag/);
    assert.deepEqual(run.outputs, { 'sarif-file': 'reports/dg.sarif', findings: '3' });
    assert.match(run.summary, /DriftGuard: 3 findings in 2 of 3 files/);
  });

  it('a clean workspace passes with 0 findings', () => {
    const workspace = tempTree({ Dockerfile: 'FROM scratch\nCOPY app /app\n' });
    const run = runAction(workspace);
    assert.equal(run.code, 0, run.log);
    assert.deepEqual(run.outputs, { 'sarif-file': 'driftguard.sarif', findings: '0' });
    assert.match(run.summary, /^### ✅ DriftGuard: 0 findings in 0 of 1 file$/m);
  });

  it('bad inputs and config errors fail the step with exit code 2 and say why', () => {
    const workspace = tempTree(REPOSITORY);
    const badFailOn = runAction(workspace, { 'fail-on': 'warnings' });
    assert.equal(badFailOn.code, 2);
    assert.match(badFailOn.log, /^::error::DriftGuard: fail-on must be error, warning, info, none \(got warnings\)$/m);
    const missing = runAction(workspace, { paths: 'Dockerfile docker/' });
    assert.equal(missing.code, 2);
    assert.match(missing.log, /^::error::DriftGuard: no such file or folder: docker\/$/m);
    assert.deepEqual(missing.outputs, {});
    fs.writeFileSync(path.join(workspace, '.driftguard.yaml'), 'rules:\n  image-latest-tg: off\n');
    const config = runAction(workspace);
    assert.equal(config.code, 2);
    assert.match(config.log, /^::error::DriftGuard: config error: \.driftguard\.yaml:2:3: .*image-latest-tg/m);
    assert.ok(fs.existsSync(path.join(workspace, 'driftguard.sarif')), 'no SARIF for the upload step');
  });

  it("README's workflow: checkout, DriftGuard, upload-sarif, each pinned to a full commit SHA with its version", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n(name: DriftGuard\n[\s\S]*?)```/.exec(readme);
    assert.ok(block, 'no workflow in README.md');
    const workflow = parse(block[1]!) as {
      jobs: Record<string, { steps: Array<{ id?: string; uses: string; with?: Record<string, string> }> }>;
    };
    const steps = Object.values(workflow.jobs)[0]!.steps;
    assert.deepEqual(
      steps.map((s) => s.uses.split('@')[0]),
      ['actions/checkout', 'driftguard/driftguard', 'github/codeql-action/upload-sarif'],
    );
    for (const line of block[1]!.split('\n').filter((l) => l.includes('uses:'))) {
      if (line.includes('driftguard/driftguard@')) {
        assert.match(line, /@<commit SHA of the release> # v\d+\.\d+\.\d+$/); // no release yet: the reader fills it in
        continue;
      }
      assert.match(line, /@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
    }
    const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
    for (const name of Object.keys(steps[1]!.with ?? {})) assert.ok(name in action.inputs, `no input ${name}`);
    assert.equal(steps[2]!.with!.sarif_file, "${{ steps." + steps[1]!.id + ".outputs.sarif-file }}");
  });
});
