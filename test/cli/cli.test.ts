import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

function withoutColourSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

/** Runs the CLI with its output piped; colour variables of the calling environment are left out. */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...withoutColourSettings(), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function cliOnTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qefc', command, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: { ...withoutColourSettings(), TERM: 'xterm-256color', ...env },
  });
  return { code: r.status, stdout: r.stdout.replace(/\r\n/g, '\n') };
}

const ESC = '\u001b[';

const PROJECT = {
  Dockerfile: 'FROM nginx\nFROM redis:latest\nFROM node:20\n',
  'deploy/docker-compose.yml': 'services:\n  web:\n    image: "nginx:1.27"\n    pull_policy: always\n',
  'ignored-by-git/Dockerfile': 'FROM nginx\n',
  '.gitignore': 'ignored-by-git/\n',
  'node_modules/pkg/Dockerfile': 'FROM nginx\n',
  'README.md': '# not analysed\n',
};

describe('CLI', () => {
  it('text: stylish output, exit 1 on warnings', () => {
    const root = tempTree(PROJECT);
    const r = cli(['.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Dockerfile\n {2}1:6 {3}warning {2}“nginx” has no tag/m);
    assert.match(r.stdout, /3:11 {2}info {5}“node:20” is a tag/);
    assert.match(r.stdout, /\n✖ 5 problems \(3 warnings, 2 info\) in 2 of 2 files\n$/);
    assert.ok(!r.stdout.includes(ESC), 'no colour when the output is not a terminal');
    assert.doesNotMatch(r.stdout, /ignored-by-git|node_modules/);
  });

  it('json: findings with 0-based ranges and 1-based line/column', () => {
    const root = tempTree(PROJECT);
    const r = cli(['--format', 'json'], root);
    const json = JSON.parse(r.stdout) as {
      files: Array<{ path: string; problems: Array<{ ruleId: string; line: number; column: number; range: unknown }> }>;
    };
    assert.deepEqual(
      json.files.map((f) => [f.path, f.problems.map((p) => `${p.ruleId}@${p.line}:${p.column}`)]),
      [
        ['deploy/docker-compose.yml', ['image-unpinned-digest@3:19', 'compose-pull-always-mutable@4:18']],
        ['Dockerfile', ['image-untagged@1:6', 'image-latest-tag@2:12', 'image-unpinned-digest@3:11']],
      ],
    );
    assert.deepEqual(json.files[1]!.problems[0]!.range, {
      start: { line: 0, character: 5 },
      end: { line: 0, character: 10 },
    });
  });

  it('sarif 2.1.0: driver rules, results with relative URIs and 1-based regions', () => {
    const root = tempTree(PROJECT);
    const r = cli(['--format=sarif', '.'], root);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'DriftGuard');
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('image-untagged'));
    const untagged = run.tool.driver.rules.find((x: { id: string }) => x.id === 'image-untagged');
    assert.match(untagged.helpUri, /docs\/rules\/image-untagged\.md$/);
    assert.equal(untagged.defaultConfiguration.level, 'warning');
    assert.match(run.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/$/);
    const first = run.results.find((x: { ruleId: string }) => x.ruleId === 'image-untagged');
    assert.equal(first.level, 'warning');
    assert.equal(run.tool.driver.rules[first.ruleIndex].id, 'image-untagged');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'Dockerfile', uriBaseId: 'SRCROOT' },
      region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 11 },
    });
    const info = run.results.find((x: { ruleId: string }) => x.ruleId === 'image-unpinned-digest');
    assert.equal(info.level, 'note');
  });

  it('--fail-on error exits 0 with only warnings; a clean tree exits 0', () => {
    assert.equal(cli(['--fail-on', 'error'], tempTree(PROJECT)).code, 0);
    const clean = cli(['.'], tempTree({ Dockerfile: 'FROM scratch\n' }));
    assert.equal(clean.code, 0);
    assert.equal(clean.stdout, '✔ no problems in 1 file\n');
  });

  it('summary: counts in the right number, files with problems of files checked, skipped files', () => {
    const one = cli(
      ['.'],
      tempTree({ Dockerfile: 'FROM nginx:1.27\nFROM redis:latest\n', 'b/Dockerfile': 'FROM scratch\n' }),
    );
    assert.match(one.stdout, /\n✖ 2 problems \(1 warning, 1 info\) in 1 of 2 files\n$/);
    const skipped = cli(['.'], tempTree({ Dockerfile: 'FROM nginx\n', 'bin/Dockerfile': Buffer.from([0x46, 0x00]) }));
    assert.match(skipped.stdout, /\n✖ 1 problem \(1 warning\) in 1 of 1 file; 1 file skipped\n$/);
    assert.equal(cli(['.'], tempTree({ 'README.md': '# none\n' })).stdout, '✔ no file to check\n');
  });

  it('colour: on a terminal, unless NO_COLOR or --no-color; --color and FORCE_COLOR also when piped', function () {
    this.timeout(120000); // eleven runs of the CLI
    const root = tempTree({ Dockerfile: 'FROM nginx\n' });
    const coloured = (text: string) => text.includes(`${ESC}33mwarning`) && text.includes(`${ESC}4mDockerfile`);
    const terminal = cliOnTerminal(['.'], root);
    assert.equal(terminal.code, 1);
    assert.ok(coloured(terminal.stdout), JSON.stringify(terminal.stdout));
    assert.ok(!cliOnTerminal(['.'], root, { NO_COLOR: '1' }).stdout.includes(ESC), 'NO_COLOR');
    assert.ok(!cliOnTerminal(['--no-color', '.'], root).stdout.includes(ESC), '--no-color');
    assert.ok(!cliOnTerminal(['.'], root, { TERM: 'dumb' }).stdout.includes(ESC), 'TERM=dumb');
    assert.ok(coloured(cli(['--color', '.'], root).stdout), '--color');
    assert.ok(coloured(cli(['.'], root, { FORCE_COLOR: '1' }).stdout), 'FORCE_COLOR');
    assert.ok(!cli(['.'], root, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout.includes(ESC), 'NO_COLOR wins');
    assert.ok(!cli(['--no-color', '.'], root, { FORCE_COLOR: '1' }).stdout.includes(ESC), '--no-color wins');
    assert.ok(!cliOnTerminal(['--format', 'json', '.'], root).stdout.includes(ESC), 'JSON is never coloured');
    const output = path.join(root, 'report.txt');
    cliOnTerminal(['--output', output, '.'], root);
    assert.ok(!fs.readFileSync(output, 'utf8').includes(ESC), 'a report file is never coloured');
  });

  it('--fail-on info counts infos', () => {
    assert.equal(cli(['--fail-on', 'info'], tempTree({ Dockerfile: 'FROM node:20\n' })).code, 1);
    assert.equal(cli([], tempTree({ Dockerfile: 'FROM node:20\n' })).code, 0);
  });

  it('--fail-on none: findings never change the exit code; config errors still do', () => {
    assert.equal(cli(['--fail-on', 'none'], tempTree({ Dockerfile: 'FROM nginx:latest\n' })).code, 0);
    const bad = tempTree({ Dockerfile: 'FROM nginx\n', '.driftguard.yaml': 'extends: nope\n' });
    assert.equal(cli(['--fail-on', 'none'], bad).code, 2);
    assert.match(cli(['--fail-on', 'never'], bad).stderr, /--fail-on must be error, warning, info, none \(got never\)/);
  });

  it('config: presets, overrides, ignore globs and images.allow apply', () => {
    const root = tempTree({
      ...PROJECT,
      '.driftguard.yaml':
        'extends: strict\nrules:\n  image-latest-tag: off\nignore: [deploy/**]\nimages:\n  allow: [nginx]\n',
    });
    const json = JSON.parse(cli(['--format', 'json'], root).stdout);
    assert.deepEqual(
      json.files.map((f: { path: string; problems: Array<{ ruleId: string; severity: string }> }) => [
        f.path,
        f.problems.map((p) => `${p.ruleId}:${p.severity}`),
      ]),
      [['Dockerfile', ['image-unpinned-digest:warning']]],
    );
  });

  it('a bad config exits 2 with file:line:column, defaults stay in force', () => {
    const root = tempTree({ Dockerfile: 'FROM nginx\n', '.driftguard.yml': 'rules:\n  image-untaged: off\n' });
    const r = cli(['--format', 'json'], root);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'driftguard: config error: .driftguard.yml:2:3: unknown rule id “image-untaged” (did you mean image-untagged?)\n',
    );
    assert.equal(JSON.parse(r.stdout).files[0].problems[0].ruleId, 'image-untagged');
    // The text report lists it; it is not printed a second time on standard error.
    const text = cli(['.'], root);
    assert.equal(text.code, 2);
    assert.equal(text.stderr, '');
    assert.equal(text.stdout.split('unknown rule id').length - 1, 1, text.stdout);
    assert.match(text.stdout, /^\.driftguard\.yml:2:3 {2}config error {2}unknown rule id “image-untaged”/m);
  });

  // One CLI start per test: each start of the unbundled CLI takes seconds on a loaded machine.
  describe('usage errors and missing paths exit 2', () => {
    it('an unknown format', () => {
      assert.equal(cli(['--format', 'xml'], tempTree({})).code, 2);
    });

    it('an unknown option', () => {
      assert.equal(cli(['--bogus'], tempTree({})).code, 2);
    });

    it('a timeout above 2^31 - 1 ms', () => {
      // Node fires a timer above 2^31 - 1 ms at once: such a timeout would fail every request.
      const huge = cli(['--timeout', '2147483648'], tempTree({}));
      assert.equal(huge.code, 2);
      assert.match(huge.stderr, /--timeout must be a whole number of milliseconds from 1 to 2147483647/);
    });

    it('the largest timeout is accepted', () => {
      assert.equal(cli(['--timeout', '2147483647', '.'], tempTree({})).code, 0);
    });

    it('a missing path', () => {
      const missing = cli(['nope/'], tempTree({}));
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no such file or folder: nope\//);
    });
  });

  it('skips binary, non-UTF-8, too-large and invalid-YAML files with reasons', () => {
    const root = tempTree({
      'bin/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01]),
      'latin1/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]),
      'big/Dockerfile': 'FROM nginx\n' + '# filler\n'.repeat(200),
      'yaml/compose.yaml': 'services:\n  web: [\n',
    });
    const json = JSON.parse(cli(['--format', 'json', '--max-file-size', '1000'], root).stdout);
    assert.deepEqual(
      json.files.map((f: { path: string; skipped?: string }) => [f.path, f.skipped?.replace(/\d+:\d+.*/, 'POS')]),
      [
        ['big/Dockerfile', 'larger than the 1 KB limit (2 KB)'],
        ['bin/Dockerfile', 'binary file (contains NUL bytes)'],
        ['latin1/Dockerfile', 'not valid UTF-8'],
        ['yaml/compose.yaml', 'invalid YAML at POS'],
      ],
    );
  });

  it('output is complete when piped, far beyond 64 KiB', () => {
    const root = tempTree({ Dockerfile: 'FROM nginx\n'.repeat(4000) });
    const r = cli(['--format', 'json'], root);
    assert.ok(r.stdout.length > 512 * 1024);
    assert.equal(JSON.parse(r.stdout).files[0].problems.length, 4000);
  });

  it('--output writes the report to a file', () => {
    const root = tempTree(PROJECT);
    const r = cli(['--format', 'sarif', '--output', 'out.sarif'], root);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).version, '2.1.0');
  });

  it('shell context across files: RUN scripts are build, ENTRYPOINT scripts container start, others live', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const root = tempTree({
      'app/Dockerfile':
        `FROM debian:12@${digest}\nWORKDIR /src\nCOPY scripts/ ./scripts/\nRUN ./scripts/setup.sh\n` +
        `COPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n`,
      'app/scripts/setup.sh': '#!/bin/sh\napt-get install -y curl\n',
      'app/docker-entrypoint.sh': '#!/bin/sh\napt-get install -y curl\nexec "$@"\n',
      'ops/patch.sh': '#!/bin/sh\nssh web1 "apt-get install -y curl"\n',
    });
    const json = JSON.parse(cli(['--format', 'json'], root).stdout);
    const byPath = Object.fromEntries(
      json.files.map((f: { path: string; problems: Array<{ ruleId: string; message: string }> }) => [
        f.path,
        f.problems.map((p) => `${p.ruleId}: ${p.message.split(':')[0]}`),
      ]),
    );
    assert.deepEqual(byPath['app/scripts/setup.sh'], [
      'package-unpinned: curl is installed without a version, so each build may get a different one. Pin it',
    ]);
    assert.deepEqual(byPath['app/docker-entrypoint.sh'], [
      'live-package-change: “apt-get install” installs packages into the container at every start',
    ]);
    assert.deepEqual(byPath['ops/patch.sh'], [
      'live-package-change: “apt-get install” installs packages on a remote host (over ssh)',
    ]);
  });

  it('scripts copied where an init system runs them, or anywhere into the image, are container code', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const runScript = "#!/bin/sh\nsed -i 's/^relay=.*/relay=mail/' /etc/postfix/main.cf\nexec postfix start-fg\n";
    const root = tempTree({
      'postfix/Dockerfile':
        `FROM debian:12@${digest}\nCOPY service /etc/service\n` + `ENTRYPOINT ["runsvdir", "/etc/service"]\n`,
      'postfix/service/postfix/run': runScript,
      's6/Dockerfile':
        `FROM alpine:3.20@${digest}\nCOPY rootfs/ /\nCOPY initdb/*.sh /docker-entrypoint-initdb.d/\n` +
        `ENTRYPOINT ["/init"]\n`,
      's6/rootfs/etc/cont-init.d/10-config': runScript,
      's6/rootfs/etc/services.d/nginx/run': runScript,
      's6/rootfs/usr/local/bin/patch.sh': runScript,
      's6/initdb/01-schema.sh': runScript,
      'ops/run': runScript,
    });
    const json = JSON.parse(cli(['--format', 'json'], root).stdout);
    const rules = Object.fromEntries(
      json.files
        .filter((f: { kind: string }) => f.kind === 'shell')
        .map((f: { path: string; problems: Array<{ ruleId: string }> }) => [f.path, f.problems.map((p) => p.ruleId)]),
    );
    assert.deepEqual(rules, {
      'ops/run': ['live-config-edit'],
      'postfix/service/postfix/run': [],
      's6/initdb/01-schema.sh': [],
      's6/rootfs/etc/cont-init.d/10-config': [],
      's6/rootfs/etc/services.d/nginx/run': [],
      // In the image but run by nothing in view: it can only run inside containers of that image.
      's6/rootfs/usr/local/bin/patch.sh': [],
    });
  });

  it('scripts run by Packer templates and dev container features are image-build steps, not live changes', () => {
    const root = tempTree({
      'images/templates/ubuntu.pkr.hcl':
        'build {\n  provisioner "shell" {\n    scripts = ["${path.root}/../scripts/install-tools.sh"]\n  }\n}\n',
      'images/scripts/install-tools.sh': '#!/bin/bash\napt-get install -y jq\n',
      'features/go/devcontainer-feature.json': '{ "id": "go" }\n',
      'features/go/install.sh': '#!/bin/bash\napt-get install -y golang\n',
      'ops/fix.sh': '#!/bin/bash\napt-get install -y jq\n',
    });
    const json = JSON.parse(cli(['--format', 'json'], root).stdout);
    const rules = Object.fromEntries(
      json.files.map((f: { path: string; problems: Array<{ ruleId: string }> }) => [
        f.path,
        f.problems.map((p) => p.ruleId),
      ]),
    );
    assert.deepEqual(rules, {
      'features/go/install.sh': ['package-unpinned'],
      'images/scripts/install-tools.sh': ['package-unpinned'],
      'ops/fix.sh': ['live-package-change'],
    });
  });

  it('a file argument is analysed even if .gitignore would skip it', () => {
    const root = tempTree(PROJECT);
    const json = JSON.parse(cli(['--format', 'json', 'ignored-by-git/Dockerfile'], root).stdout);
    assert.equal(json.files.length, 1);
  });
});
