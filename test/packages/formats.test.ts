import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compareDebianVersions } from '../../server/src/packages/dpkgVersion';
import { parseRelease } from '../../server/src/packages/debian/release';
import { PackagesIndexReader } from '../../server/src/packages/debian/packagesIndex';
import { streamText } from '../../server/src/packages/decompress';
import { compareApkVersions, withoutRelease } from '../../server/src/packages/alpine/apkVersion';
import { parseApkIndexArchive } from '../../server/src/packages/alpine/apkIndex';
import { newestRelease, parseHtmlPage, parseJsonPage } from '../../server/src/packages/python/simpleIndex';
import { requiresPythonAdmits } from '../../server/src/packages/python/requiresPython';
import { latestOfPackument, npmPackageName, packumentPath } from '../../server/src/packages/npm/packument';
import { newestGemVersion } from '../../server/src/packages/ruby/compactIndex';
import { apkIndexArchive, apkRecord, stanza, xz } from '../helpers/packageIndices';
import { debianMirrorFromAptLists } from '../helpers/debianMirror';

describe('package index formats', () => {
  before(function () {
    // The mirror is laid out once per run from the apt lists (decompressing and recompressing ~100 MB).
    this.timeout(300_000);
    debianMirrorFromAptLists();
  });

  describe('dpkg version ordering', () => {
    it('orders epochs, ~, letters and digit runs as deb-version(7) says', () => {
      const ascending = [
        '1.0~rc1',
        '1.0~rc1+b1',
        '1.0',
        '1.0-1',
        '1.0-1+deb12u5',
        '1.0-1+deb12u12',
        '1.0a',
        '1.0+dfsg',
        '1.00.1',
        '2.0',
        '1:0.1',
        '2:0.0~',
      ];
      for (let i = 0; i + 1 < ascending.length; i++) {
        assert.equal(
          compareDebianVersions(ascending[i]!, ascending[i + 1]!),
          -1,
          `${ascending[i]} < ${ascending[i + 1]}`,
        );
        assert.equal(compareDebianVersions(ascending[i + 1]!, ascending[i]!), 1);
      }
      assert.equal(compareDebianVersions('1.0-1', '0:1.0-1'), 0);
      assert.equal(compareDebianVersions('1.0', '1.0-0'), 0);
    });

    it('agrees with dpkg --compare-versions on versions from the real archive', function () {
      this.timeout(180_000);
      const mirror = debianMirrorFromAptLists();
      const text = gunzipSync(
        fs.readFileSync(
          `${mirror.root}/debian/dists/${mirror.codename}/main/binary-${mirror.architecture}/Packages.gz`,
        ),
      ).toString('utf8');
      const versions = [...text.matchAll(/^Version: (.+)$/gm)].map((m) => m[1]!);
      // A fixed stride through the archive: epochs, ~, +dfsg, +b1 and plain versions all occur.
      const sample = versions.filter((_, i) => i % Math.floor(versions.length / 80) === 0).slice(0, 80);
      sample.push(
        '1:2.39.5-0+deb12u2',
        '2.39.5-0+deb12u2',
        '7.88.1-10+deb12u12',
        '7.88.1-10+deb12u5',
        '1.0~beta',
        '1.0',
      );
      const pairs = sample.map((a, i) => [a, sample[(i * 7 + 3) % sample.length]!] as const);
      // One shell runs dpkg for every pair and prints -1, 0 or 1 per line.
      const script = pairs
        .map(
          ([a, b]) =>
            `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; ` +
            `elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`,
        )
        .join('\n');
      const out = spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout.trim().split('\n').map(Number);
      assert.equal(out.length, pairs.length);
      pairs.forEach(([a, b], i) => assert.equal(compareDebianVersions(a, b), out[i], `${a} vs ${b}`));
    });
  });

  describe('Debian archive files', () => {
    it('reads the real InRelease files of this machine: date, suite, SHA256 list', () => {
      const mirror = debianMirrorFromAptLists();
      const release = parseRelease(fs.readFileSync(`${mirror.root}/debian/dists/${mirror.codename}/InRelease`, 'utf8'));
      assert.equal(release.codename, mirror.codename);
      assert.match(release.date, /\d{4} \d\d:\d\d:\d\d UTC$/);
      assert.ok(release.components.includes('main'));
      const entry = release.sha256.get(`main/binary-${mirror.architecture}/Packages`);
      assert.ok(entry && /^[0-9a-f]{64}$/.test(entry.hash) && entry.size > 1_000_000);
    });

    it('removes dash-escaping from a signed Release and refuses one without a SHA256 list', () => {
      const signed = [
        '-----BEGIN PGP SIGNED MESSAGE-----',
        'Hash: SHA512',
        '',
        'Suite: x',
        '- -Date: not a field',
        'Date: Mon, 01 Jan 2024 00:00:00 UTC',
        'SHA256:',
        ` ${'a'.repeat(64)} 10 main/binary-amd64/Packages`,
        '-----BEGIN PGP SIGNATURE-----',
        '',
        'iQIzBAEBCgAdFiEE',
        '-----END PGP SIGNATURE-----',
      ].join('\n');
      const release = parseRelease(signed);
      assert.equal(release.date, 'Mon, 01 Jan 2024 00:00:00 UTC');
      assert.equal(release.sha256.size, 1);
      assert.throws(() => parseRelease('Suite: x\nDate: y\n'), /SHA256/);
    });

    it('streams a Packages index in any chunks, keeping the newest version per package for the architecture', () => {
      const text =
        stanza('curl', '7.88.1-10+deb12u5', 'amd64') +
        '\n' +
        stanza('curl', '7.88.1-10+deb12u12', 'amd64') +
        '\n' +
        stanza('curl', '7.99.0-1', 'arm64') +
        '\n' +
        stanza('tzdata', '2024a-0+deb12u1', 'all') +
        '\r\n' +
        stanza('git', '1:2.39.5-0+deb12u2', 'amd64');
      for (const size of [1, 7, 64, text.length]) {
        const reader = new PackagesIndexReader('amd64', 'bookworm');
        for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
        const versions = reader.end();
        assert.deepEqual(
          [...versions].map(([n, v]) => `${n}=${v.version}`),
          ['curl=7.88.1-10+deb12u12', 'tzdata=2024a-0+deb12u1', 'git=1:2.39.5-0+deb12u2'],
          `chunks of ${size}`,
        );
      }
    });

    it('decompresses gzip and xz as streams, hashing the content, and stops a decompression bomb', async () => {
      const plain = Buffer.from(stanza('curl', '1.0-1', 'amd64').repeat(2000));
      const expected = createHash('sha256').update(plain).digest('hex');
      for (const [compression, body] of [
        ['gz', gzipSync(plain)],
        ['xz', xz(plain)],
      ] as const) {
        let text = '';
        const result = await streamText(body, compression, (t) => (text += t));
        assert.equal(result.sha256, expected, compression);
        assert.equal(text, plain.toString('utf8'));
      }
      const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
      await assert.rejects(
        streamText(bomb, 'gz', () => undefined, 1024 * 1024),
        /larger than/,
      );
      await assert.rejects(
        streamText(Buffer.from('not xz at all'), 'xz', () => undefined),
        /corrupt xz/,
      );
    });
  });

  describe('Alpine', () => {
    it('orders apk versions and writes the fuzzy pin without the package release', () => {
      const ascending = ['1.0_alpha1', '1.0_rc2', '1.0', '1.0-r1', '1.0_p1', '1.0a', '1.0.1', '1.10', '20240705-r0'];
      for (let i = 0; i + 1 < ascending.length; i++)
        assert.equal(compareApkVersions(ascending[i]!, ascending[i + 1]!), -1, `${ascending[i]} < ${ascending[i + 1]}`);
      assert.equal(withoutRelease('8.9.1-r1'), '8.9.1');
    });

    it('reads APKINDEX.tar.gz: the signature gzip stream, then the index, per architecture and noarch', () => {
      const archive = apkIndexArchive([
        apkRecord('curl', '8.9.1-r0', 'x86_64'),
        apkRecord('curl', '8.9.1-r1', 'x86_64'),
        apkRecord('curl', '8.10.0-r0', 'aarch64'),
        apkRecord('py3-pip', '24.0-r2', 'noarch'),
      ]);
      const versions = parseApkIndexArchive(archive, 'x86_64', 'v3.20/main');
      assert.deepEqual(
        [...versions].map(([n, v]) => `${n}=${v.version}`),
        ['curl=8.9.1-r1', 'py3-pip=24.0-r2'],
      );
      assert.throws(() => parseApkIndexArchive(Buffer.from('x'), 'x86_64', 'x'), /gzip/);
    });
  });

  describe('PyPI simple API', () => {
    it('PEP 691 JSON: the newest final release with a file not yanked', () => {
      const files = parseJsonPage(
        JSON.stringify({
          meta: { 'api-version': '1.1' },
          name: 'requests',
          files: [
            { filename: 'requests-2.31.0-py3-none-any.whl', yanked: false },
            { filename: 'requests-2.32.3.tar.gz' },
            { filename: 'requests-2.32.4.tar.gz', yanked: 'broken' },
            { filename: 'requests-2.33.0rc1-py3-none-any.whl' },
            { filename: 'requests-2.33.0.dev1.tar.gz' },
            { filename: 'requests-2.32.3.post1-py3-none-any.whl', yanked: true },
            { filename: 'requests-2.32.3.post1.tar.gz' },
          ],
        }),
      );
      assert.equal(newestRelease(files, 'requests')?.version.text, '2.32.3.post1');
    });

    it('PEP 503 HTML: entities, data-yanked and sdists named with another spelling', () => {
      const files = parseHtmlPage(
        '<a href="x" data-requires-python="&gt;=3.8">Flask-3.0.3.tar.gz</a>' +
          '<a data-yanked="" href="y">flask-3.1.0-py3-none-any.whl</a><a href="z">zope.interface-7.0.tar.gz</a>',
      );
      assert.equal(files[0]!.requiresPython, '>=3.8');
      assert.equal(files[1]!.yanked, true);
      assert.equal(newestRelease(files, 'flask')?.version.text, '3.0.3');
      assert.equal(newestRelease(files, 'zope-interface')?.version.text, '7.0');
    });
  });

  describe('Requires-Python', () => {
    const table: Array<[string, string, boolean]> = [
      ['>=3.8', '3.12', true],
      ['>=3.10', '3.9', false],
      ['>=3.10', '3.9.18', false],
      ['>=3.7,<3.11', '3.11', false],
      ['>=3.7, <3.11', '3.10.4', true],
      ['!=3.0.*,!=3.1.*,>=2.7', '3.1', false],
      ['!=3.0.*,!=3.1.*,>=2.7', '3.11', true],
      ['~=3.9', '3.12', true],
      ['~=3.9.1', '3.10', false],
      ['==3.*', '3.12', true],
      ['==3.11.*', '3.12.1', false],
      // Only major.minor known: a patch-level bound does not hold a pin back.
      ['>=3.12.1', '3.12', true],
      ['<3.12.1', '3.12', true],
      ['>=3.12.1', '3.12.0', false],
      ['>3.8', '3.8', true],
      ['===3.12.4', '3.12.4', true],
      // pip ignores what it cannot parse.
      ['>= three', '3.12', true],
      ['', '3.12', true],
    ];
    for (const [specifiers, python, admits] of table)
      it(`${JSON.stringify(specifiers)} ${admits ? 'admits' : 'excludes'} Python ${python}`, () =>
        assert.equal(requiresPythonAdmits(specifiers, python), admits));

    it('the newest release whose files admit the Python; the one passed over is named', () => {
      const files = parseJsonPage(
        JSON.stringify({
          files: [
            { filename: 'numpy-1.24.4.tar.gz', 'requires-python': '>=3.8' },
            { filename: 'numpy-2.0.2.tar.gz', 'requires-python': '>=3.9' },
            { filename: 'numpy-2.1.3.tar.gz', 'requires-python': '>=3.10' },
            { filename: 'numpy-2.2.0.tar.gz', 'requires-python': '>=3.8', yanked: true },
          ],
        }),
      );
      assert.equal(newestRelease(files, 'numpy')?.version.text, '2.1.3');
      assert.deepEqual(newestRelease(files, 'numpy', '3.12')?.needsOtherPython, undefined);
      const older = newestRelease(files, 'numpy', '3.9.18');
      assert.equal(older?.version.text, '2.0.2');
      assert.deepEqual(older?.needsOtherPython, { version: '2.1.3', requiresPython: '>=3.10' });
      assert.equal(newestRelease(files, 'numpy', '3.8')?.version.text, '1.24.4');
      assert.equal(newestRelease(files, 'numpy', '3.7'), undefined);
    });
  });

  describe('npm and RubyGems', () => {
    it('npm: dist-tags.latest of a packument, scoped names escaped as npm does', () => {
      assert.equal(
        latestOfPackument(
          JSON.stringify({ 'dist-tags': { latest: '5.6.3', next: '5.7.0-beta' }, versions: { '5.6.3': {} } }),
        ),
        '5.6.3',
      );
      assert.throws(
        () => latestOfPackument(JSON.stringify({ 'dist-tags': { latest: '9.9.9' }, versions: {} })),
        /not among/,
      );
      assert.equal(packumentPath('@types/node'), '@types%2Fnode');
      assert.equal(npmPackageName('@types/node'), '@types/node');
      assert.equal(npmPackageName('github:a/b'), undefined);
    });

    it('RubyGems compact index: the newest release for ruby or Linux, not prereleases or java builds', () => {
      assert.equal(
        newestGemVersion(
          '---\n7.1.3 a:= 1|checksum:x\n7.10.0 |checksum:y\n8.0.0.beta1 |checksum:z\n9.0.0-java |checksum:w\n',
        ),
        '7.10.0',
      );
      assert.equal(newestGemVersion('---\n1.16.0-x86_64-linux |checksum:x\n1.15.0 |checksum:y\n'), '1.16.0');
    });
  });
});
