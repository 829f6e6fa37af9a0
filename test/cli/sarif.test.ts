import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RULES } from '../../server/src/rules';
import { FILE_KINDS } from '../../server/src/kinds';
import { docsUrl } from '../../server/src/engine/rule';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

/**
 * SARIF for GitHub code scanning, checked by Microsoft's SARIF multitool (provisioned by
 * test/provision/tools.js): its copy of the SARIF 2.1.0 schema, and its `validate` command with
 * the rules of GitHub's ingestion (GH1xxx/GH2xxx).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toolDir, toolBin } = require(path.join(REPO_ROOT, 'test', 'provision', 'tools.js')) as {
  toolDir: (name: string) => string;
  toolBin: (name: string) => string;
};

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

interface SarifResult {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: Array<{ physicalLocation: { region: { startLine: number } } }>;
}
interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
}
interface SarifRule {
  id: string;
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  properties: { tags: string[] };
}

function sarifOf(root: string): {
  runs: Array<{ tool: { driver: { rules: SarifRule[] } }; results: SarifResult[] }>;
} {
  const r = spawnSync(process.execPath, [CLI, '--format', 'sarif', '.'], { cwd: root, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
}

const PROJECT = {
  Dockerfile:
    'FROM nginx\nFROM redis:latest\nFROM node:20\n' +
    'RUN curl -fsSL https://example.com/i.sh | sh\nADD https://example.com/t.tgz /opt/\n',
  'deploy/compose.yaml': 'services:\n  web:\n    image: "nginx:1.27"\n    pull_policy: always\n',
  'ops/patch.sh': '#!/bin/sh\nssh web "sed -i s/a/b/ /etc/nginx/nginx.conf"\ndocker commit web web:patched\n',
  'binary.sh': Buffer.from([0, 1, 2, 3]),
  // the CI and dev-environment kinds
  '.github/workflows/ci.yml':
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    container: node\n    steps:\n' +
    '      - uses: actions/checkout@main\n      - uses: actions/setup-node@v4\n',
  '.gitlab-ci.yml': 'test:\n  image: python:latest\n  script: pytest\n',
  '.devcontainer/devcontainer.json': '{\n  // dev\n  "image": "mcr.microsoft.com/devcontainers/base",\n}\n',
};

function multitool(): string {
  const bin = toolBin('sarif-multitool');
  assert.ok(
    fs.existsSync(bin),
    `${bin} is missing: \`npm test\` installs it, or run \`node test/provision/tools.js sarif-multitool\``,
  );
  return bin;
}

describe('SARIF for code scanning', function () {
  this.timeout(120000);

  it('is valid against the SARIF 2.1.0 schema', () => {
    multitool();
    const schema = JSON.parse(fs.readFileSync(path.join(toolDir('sarif-multitool'), 'sarif-2.1.0.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const sarif = sarifOf(tempTree(PROJECT));
    assert.ok(sarif.runs[0]!.results.length >= 8);
    const located = (sarif.runs[0]!.results as unknown as Array<SarifResult & { locations: SarifLocation[] }>).map(
      (r) => {
        const { artifactLocation, region } = r.locations[0]!.physicalLocation;
        return `${r.ruleId} ${r.level} ${artifactLocation.uri}:${region.startLine}:${region.startColumn}`;
      },
    );
    for (const expected of [
      'action-branch-ref warning .github/workflows/ci.yml:7:32',
      'action-tag-ref note .github/workflows/ci.yml:8:34',
      'image-untagged warning .github/workflows/ci.yml:5:16',
      'image-latest-tag warning .gitlab-ci.yml:2:17',
      'image-untagged warning .devcontainer/devcontainer.json:3:13',
    ])
      assert.ok(located.includes(expected), `${expected} not in\n${located.join('\n')}`);
    assert.ok(validate(sarif), ajv.errorsText(validate.errors, { separator: '\n' }));
    // the validator itself sees a broken log
    const broken = structuredClone(sarif) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    broken.runs[0]!.results[0]!.level = 'severe';
    assert.equal(validate(broken), false);
  });

  it("passes the multitool's validation with GitHub's ingestion rules, no error or warning", () => {
    const bin = multitool();
    const root = tempTree(PROJECT);
    fs.writeFileSync(path.join(root, 'driftguard.sarif'), JSON.stringify(sarifOf(root)));
    const check = (file: string) => {
      const out = path.join(root, `${path.basename(file)}.validation.sarif`);
      // In a network namespace of its own, with no network: some of its rules fetch the URIs of the log.
      const args = [bin, 'validate', file, '-o', out, '--log', 'ForceOverwrite', '--rule-kind', 'Gh;Sarif'];
      const r = spawnSync('unshare', ['--net', '--', ...args], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const results = JSON.parse(fs.readFileSync(out, 'utf8')).runs[0].results as Array<{
        ruleId: string;
        level: string;
        message: { arguments?: string[] };
      }>;
      return results
        .filter((x) => x.level === 'error' || x.level === 'warning')
        .map((x) => `${x.ruleId} ${x.message.arguments?.[0] ?? ''}`);
    };
    assert.deepEqual(check(path.join(root, 'driftguard.sarif')), []);
    // and it does report what GitHub would refuse: a rule without help
    const noHelp = JSON.parse(fs.readFileSync(path.join(root, 'driftguard.sarif'), 'utf8'));
    delete noHelp.runs[0].tool.driver.rules[0].help;
    fs.writeFileSync(path.join(root, 'no-help.sarif'), JSON.stringify(noHelp));
    assert.deepEqual(check(path.join(root, 'no-help.sarif')), ['GH2012 runs[0].tool.driver.rules[0]']);
  });

  it('every rule: help from its docs page (Markdown, plain text), full description, category and kinds as tags', () => {
    const rules = sarifOf(tempTree({ Dockerfile: 'FROM nginx\n' })).runs[0]!.tool.driver.rules;
    assert.deepEqual(
      rules.map((r) => r.id),
      RULES.map((r) => r.meta.id),
    );
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const body = page.replace(/^# .*\n+/, '');
      // the page, title dropped (links compared apart: they are made absolute)
      const unlinked = (md: string) => md.replace(/\]\([^)]*\)/g, ']()');
      assert.equal(unlinked(rule.help.markdown), unlinked(body));
      assert.doesNotMatch(rule.help.markdown, /\]\((?!https?:)/, `${rule.id}: relative link left`);
      const prose = rule.help.text
        .split('\n')
        .filter((l) => !l.startsWith('    ')) // code, kept verbatim
        .join('\n');
      assert.doesNotMatch(prose, /\*\*|`|\]\(|^#+ |\\\|/m, `${rule.id}: Markdown in help.text`);
      assert.ok(rule.help.text.includes('Why\n'), `${rule.id}: help.text lacks the Why section`);
      const lead = body.split('\n')[0]!.replace(/[`*]/g, '');
      assert.ok(rule.fullDescription.text.startsWith(lead.slice(0, 20)), `${rule.id}: ${rule.fullDescription.text}`);
      assert.ok(rule.fullDescription.text.length > lead.length + 40, `${rule.id}: no Why paragraph`);
      const meta = RULES.find((r) => r.meta.id === rule.id)!.meta;
      assert.deepEqual(rule.properties.tags, [meta.category, ...(meta.kinds ?? FILE_KINDS.all.map((k) => k.id))]);
    }
    assert.deepEqual(rules.find((r) => r.id === 'remote-add-unverified')!.properties.tags, [
      'unverified-download',
      'dockerfile',
    ]);
    const latest = rules.find((r) => r.id === 'image-latest-tag')!;
    assert.match(
      latest.help.markdown,
      /\[image-untagged\]\(https:\/\/github\.com\/driftguard\/driftguard\/blob\/main\/docs\/rules\/image-untagged\.md/,
    );
    assert.match(
      latest.help.text,
      /image-untagged \(https:\/\/github\.com\/driftguard\/driftguard\/blob\/main\/docs\/rules\/image-untagged\.md\)/,
    );
    assert.equal(
      docsUrl('image-latest-tag'),
      'https://github.com/driftguard/driftguard/blob/main/docs/rules/image-latest-tag.md',
    );
  });

  it('fingerprints: kept when lines move, changed when the flagged line changes, distinct for repeated lines', () => {
    const findings = (dockerfile: string) =>
      sarifOf(tempTree({ Dockerfile: dockerfile })).runs[0]!.results.map((r) => ({
        rule: r.ruleId,
        line: r.locations[0]!.physicalLocation.region.startLine,
        hash: Object.values(r.partialFingerprints)[0]!,
      }));
    const before = findings('FROM node:latest\nRUN curl -fsSL https://x.example/i.sh | sh\nFROM node:latest\n');
    const after = findings(
      '# a comment\n\nFROM node:latest\n\nRUN curl -fsSL https://x.example/i.sh | sh\nFROM node:latest\n',
    );
    assert.deepEqual(
      before.map((f) => f.line),
      [1, 2, 3],
    );
    assert.deepEqual(
      after.map((f) => f.line),
      [3, 5, 6],
    );
    assert.deepEqual(
      after.map((f) => f.hash),
      before.map((f) => f.hash),
    );
    assert.equal(new Set(before.map((f) => f.hash)).size, 3, 'repeated lines share a fingerprint');
    assert.match(before[0]!.hash, /^[0-9a-f]{32}:1$/);
    assert.match(before[2]!.hash, /:2$/);
    const edited = findings(
      'FROM node:latest AS build\nRUN curl -fsSL https://x.example/i.sh | sh\nFROM node:latest\n',
    );
    assert.notEqual(edited[0]!.hash, before[0]!.hash);
    assert.equal(edited[1]!.hash, before[1]!.hash);
    // another file, the same text: another alert
    const other = sarifOf(tempTree({ 'web/Dockerfile': 'FROM node:latest\n' })).runs[0]!.results[0]!;
    assert.notEqual(Object.values(other.partialFingerprints)[0], before[0]!.hash);
  });
});
