import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { startFakeRegistry } from '../helpers/fakeRegistry';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

const NOBODY = 65534;
const ESC = '\u001b';
/** Anything a terminal acts on rather than prints. */
// eslint-disable-next-line no-control-regex -- the characters a terminal acts on
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

interface JsonReport {
  files: Array<{ path: string; skipped?: string; problems: Array<{ ruleId: string; message: string }> }>;
  skipped: Array<{ path: string; reason: string }>;
  configProblems: Array<{ path: string; message: string }>;
}

/** Scans `root` in every format; the JSON report parsed. */
async function scanAllFormats(root: string, extra: string[] = []) {
  const text = await runCli(['.', ...extra], { cwd: root, killAfterMs: 30_000 });
  const json = await runCli(['--format', 'json', '.', ...extra], { cwd: root, killAfterMs: 30_000 });
  const sarif = await runCli(['--format', 'sarif', '.', ...extra], { cwd: root, killAfterMs: 30_000 });
  for (const r of [text, json, sarif]) assert.notEqual(r.code, null, `the scan did not finish: ${r.stderr}`);
  return { text, json, sarif, report: JSON.parse(json.stdout) as JsonReport };
}

/** A repository's files cannot reach the terminal, leak what lies outside it, or hang the scan. */
describe('hostile files', function () {
  this.timeout(60_000);

  describe('terminal output (item 5)', () => {
    it('escapes control characters and line breaks from names, contents and config errors', async () => {
      const root = tempTree({
        [`deploy${ESC}]0;owned\u0007${ESC}[2J.sh`]: `sed -i s/a/b/ "/etc/x${ESC}[2J"\n`,
        'ok\n  1:1  error  forged finding  remote-script-exec\nx/Dockerfile': 'FROM nginx\n',
        '.driftguard.yaml': `rules:\n  "bad${ESC}[31m\\nid": off\n`,
      });
      const r = await runCli(['.'], { cwd: root });
      assert.equal(r.code, 2, r.stderr);
      for (const [name, output] of [
        ['stdout', r.stdout],
        ['stderr', r.stderr],
      ] as const)
        assert.doesNotMatch(output, CONTROL, `${name} carries a control character: ${JSON.stringify(output)}`);
      assert.ok(!r.stdout.split('\n').includes('  1:1  error  forged finding  remote-script-exec'), r.stdout);
      assert.match(r.stdout, /deploy\\x1b\]0;owned\\x07\\x1b\[2J\.sh/);
      assert.match(r.stdout, /ok\\n {2}1:1 {2}error {2}forged finding/);
      assert.match(r.stdout + r.stderr, /bad\\x1b\[31m\\nid/);
      // JSON and SARIF carry the characters escaped by JSON itself, and stay valid.
      const { report, sarif } = await scanAllFormats(root);
      assert.ok(report.files.some((f) => f.path.startsWith(`deploy${ESC}`)));
      assert.doesNotMatch(sarif.stdout, CONTROL);
    });

    it('escapes what a registry answers in pin output', async () => {
      const registry = await startFakeRegistry({
        repos: {},
        handle: (req, res) => {
          // HEAD names no digest, so the client GETs the manifest; the 404 says why in its body.
          if (req.method === 'HEAD') res.writeHead(200).end();
          else
            res
              .writeHead(404, { 'Content-Type': 'application/json' })
              .end(JSON.stringify({ errors: [{ code: `${ESC}]0;owned\u0007${ESC}[2J` }] }));
          return true;
        },
      });
      try {
        const root = tempTree({ Dockerfile: `FROM ${registry.host}/app:1\n` });
        const r = await runCli(['pin', '.'], { cwd: root });
        assert.equal(r.code, 1);
        assert.doesNotMatch(r.stdout + r.stderr, CONTROL);
        assert.match(r.stdout, /not pinned: .* not found on .*\(\\x1b\]0;owned\\x07/);
      } finally {
        await registry.stop();
      }
    });
  });

  describe('information leaks (item 6)', () => {
    it('does not follow a .env link out of the scanned folder; the reason is in every format', async () => {
      const secret = tempTree({ 'secrets.env': 'TAG=hunter2-secret-value\n' });
      const root = tempTree({ 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n' });
      fs.symlinkSync(path.join(secret, 'secrets.env'), path.join(root, '.env'));
      const { text, json, sarif, report } = await scanAllFormats(root);
      for (const output of [text.stdout, json.stdout, sarif.stdout]) assert.doesNotMatch(output, /hunter2/);
      assert.deepEqual(report.skipped, [
        { path: '.env', reason: 'not read: a symbolic link to a file outside the scanned folders: not followed' },
      ]);
      assert.match(text.stdout, /\.env\n {2}skipped: not read: a symbolic link to a file outside/);
      assert.match(sarif.stdout, /skipped: not read: a symbolic link/);
    });

    it('follows a .env link that stays inside the scanned folder', async () => {
      const root = tempTree({
        'env/shared.env': 'TAG=latest\n',
        'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n',
      });
      fs.symlinkSync(path.join(root, 'env/shared.env'), path.join(root, '.env'));
      const { report } = await scanAllFormats(root);
      assert.deepEqual(report.skipped, []);
      assert.deepEqual(
        report.files.flatMap((f) => f.problems.map((p) => p.ruleId)),
        ['image-latest-tag'],
      );
    });

    it('does not read a config link that leaves the scanned folder', async () => {
      const secret = tempTree({ 'shadow.yaml': 'root-password-hash: x\n' });
      const root = tempTree({ Dockerfile: 'FROM nginx\n' });
      fs.symlinkSync(path.join(secret, 'shadow.yaml'), path.join(root, '.driftguard.yaml'));
      const r = await runCli(['--format', 'json', '.'], { cwd: root });
      assert.doesNotMatch(r.stdout + r.stderr, /root-password-hash/);
      assert.match(r.stderr, /config not read: a symbolic link to a file outside the scanned folders/);
    });

    it('redacts the password of a proxy URL in messages', async () => {
      const root = tempTree({ Dockerfile: 'FROM registry.invalid/app:1\n' });
      const r = await runCli(['pin', '.'], {
        cwd: root,
        env: { HTTPS_PROXY: 'socks5://proxyuser:pr0xy-s3cret@127.0.0.1:1080' },
      });
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stdout + r.stderr, /pr0xy-s3cret|proxyuser/);
      assert.match(r.stdout, /invalid proxy "socks5:\/\/\*\*\*@127\.0\.0\.1:1080"/);
    });
  });

  describe('special files (item 7)', () => {
    const cases: Array<[string, (root: string) => void, string, string]> = [
      ['a FIFO .env', (root) => mkfifo(path.join(root, '.env')), '.env', 'not read: not a regular file (a FIFO)'],
      [
        'a .env linked to /dev/zero',
        (root) => fs.symlinkSync('/dev/zero', path.join(root, '.env')),
        '.env',
        'not read: a symbolic link to a file outside the scanned folders: not followed',
      ],
      [
        'a FIFO .gitignore',
        (root) => mkfifo(path.join(root, '.gitignore')),
        '.gitignore',
        'not read: not a regular file (a FIFO)',
      ],
      [
        'a 300 MB sparse .gitignore',
        (root) => {
          fs.writeFileSync(path.join(root, '.gitignore'), '');
          fs.truncateSync(path.join(root, '.gitignore'), 3e8);
        },
        '.gitignore',
        'not read: larger than the 1 MB limit (286.1 MB)',
      ],
      [
        'a 2 MB Packer template',
        (root) => fs.writeFileSync(path.join(root, 'image.pkr.hcl'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`),
        'image.pkr.hcl',
        'not read: larger than the 1 MB limit (2.0 MB)',
      ],
      [
        'a FIFO named Dockerfile',
        (root) => mkfifo(path.join(root, 'Dockerfile')),
        'Dockerfile',
        'not a regular file (a FIFO)',
      ],
    ];
    for (const [what, plant, name, reason] of cases) {
      it(`finishes beside ${what}, listing it as skipped in every format`, async () => {
        const root = tempTree({
          'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n',
          'build.sh': 'apt-get install -y curl\n',
        });
        plant(root);
        const { text, sarif, report } = await scanAllFormats(root);
        assert.deepEqual(report.skipped, [{ path: name, reason }]);
        assert.ok(
          report.files.some((f) => f.path === 'compose.yaml' && f.problems.length === 1),
          JSON.stringify(report),
        );
        assert.ok(text.stdout.includes(`${name}\n  skipped: ${reason}`), text.stdout);
        assert.match(text.stdout, /files; 1 not read\n/);
        assert.ok(sarif.stdout.includes(`skipped: ${reason}`));
      });
    }

    it('reports a FIFO config file, and a FIFO --config, as config errors instead of waiting', async () => {
      const root = tempTree({ Dockerfile: 'FROM nginx\n' });
      mkfifo(path.join(root, '.driftguard.yaml'));
      mkfifo(path.join(root, 'explicit.yaml'));
      for (const args of [['.'], ['--config', 'explicit.yaml', '.']]) {
        const r = await runCli(args, { cwd: root, killAfterMs: 20_000 });
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout + r.stderr, /config not read: not a regular file \(a FIFO\)/);
      }
    });

    it('skips a config file over 256 KB with the reason', async () => {
      const root = tempTree({ Dockerfile: 'FROM nginx\n', '.driftguard.yaml': `# ${'x'.repeat(300 * 1024)}\n` });
      const r = await runCli(['.'], { cwd: root });
      assert.equal(r.code, 2);
      assert.match(r.stdout + r.stderr, /config not read: larger than the 256 KB limit/);
    });

    it('the language server answers beside a FIFO .env', async () => {
      const root = tempTree({ 'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n' });
      mkfifo(path.join(root, '.env'));
      const client = new LspTestClient(SERVER_MAIN);
      try {
        await client.initialize(uriOf(root));
        const diagnostics = await client.openFileAndWait(path.join(root, 'compose.yaml'), 'dockercompose', {
          timeoutMs: 20_000,
        });
        assert.deepEqual(
          diagnostics.map((d) => d.code),
          ['image-latest-tag'],
        );
      } finally {
        await client.stop();
      }
    });
  });

  describe('silent gaps (item 15)', () => {
    it('lists an unreadable folder as skipped in every format and counts it', async () => {
      const root = tempTree({ 'a/Dockerfile': 'FROM nginx\n', 'locked/Dockerfile': 'FROM redis\n' });
      fs.chmodSync(root, 0o755);
      fs.chmodSync(path.join(root, 'a'), 0o755);
      fs.chmodSync(path.join(root, 'a/Dockerfile'), 0o644);
      fs.chmodSync(path.join(root, 'locked'), 0o700);
      const as = { cwd: root, asUser: NOBODY };
      const text = await runCli(['.'], as);
      const json = await runCli(['--format', 'json', '.'], as);
      const sarif = await runCli(['--format', 'sarif', '.'], as);
      const report = JSON.parse(json.stdout) as JsonReport;
      assert.deepEqual(report.skipped, [{ path: 'locked', reason: 'folder not read: EACCES' }]);
      assert.match(text.stdout, /locked\n {2}skipped: folder not read: EACCES/);
      assert.match(text.stdout, /in 1 of 1 file; 1 not read\n/);
      assert.match(sarif.stdout, /"text": "skipped: folder not read: EACCES"/);
    });
  });
});
