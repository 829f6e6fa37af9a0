/**
 * Package indices in their real formats, laid out as their servers serve them, for loopback
 * servers: an Ubuntu-style archive (xz-compressed Packages in several components, Release with
 * SHA256), Alpine's APKINDEX.tar.gz (signature segment + index, two gzip streams), a PEP 691 JSON and
 * a PEP 503 HTML simple index, npm packuments (abbreviated form) and RubyGems' compact index.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

function write(root: string, rel: string, content: string | Buffer): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function xz(data: Buffer): Buffer {
  const r = spawnSync('xz', ['-z', '-c', '-6'], { input: data, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`xz failed (Debian package xz-utils): ${r.stderr.toString()}`);
  return r.stdout;
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A `Packages` stanza as dpkg-scanpackages writes it (fields trimmed to the usual ones). */
export function stanza(name: string, version: string, arch: string): string {
  return [
    `Package: ${name}`,
    `Source: ${name}`,
    `Version: ${version}`,
    `Installed-Size: 123`,
    `Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>`,
    `Architecture: ${arch}`,
    `Depends: libc6 (>= 2.34)`,
    `Description: ${name} package`,
    ` A longer description line.`,
    ` .`,
    ` Second paragraph.`,
    `Filename: pool/main/${name[0]}/${name}/${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`,
    `Size: 4567`,
    `SHA256: ${sha256(name + version + arch)}`,
    '',
  ].join('\n');
}

/** A Debian-format suite: Packages.xz per component/architecture and a Release listing their SHA256. */
export function writeSuite(
  root: string,
  base: string,
  suite: string,
  indices: Record<string, string>,
  options: { date?: string; compression?: 'xz' | 'gz' } = {},
): void {
  const lines: string[] = [];
  for (const [dir, text] of Object.entries(indices)) {
    const plain = Buffer.from(text);
    const compressed = options.compression === 'gz' ? gzipSync(plain) : xz(plain);
    const name = `${dir}/Packages.${options.compression ?? 'xz'}`;
    write(root, `${base}/dists/${suite}/${name}`, compressed);
    lines.push(` ${sha256(compressed)} ${String(compressed.length).padStart(8)} ${name}`);
    lines.push(` ${sha256(plain)} ${String(plain.length).padStart(8)} ${dir}/Packages`);
  }
  const components = [...new Set(Object.keys(indices).map((d) => d.split('/')[0]))];
  write(
    root,
    `${base}/dists/${suite}/Release`,
    [
      'Origin: Ubuntu',
      'Label: Ubuntu',
      `Suite: ${suite}`,
      `Codename: ${suite.split('-')[0]}`,
      `Date: ${options.date ?? 'Thu, 25 Apr 2024 15:10:33 UTC'}`,
      'Architectures: amd64 arm64 i386',
      `Components: ${components.join(' ')}`,
      'Description: Ubuntu',
      'SHA256:',
      ...lines,
      '',
    ].join('\n'),
  );
}

/** ustar entries, optionally without the end-of-archive blocks (as the signature segment is). */
export function tar(entries: Array<[string, Buffer | string]>, endBlocks = true): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of entries) {
    const body = Buffer.from(content);
    const h = Buffer.alloc(512, 0);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (endBlocks) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** An APKINDEX record as apk index writes it. */
export function apkRecord(name: string, version: string, arch: string): string {
  return [
    `C:Q1${createHash('sha1')
      .update(name + version)
      .digest('base64')}`,
    `P:${name}`,
    `V:${version}`,
    `A:${arch}`,
    'S:123456',
    'I:456789',
    `T:${name} package`,
    'U:https://example.invalid/',
    'L:MIT',
    `o:${name}`,
    'm:Natanael Copa <ncopa@alpinelinux.org>',
    't:1718000000',
    'c:0123456789abcdef0123456789abcdef01234567',
    'D:so:libc.musl-x86_64.so.1',
    `p:cmd:${name}=${version}`,
    '',
  ].join('\n');
}

/** APKINDEX.tar.gz: gzip(signature tar segment) + gzip(tar of DESCRIPTION and APKINDEX). */
export function apkIndexArchive(records: string[], description = 'v3.20.3-0-g0000000'): Buffer {
  const signature = gzipSync(
    tar([['.SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub', Buffer.alloc(512, 7)]], false),
  );
  const index = gzipSync(
    tar([
      ['DESCRIPTION', description],
      ['APKINDEX', records.join('\n')],
    ]),
  );
  return Buffer.concat([signature, index]);
}

export interface IndexTree {
  root: string;
}

/** The standard fixture tree; versions chosen so the right answer differs from naive ones. */
export function writePackageIndices(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-indices-'));
  // Ubuntu noble: curl in main (security has the newest), jq in universe only, an epoch in updates.
  writeSuite(root, 'ubuntu', 'noble', {
    'main/binary-amd64':
      stanza('curl', '8.5.0-2ubuntu10', 'amd64') +
      '\n' +
      stanza('tzdata', '2024a-2ubuntu1', 'all') +
      '\n' +
      stanza('vim', '2:9.1.0016-1ubuntu7', 'amd64'),
    'universe/binary-amd64': stanza('jq', '1.7.1-3build1', 'amd64'),
    'restricted/binary-amd64': '',
    'multiverse/binary-amd64': '',
  });
  writeSuite(root, 'ubuntu', 'noble-updates', {
    'main/binary-amd64':
      stanza('curl', '8.5.0-2ubuntu10.4', 'amd64') + '\n' + stanza('vim', '2:9.1.0016-1ubuntu7.8', 'amd64'),
    'universe/binary-amd64': '',
    'restricted/binary-amd64': '',
    'multiverse/binary-amd64': '',
  });
  writeSuite(root, 'ubuntu-security', 'noble-security', {
    'main/binary-amd64':
      stanza('curl', '8.5.0-2ubuntu10.6', 'amd64') + '\n' + stanza('curl', '8.5.0-2ubuntu10.5', 'amd64'),
    'universe/binary-amd64': '',
    'restricted/binary-amd64': '',
    'multiverse/binary-amd64': '',
  });
  writeSuite(root, 'ubuntu-ports', 'noble', { 'main/binary-arm64': stanza('curl', '8.5.0-2ubuntu10', 'arm64') });
  // Alpine v3.20: different builds per architecture.
  write(
    root,
    'alpine/v3.20/main/x86_64/APKINDEX.tar.gz',
    apkIndexArchive([
      apkRecord('curl', '8.9.1-r0', 'x86_64'),
      apkRecord('curl', '8.9.1-r1', 'x86_64'),
      apkRecord('ca-certificates', '20240705-r0', 'x86_64'),
    ]),
  );
  write(
    root,
    'alpine/v3.20/community/x86_64/APKINDEX.tar.gz',
    apkIndexArchive([apkRecord('jq', '1.7.1-r0', 'x86_64'), apkRecord('py3-pip', '24.0-r2', 'noarch')]),
  );
  write(root, 'alpine/v3.20/main/aarch64/APKINDEX.tar.gz', apkIndexArchive([apkRecord('curl', '8.9.0-r0', 'aarch64')]));
  write(
    root,
    'alpine/v3.20/community/aarch64/APKINDEX.tar.gz',
    apkIndexArchive([apkRecord('jq', '1.7.1-r0', 'aarch64')]),
  );
  // PyPI: requests as JSON (PEP 691), flask as HTML only (PEP 503). Newest files are yanked or pre-releases.
  write(
    root,
    'pypi/simple/requests/index.json',
    JSON.stringify({
      meta: { 'api-version': '1.1' },
      name: 'requests',
      versions: ['2.31.0', '2.32.0', '2.32.3', '2.33.0rc1', '2.32.4'],
      files: [
        { filename: 'requests-2.31.0-py3-none-any.whl', url: 'x', hashes: {}, yanked: false },
        {
          filename: 'requests-2.32.0.tar.gz',
          url: 'x',
          hashes: {},
          yanked: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
        },
        { filename: 'requests-2.32.3-py3-none-any.whl', url: 'x', hashes: {}, 'requires-python': '>=3.8' },
        { filename: 'requests-2.32.3.tar.gz', url: 'x', hashes: {} },
        { filename: 'requests-2.33.0rc1-py3-none-any.whl', url: 'x', hashes: {} },
        { filename: 'requests-2.32.4.tar.gz', url: 'x', hashes: {}, yanked: true },
      ],
    }),
  );
  write(
    root,
    'pypi/simple/requests/index.html',
    '<!DOCTYPE html><html><body><a href="x">requests-2.0.0.tar.gz</a></body></html>',
  );
  write(
    root,
    'pypi/simple/flask/index.html',
    [
      '<!DOCTYPE html>',
      '<html><head><meta name="pypi:repository-version" content="1.1"><title>Links for flask</title></head>',
      '<body><h1>Links for flask</h1>',
      '<a href="https://files.example/flask-2.3.3-py3-none-any.whl#sha256=aa" data-requires-python="&gt;=3.8" >' +
        'flask-2.3.3-py3-none-any.whl</a><br />',
      '<a href="https://files.example/Flask-3.0.3.tar.gz#sha256=bb" data-requires-python="&gt;=3.8" >' +
        'Flask-3.0.3.tar.gz</a><br />',
      '<a href="https://files.example/flask-3.1.0-py3-none-any.whl#sha256=cc" data-requires-python="&gt;=3.9" ' +
        'data-yanked="broken wheel" >flask-3.1.0-py3-none-any.whl</a><br />',
      '<a href="https://files.example/flask-3.1.0.dev1.tar.gz#sha256=dd" >flask-3.1.0.dev1.tar.gz</a><br />',
      '</body></html>',
    ].join('\n'),
  );
  // numpy: each newer release needs a newer Python (Requires-Python), as on PyPI.
  write(
    root,
    'pypi/simple/numpy/index.json',
    JSON.stringify({
      meta: { 'api-version': '1.1' },
      name: 'numpy',
      files: [
        { filename: 'numpy-1.24.4.tar.gz', url: 'x', hashes: {}, 'requires-python': '>=3.8' },
        { filename: 'numpy-2.0.2.tar.gz', url: 'x', hashes: {}, 'requires-python': '>=3.9' },
        {
          filename: 'numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl',
          url: 'x',
          hashes: {},
          'requires-python': '>=3.10',
        },
        { filename: 'numpy-2.1.3.tar.gz', url: 'x', hashes: {}, 'requires-python': '>=3.10' },
      ],
    }),
  );
  // npm: abbreviated packuments, one scoped.
  const packument = (name: string, latest: string, versions: string[]) =>
    JSON.stringify({
      name,
      'dist-tags': { latest, next: versions[versions.length - 1] },
      modified: '2024-10-01T00:00:00.000Z',
      versions: Object.fromEntries(
        versions.map((v) => [
          v,
          { name, version: v, dist: { shasum: 'x', tarball: `http://x/${name}/-/${name}-${v}.tgz` } },
        ]),
      ),
    });
  write(root, 'npm/typescript', packument('typescript', '5.6.3', ['5.5.4', '5.6.3', '5.7.0-beta']));
  write(root, 'npm/@types/node', packument('@types/node', '22.7.5', ['20.0.0', '22.7.5']));
  // RubyGems compact index: a prerelease and a java-only build newer than the release.
  write(
    root,
    'rubygems/info/rails',
    [
      '---',
      '7.1.3 actionpack:= 7.1.3|checksum:aa,ruby:>= 2.7.0',
      '7.2.1 actionpack:= 7.2.1|checksum:bb,ruby:>= 3.1.0',
      '8.0.0.beta1 actionpack:= 8.0.0.beta1|checksum:cc',
      '',
    ].join('\n'),
  );
  write(
    root,
    'rubygems/info/puma',
    [
      '---',
      '6.4.2 nio4r:~> 2.0|checksum:dd',
      '6.4.3-java nio4r:~> 2.0|checksum:ee',
      '6.4.3 nio4r:~> 2.0|checksum:ff',
      '6.5.0-java |checksum:gg',
      '',
    ].join('\n'),
  );
  return root;
}
