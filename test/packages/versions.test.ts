import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { Fetcher } from '../../server/src/packages/fetcher';
import { mirrorsFrom } from '../../server/src/packages/mirrors';
import { PackageVersions, VersionAnswer } from '../../server/src/packages/versions';
import { aptCandidates, debianMirrorFromAptLists } from '../helpers/debianMirror';
import { serveFolder, StaticServer } from '../helpers/staticServer';
import { writePackageIndices } from '../helpers/packageIndices';

const version = (answer: VersionAnswer | undefined): string =>
  answer && 'version' in answer ? `${answer.version} (${answer.source})` : `unresolved: ${answer?.reason}`;

describe('package versions from archives and indices on loopback', () => {
  let debian: StaticServer;
  let indices: StaticServer;
  let indicesRoot: string;
  let fetcher: Fetcher;
  const mirror = () => debianMirrorFromAptLists();

  before(async function () {
    this.timeout(300_000);
    debian = await serveFolder(mirror().root);
    indicesRoot = writePackageIndices();
    indices = await serveFolder(indicesRoot);
    fetcher = new Fetcher({ retries: 0 });
  });
  after(async () => {
    fetcher.close();
    await debian.close();
    await indices.close();
    fs.rmSync(indicesRoot, { recursive: true, force: true });
  });

  const versions = () =>
    new PackageVersions(
      fetcher,
      mirrorsFrom({
        debian: `${debian.url}/debian`,
        'debian-security': `${debian.url}/debian-security`,
        ubuntu: `${indices.url}/ubuntu`,
        'ubuntu-security': `${indices.url}/ubuntu-security`,
        'ubuntu-ports': `${indices.url}/ubuntu-ports`,
        alpine: `${indices.url}/alpine`,
        pypi: `${indices.url}/pypi/simple`,
        npm: `${indices.url}/npm`,
        rubygems: `${indices.url}/rubygems`,
      }),
    );

  it("Debian: apt's own candidate (apt-cache policy), across the release, -updates, -security", async function () {
    this.timeout(120_000);
    const names = [
      'curl',
      'git',
      'openssl',
      'libc6',
      'tzdata',
      'ca-certificates',
      'bash',
      'vim',
      'python3',
      'perl',
      'libssl3',
      'systemd',
    ];
    const { codename, architecture } = mirror();
    const found = await versions().osVersions({ family: 'debian', codename }, `linux/${architecture}`, names);
    const sources = new Set<string>();
    const apt = aptCandidates(names);
    for (const name of names) {
      const answer = found.get(name);
      assert.ok(answer && 'version' in answer, `${name}: ${version(answer)}`);
      assert.equal(answer.version, apt.get(name), `${name} (from ${answer.source})`);
      sources.add(answer.source);
    }
    // The lists are today's: at least one of these comes from a suite other than the release itself.
    assert.ok(sources.has(codename) && sources.size > 1, [...sources].join(', '));
    const missing =
      found.get('no-such-package-here') ??
      (await versions().osVersions({ family: 'debian', codename }, 'linux/amd64', ['no-such-package-here'])).get(
        'no-such-package-here',
      );
    assert.match(version(missing), /unresolved: no-such-package-here is not a amd64 package of Debian/);
  });

  it('Debian: each index is downloaded once per session; a suite not on the mirror says so', async function () {
    this.timeout(120_000);
    const service = versions();
    const { codename, architecture } = mirror();
    const before = debian.requests.length;
    await service.osVersions({ family: 'debian', codename }, `linux/${architecture}`, ['curl']);
    await service.osVersions({ family: 'debian', codename }, `linux/${architecture}`, ['git', 'vim']);
    const fetched = debian.requests.slice(before);
    assert.equal(fetched.filter((p) => /Packages\.(gz|xz)$/.test(p)).length, 3, fetched.join('\n'));
    await assert.rejects(
      service.osVersions({ family: 'debian', codename: 'buster' }, 'linux/amd64', ['curl']),
      /Debian buster is not on 127\.0\.0\.1/,
    );
  });

  it('Debian: an index that does not match its Release SHA256 is refused', async function () {
    this.timeout(120_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-tampered-'));
    const { codename, architecture } = mirror();
    fs.cpSync(
      path.join(mirror().root, 'debian', 'dists', codename, 'InRelease'),
      path.join(root, 'debian/dists', codename, 'InRelease'),
    );
    const dir = path.join(root, 'debian/dists', codename, 'main', `binary-${architecture}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(dir + '/Packages.gz', gzipSync('Package: curl\nVersion: 99.0\nArchitecture: amd64\n\n'));
    const server = await serveFolder(root);
    try {
      const service = new PackageVersions(
        fetcher,
        mirrorsFrom({ debian: `${server.url}/debian`, 'debian-security': `${server.url}/debian-security` }),
      );
      await assert.rejects(
        service.osVersions({ family: 'debian', codename }, `linux/${architecture}`, ['curl']),
        /does not match the SHA256 of its Release file/,
      );
    } finally {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('Ubuntu: xz indices, main then universe, security wins, ports for arm64', async () => {
    const service = versions();
    const found = await service.osVersions({ family: 'ubuntu', codename: 'noble' }, 'linux/amd64', [
      'curl',
      'jq',
      'vim',
      'tzdata',
      'nope',
    ]);
    assert.deepEqual(
      ['curl', 'jq', 'vim', 'tzdata', 'nope'].map((n) => version(found.get(n))),
      [
        '8.5.0-2ubuntu10.6 (noble-security)',
        '1.7.1-3build1 (noble)',
        '2:9.1.0016-1ubuntu7.8 (noble-updates)',
        '2024a-2ubuntu1 (noble)',
        'unresolved: nope is not a amd64 package of Ubuntu noble (main, restricted, universe, multiverse): ' +
          'a virtual package, a typo, or from a repository the image adds',
      ],
    );
    const arm = await service.osVersions({ family: 'ubuntu', codename: 'noble' }, 'linux/arm64', ['curl']);
    assert.equal(version(arm.get('curl')), '8.5.0-2ubuntu10 (noble)');
  });

  it('Alpine: main and community, per architecture', async () => {
    const service = versions();
    const amd = await service.osVersions({ family: 'alpine', branch: 'v3.20' }, 'linux/amd64', [
      'curl',
      'jq',
      'py3-pip',
      'nope',
    ]);
    assert.deepEqual(
      ['curl', 'jq', 'py3-pip', 'nope'].map((n) => version(amd.get(n))),
      [
        '8.9.1-r1 (v3.20/main)',
        '1.7.1-r0 (v3.20/community)',
        '24.0-r2 (v3.20/community)',
        'unresolved: nope is not an x86_64 package of Alpine v3.20 (main, community)',
      ],
    );
    const arm = await service.osVersions({ family: 'alpine', branch: 'v3.20' }, 'linux/arm64/v8', ['curl']);
    assert.equal(version(arm.get('curl')), '8.9.0-r0 (v3.20/main)');
  });

  it('PyPI: JSON when the index offers it (PEP 691), HTML otherwise (PEP 503)', async () => {
    const service = versions();
    const index = `${indices.url}/pypi/simple`;
    assert.equal((await service.pypi(index, 'Requests')).version, '2.32.3');
    assert.equal((await service.pypi(index, 'flask')).version, '3.0.3');
    await assert.rejects(service.pypi(index, 'nope'), /not found/);
  });

  it('npm and RubyGems', async () => {
    const service = versions();
    assert.equal((await service.npm(`${indices.url}/npm`, 'typescript')).version, '5.6.3');
    assert.equal((await service.npm(`${indices.url}/npm`, '@types/node')).version, '22.7.5');
    assert.equal((await service.gem(`${indices.url}/rubygems`, 'rails')).version, '7.2.1');
    assert.equal((await service.gem(`${indices.url}/rubygems`, 'puma')).version, '6.4.3');
  });

  it('refuses plain HTTP to a mirror that is not loopback', async () => {
    const service = new PackageVersions(fetcher, mirrorsFrom({ pypi: 'http://pypi.internal.invalid/simple' }));
    await assert.rejects(service.pypi('http://pypi.internal.invalid/simple', 'requests'), /refusing plain HTTP/);
  });
});
