import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { RegistryCache } from '../../server/src/registry/cache';
import { runCli } from '../helpers/cli';
import { manifestBody, sha256Of, startFakeRegistry } from '../helpers/fakeRegistry';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import type { FrontServer } from '../helpers/registryDoubles';
import { tempTree } from '../helpers/tempTree';

const NOBODY = 65534;
const FILE = 'registry-cache.json';
const YEAR_MS = 365 * 24 * 3600 * 1000;

function privateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-cache-test-'));
}

/** A cache file that maps `key` to `digest`, written at `at`. */
function cacheFile(key: string, digest: string, at: number): string {
  return JSON.stringify({ version: 1, tags: { [key]: { digest, at } }, digests: {} });
}

/** Registry cache (item 1): a private per-user folder, never trusted blindly. */
describe('registry cache on disk', function () {
  this.timeout(30_000);

  describe('in the language server', () => {
    let registry: FrontServer;
    let client: LspTestClient | undefined;
    const current = manifestBody('app 1 today');
    const older = manifestBody('app 1 last year');
    before(async () => {
      registry = await startFakeRegistry({ repos: { app: { '1': current, '0.9': older } } });
    });
    after(async () => {
      await registry.stop();
    });
    afterEach(async () => {
      await client?.stop();
      client = undefined;
    });

    it('ignores cache folders another local user planted, and writes through none of their links', async () => {
      const shared = privateDir();
      const xdg = path.join(shared, 'xdg');
      const victim = path.join(shared, 'victim.txt');
      fs.writeFileSync(victim, 'my own file\n');
      // The old shared-temp location and the per-user location, both created first by someone else,
      // each holding a tag mapped to last year's digest "until" ten years from now.
      const planted = [
        path.join(shared, `driftguard-registry-cache-${process.getuid!()}`),
        path.join(xdg, 'driftguard'),
      ];
      for (const dir of planted) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(
          path.join(dir, FILE),
          cacheFile(`${registry.host}/app:1`, sha256Of(older), Date.now() + 10 * YEAR_MS),
        );
        fs.chmodSync(dir, 0o777);
        fs.chownSync(dir, NOBODY, NOBODY);
        fs.chownSync(path.join(dir, FILE), NOBODY, NOBODY);
      }
      client = new LspTestClient(SERVER_MAIN, ['--stdio'], { ...process.env, TMPDIR: shared, XDG_CACHE_HOME: xdg });
      for (const dir of planted) {
        for (let pid = client.pid - 5; pid < client.pid + 5; pid++)
          fs.symlinkSync(victim, path.join(dir, `${FILE}.${pid}.tmp`));
      }
      const root = tempTree({ Dockerfile: `FROM ${registry.host}/app:1\n` });
      await client.initialize(uriOf(root));
      const uri = uriOf(path.join(root, 'Dockerfile'));
      const diagnostics = await client.openAndWait(uri, 'dockerfile', `FROM ${registry.host}/app:1\n`);
      const actions = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
      const pin = actions.find((a) => a.data)!;
      const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
      const edit = ((resolved.edit?.documentChanges?.[0] as TextDocumentEdit).edits[0] as TextEdit).newText;
      assert.equal(edit, `${registry.host}/app:1@${sha256Of(current)}`);
      await client.stop();
      client = undefined;
      assert.equal(fs.readFileSync(victim, 'utf8'), 'my own file\n');
    });
  });

  describe('RegistryCache', () => {
    const key = 'registry.example/app:1';
    const good = sha256Of('good');

    const cases: Array<[string, (now: number) => string]> = [
      ['a time in the future', (now) => cacheFile(key, good, now + YEAR_MS)],
      ['a digest of an unknown algorithm', (now) => cacheFile(key, 'evil:AAAA', now)],
      [
        'a malformed manifest summary',
        (now) =>
          JSON.stringify({
            version: 1,
            tags: { [key]: { digest: good, at: now } },
            digests: {
              [`registry.example/app@${good}`]: { mediaType: 'x', index: true, children: [{ digest: '../x' }] },
            },
          }),
      ],
    ];
    for (const [what, file] of cases) {
      it(`discards the whole file when an entry has ${what}`, () => {
        const dir = privateDir();
        const now = Date.now();
        const text = file(now);
        const withGood = JSON.parse(text) as { tags: Record<string, unknown> };
        withGood.tags['registry.example/other:2'] = { digest: good, at: now };
        fs.writeFileSync(path.join(dir, FILE), JSON.stringify(withGood));
        const problems: string[] = [];
        const cache = new RegistryCache({ dir, onProblem: (p) => problems.push(p) });
        assert.equal(cache.getTag(key), undefined);
        assert.equal(cache.getTag('registry.example/other:2'), undefined, 'valid entries of that file are not kept');
        assert.match(problems.join('\n'), /failed validation and was discarded/);
      });
    }

    it('keeps well-formed entries', () => {
      const dir = privateDir();
      fs.writeFileSync(path.join(dir, FILE), cacheFile(key, good, Date.now() - 1000));
      assert.equal(new RegistryCache({ dir }).getTag(key), good);
    });

    it('does not use a folder others may write to, and says why', async () => {
      const dir = privateDir();
      fs.chmodSync(dir, 0o777);
      const planted = cacheFile(key, good, Date.now());
      fs.writeFileSync(path.join(dir, FILE), planted);
      const problems: string[] = [];
      const cache = new RegistryCache({ dir, onProblem: (p) => problems.push(p) });
      assert.equal(cache.getTag(key), undefined);
      cache.setTag('registry.example/app:2', good);
      await cache.flush();
      assert.equal(fs.readFileSync(path.join(dir, FILE), 'utf8'), planted, 'nothing written there');
      assert.match(problems.join('\n'), /open to other users \(mode 777\)/);
    });

    it('closes a folder of its own that others may only read, and uses it', () => {
      const dir = privateDir();
      fs.chmodSync(dir, 0o755);
      fs.writeFileSync(path.join(dir, FILE), cacheFile(key, good, Date.now() - 1000));
      assert.equal(new RegistryCache({ dir }).getTag(key), good);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    });

    it('neither reads nor writes through a link at the cache file name', async () => {
      const dir = privateDir();
      const victim = path.join(privateDir(), 'victim.json');
      const victimText = cacheFile(key, good, Date.now());
      fs.writeFileSync(victim, victimText);
      fs.symlinkSync(victim, path.join(dir, FILE));
      const cache = new RegistryCache({ dir });
      assert.equal(cache.getTag(key), undefined);
      cache.setTag('registry.example/app:2', good);
      await cache.flush();
      assert.equal(fs.readFileSync(victim, 'utf8'), victimText);
      assert.ok(fs.lstatSync(path.join(dir, FILE)).isFile(), 'the link was replaced by the cache file');
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
        [],
      );
    });
  });

  it('driftguard pin keeps its cache in $XDG_CACHE_HOME/driftguard, created private', async () => {
    const body = manifestBody('app');
    const registry = await startFakeRegistry({ repos: { app: { '1': body } } });
    try {
      const xdg = privateDir();
      const root = tempTree({ Dockerfile: `FROM ${registry.host}/app:1\n` });
      const r = await runCli(['pin', 'Dockerfile'], { cwd: root, env: { XDG_CACHE_HOME: xdg } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const dir = path.join(xdg, 'driftguard');
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(dir, FILE)).mode & 0o777, 0o600);
      const saved = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8')) as {
        tags: Record<string, { digest: string }>;
      };
      assert.equal(saved.tags[`${registry.host}/app:1`]?.digest, sha256Of(body));
    } finally {
      await registry.stop();
    }
  });
});
