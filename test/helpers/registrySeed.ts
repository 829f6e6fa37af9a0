/**
 * Seeds a registry with deterministic synthetic images over the Registry HTTP API v2
 * (blob upload: HEAD, POST, PUT ?digest=; manifests by digest, then the index under tags).
 * Ported from the shared recipe so the project owns it.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { gzipSync } from 'node:zlib';

export const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export const sha256 = (buf: Buffer): string => 'sha256:' + createHash('sha256').update(buf).digest('hex');

type Format = 'docker' | 'oci';

export interface Image {
  platform: { os: string; architecture: string; variant?: string };
  blobs: Buffer[];
  manifest: Buffer;
  manifestType: string;
  digest: string;
  configDigest: string;
}

export interface Index {
  index: Buffer;
  mediaType: string;
  digest: string;
}

/** Minimal deterministic ustar archive with one regular file. */
function tarOneFile(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const h = Buffer.alloc(512, 0);
  const put = (str: string, off: number, len: number): void => {
    h.write(str, off, len, 'ascii');
  };
  const oct = (n: number, len: number): string => n.toString(8).padStart(len - 1, '0') + '\0';
  put(name, 0, 100);
  put(oct(0o644, 8), 100, 8);
  put(oct(0, 8), 108, 8);
  put(oct(0, 8), 116, 8);
  put(oct(body.length, 12), 124, 12);
  put(oct(0, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512, 0);
  return Buffer.concat([h, body, pad, Buffer.alloc(1024, 0)]);
}

export function makeImage(opts: {
  version: string;
  architecture: string;
  os?: string;
  variant?: string;
  format?: Format;
  created?: string;
  /** `created_by` of the config's history entries (default: one synthetic layer). */
  history?: string[];
  labels?: Record<string, string>;
}): Image {
  const os = opts.os ?? 'linux';
  const format = opts.format ?? 'docker';
  const created = opts.created ?? '2023-11-01T00:00:00Z';
  const variant = opts.variant;
  const tar = tarOneFile(
    'etc/image-release',
    `version=${opts.version}\nplatform=${os}/${opts.architecture}${variant ? '/' + variant : ''}\n`,
  );
  const layer = gzipSync(tar);
  const cfg = {
    architecture: opts.architecture,
    os,
    ...(variant ? { variant } : {}),
    created,
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `APP_VERSION=${opts.version}`],
      Cmd: ['app'],
      ...(opts.labels ? { Labels: opts.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    history: (opts.history ?? ['synthetic layer']).map((createdBy) => ({ created, created_by: createdBy })),
  };
  const config = Buffer.from(JSON.stringify(cfg));
  const oci = format === 'oci';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: oci ? MT.ociManifest : MT.dockerManifest,
      config: { mediaType: oci ? MT.ociConfig : MT.dockerConfig, size: config.length, digest: sha256(config) },
      layers: [{ mediaType: oci ? MT.ociLayer : MT.dockerLayer, size: layer.length, digest: sha256(layer) }],
    }),
  );
  return {
    platform: { architecture: opts.architecture, os, ...(variant ? { variant } : {}) },
    blobs: [config, layer],
    manifest,
    manifestType: oci ? MT.ociManifest : MT.dockerManifest,
    digest: sha256(manifest),
    configDigest: sha256(config),
  };
}

export function makeIndex(images: Image[], format: Format = 'docker'): Index {
  const mediaType = format === 'oci' ? MT.ociIndex : MT.dockerList;
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map((im) => ({
        mediaType: im.manifestType,
        size: im.manifest.length,
        digest: im.digest,
        platform: im.platform,
      })),
    }),
  );
  return { index, mediaType, digest: sha256(index) };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Anonymous pusher over plain HTTP (seed a no-auth registry; others can share its storage). */
export class Seeder {
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly base: string) {}

  request(method: string, pathOrUrl: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> {
    const url = new URL(pathOrUrl, this.base);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method, headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async pushBlob(repo: string, buf: Buffer): Promise<string> {
    const digest = sha256(buf);
    let r = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`);
    if (r.status === 200) return digest;
    r = await this.request('POST', `/v2/${repo}/blobs/uploads/`);
    if (r.status !== 202) throw new Error(`POST upload ${r.status} ${r.body.toString()}`);
    const location = new URL(String(r.headers.location), this.base);
    location.searchParams.set('digest', digest);
    r = await this.request('PUT', location.toString(), { 'Content-Type': 'application/octet-stream' }, buf);
    if (r.status !== 201) throw new Error(`PUT blob ${r.status} ${r.body.toString()}`);
    return digest;
  }

  async putManifest(repo: string, ref: string, buf: Buffer, mediaType: string): Promise<string> {
    const r = await this.request('PUT', `/v2/${repo}/manifests/${ref}`, { 'Content-Type': mediaType }, buf);
    if (r.status !== 201) throw new Error(`PUT manifest ${repo}:${ref} ${r.status} ${r.body.toString()}`);
    return String(r.headers['docker-content-digest']);
  }

  async pushMultiArch(
    repo: string,
    version: string,
    tags: string[],
    format: Format = 'docker',
  ): Promise<{ index: Index; images: Image[] }> {
    const images = [
      makeImage({ version, architecture: 'amd64', format }),
      makeImage({ version, architecture: 'arm64', variant: 'v8', format, created: '2023-11-02T00:00:00Z' }),
    ];
    for (const im of images) {
      for (const b of im.blobs) await this.pushBlob(repo, b);
      await this.putManifest(repo, im.digest, im.manifest, im.manifestType);
    }
    const index = makeIndex(images, format);
    for (const t of tags) {
      const d = await this.putManifest(repo, t, index.index, index.mediaType);
      if (d !== index.digest) throw new Error(`digest mismatch ${d} vs ${index.digest}`);
    }
    return { index, images };
  }

  /** Pushes ready-made platform images under one index (or alone when there is one) and tags it. */
  async pushImages(repo: string, images: Image[], tags: string[]): Promise<string> {
    for (const im of images) {
      for (const b of im.blobs) await this.pushBlob(repo, b);
      await this.putManifest(repo, im.digest, im.manifest, im.manifestType);
    }
    if (images.length === 1) {
      for (const t of tags) await this.putManifest(repo, t, images[0]!.manifest, images[0]!.manifestType);
      return images[0]!.digest;
    }
    const index = makeIndex(images);
    for (const t of tags) await this.putManifest(repo, t, index.index, index.mediaType);
    return index.digest;
  }

  async pushSingle(repo: string, version: string, tags: string[], format: Format = 'docker'): Promise<Image> {
    const im = makeImage({ version, architecture: 'amd64', format, created: '2024-01-15T12:00:00Z' });
    for (const b of im.blobs) await this.pushBlob(repo, b);
    for (const t of tags) await this.putManifest(repo, t, im.manifest, im.manifestType);
    return im;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Digests of the standard test plan. */
export interface SeededPlan {
  /** library/nginx 1.25.3, 1.25, 1, latest, mainline: Docker manifest list (amd64 + arm64/v8). */
  nginxMainline: { index: Index; images: Image[] };
  /** library/nginx 1.24.0, 1.24, stable: Docker manifest list. */
  nginxStable: { index: Index; images: Image[] };
  /** library/nginx 1.25.3-oci: OCI index. */
  nginxOci: { index: Index; images: Image[] };
  /** library/nginx 1.25.3-alpine, 1.25-alpine, alpine: single schema2 manifest. */
  nginxAlpine: Image;
  /** library/alpine 3.19.0, 3.19, 3, latest: single schema2 manifest. */
  alpine: Image;
  /** library/busybox 1.36.1, latest: single OCI manifest. */
  busybox: Image;
  /** library/solo latest, edge: no version tags. */
  solo: Image;
}

export async function seedStandardPlan(base: string): Promise<SeededPlan> {
  const s = new Seeder(base);
  try {
    return {
      nginxMainline: await s.pushMultiArch('library/nginx', '1.25.3', ['1.25.3', '1.25', '1', 'latest', 'mainline']),
      nginxStable: await s.pushMultiArch('library/nginx', '1.24.0', ['1.24.0', '1.24', 'stable']),
      nginxOci: await s.pushMultiArch('library/nginx', '1.25.3-oci', ['1.25.3-oci'], 'oci'),
      nginxAlpine: await s.pushSingle('library/nginx', '1.25.3-alpine', ['1.25.3-alpine', '1.25-alpine', 'alpine']),
      alpine: await s.pushSingle('library/alpine', '3.19.0', ['3.19.0', '3.19', '3', 'latest']),
      busybox: await s.pushSingle('library/busybox', '1.36.1', ['1.36.1', 'latest'], 'oci'),
      solo: await s.pushSingle('library/solo', 'solo', ['latest', 'edge']),
    };
  } finally {
    s.close();
  }
}
