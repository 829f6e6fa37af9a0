/**
 * A registry double served from memory on loopback, for tests of what a hostile or broken
 * registry can do: each repository maps tags to manifest bodies; `handle` answers first.
 */
import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import { startFront, type FrontHandler, type FrontServer } from './registryDoubles';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export function sha256Of(body: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(body).digest('hex');
}

/** A small single-platform OCI manifest, different for every seed. */
export function manifestBody(seed: string): Buffer {
  const config = sha256Of(`config ${seed}`);
  return Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: config, size: 2 } }),
  );
}

export interface FakeRegistryOptions {
  /** repository → tag → manifest body. */
  repos: Record<string, Record<string, Buffer>>;
  bind?: string;
  handle?: FrontHandler;
}

function serveManifest(res: http.ServerResponse, method: string, body: Buffer): void {
  res.writeHead(200, {
    'Content-Type': OCI_MANIFEST,
    'Docker-Content-Digest': sha256Of(body),
    'Content-Length': String(body.length),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/** `handle` answers first; its `forward()` serves the request from `repos`. */
export function startFakeRegistry(options: FakeRegistryOptions): Promise<FrontServer> {
  const serve = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const tags = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (tags && options.repos[tags[1]!]) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ name: tags[1], tags: Object.keys(options.repos[tags[1]!]!) }));
      return;
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const repo = m ? options.repos[m[1]!] : undefined;
    const ref = m ? decodeURIComponent(m[2]!) : '';
    const body = repo?.[ref] ?? Object.values(repo ?? {}).find((b) => sha256Of(b) === ref);
    if (body) {
      serveManifest(res, req.method ?? 'GET', body);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
  };
  return startFront({
    ...(options.bind ? { bind: options.bind } : {}),
    handle: (req, res) => {
      if (!options.handle?.(req, res, () => serve(req, res))) serve(req, res);
      return true;
    },
  });
}
