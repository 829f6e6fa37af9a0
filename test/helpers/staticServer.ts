/**
 * A static file server on loopback, serving a folder the way package mirrors and simple indices
 * do: files by path, `index.html` / `index.json` for folders (by the Accept header, as a PEP 691
 * index negotiates), with request counting so tests can tell what was fetched.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  url: string;
  host: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.html': 'text/html',
  '.gz': 'application/gzip',
  '.xz': 'application/x-xz',
};

export async function serveFolder(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(pathname);
    let file = path.join(root, pathname);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    let type: string | undefined;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      const json = path.join(file, 'index.json');
      const html = path.join(file, 'index.html');
      const wantsJson = /application\/vnd\.pypi\.simple\.v1\+json/.test(req.headers.accept ?? '');
      if (wantsJson && fs.existsSync(json)) {
        file = json;
        type = 'application/vnd.pypi.simple.v1+json';
      } else if (fs.existsSync(html)) {
        file = html;
        type = 'text/html';
      } else if (fs.existsSync(json)) {
        file = json;
      } else return void res.writeHead(404).end();
    }
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      'Content-Type': type ?? TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // Clients keep connections alive; the server never closes an idle one first (no reset races).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
