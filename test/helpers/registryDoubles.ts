/**
 * Loopback test doubles around a real registry: a front server that records requests, can
 * inject faults, paginate tags/list (registry 2.8 has no pagination), and otherwise forwards to
 * the real registry; a TCP server that never answers; a CONNECT proxy.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** Return true when the request was answered (or will be); call `forward()` to pass it on. */
export type FrontHandler = (req: http.IncomingMessage, res: http.ServerResponse, forward: () => void) => boolean;

export interface FrontServer {
  /** `127.0.0.1:PORT` (or the bind address given). */
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** Replace the fault handler. */
  handle: FrontHandler | undefined;
  stop(): Promise<void>;
}

export interface FrontOptions {
  /** Real registry to forward to, e.g. `http://127.0.0.1:5000`. */
  upstream?: string;
  bind?: string;
  handle?: FrontHandler;
  /** Serve `GET /v2/<repo>/tags/list` in pages of this size with `Link` headers. */
  tagPageSize?: number;
}

function listen(server: net.Server, bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, bind, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function forwardTo(upstream: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const target = new URL(req.url ?? '/', upstream);
  const headers = { ...req.headers, host: target.host };
  const out = http.request(target, { method: req.method, headers, agent: false }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(out);
}

function fetchJson(
  upstream: string,
  path: string,
  headers: http.IncomingHttpHeaders,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, upstream);
    http
      .get(target, { headers: { ...headers, host: target.host }, agent: false }, (up) => {
        let body = '';
        up.setEncoding('utf8');
        up.on('data', (c: string) => (body += c));
        up.on('end', () => resolve({ status: up.statusCode ?? 0, headers: up.headers, body }));
      })
      .on('error', reject);
  });
}

async function paginate(
  upstream: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pageSize: number,
  repo: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const full = await fetchJson(upstream, `/v2/${repo}/tags/list`, req.headers);
  if (full.status !== 200) {
    res.writeHead(full.status, full.headers).end(full.body);
    return;
  }
  const tags = ((JSON.parse(full.body) as { tags: string[] | null }).tags ?? []).slice().sort();
  const n = Number(url.searchParams.get('n')) || pageSize;
  const last = url.searchParams.get('last');
  const start = last ? tags.findIndex((t) => t > last) : 0;
  const page = start < 0 ? [] : tags.slice(start, start + n);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const lastOfPage = page[page.length - 1];
  if (start >= 0 && start + n < tags.length && lastOfPage)
    headers.Link = `</v2/${repo}/tags/list?last=${encodeURIComponent(lastOfPage)}&n=${n}>; rel="next"`;
  res.writeHead(200, headers).end(JSON.stringify({ name: repo, tags: page }));
}

export async function startFront(options: FrontOptions): Promise<FrontServer> {
  const bind = options.bind ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const front: FrontServer = {
    host: '',
    port: 0,
    requests,
    handle: options.handle,
    stop: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const forward = (): void => {
      if (!options.upstream) {
        res.writeHead(404).end();
        return;
      }
      const m = /^\/v2\/(.+)\/tags\/list(?:\?|$)/.exec(req.url ?? '');
      if (m && options.tagPageSize && req.method === 'GET') {
        paginate(options.upstream, req, res, options.tagPageSize, m[1] ?? '').catch(() => res.writeHead(502).end());
        return;
      }
      forwardTo(options.upstream, req, res);
    };
    if (front.handle?.(req, res, forward)) return;
    forward();
  });
  front.port = await listen(server, bind);
  front.host = `${bind}:${front.port}`;
  return front;
}

/** Accepts TCP connections and never answers. */
export async function startSilentServer(
  bind = '127.0.0.1',
): Promise<{ host: string; connections: () => number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, bind);
  return {
    host: `${bind}:${port}`,
    connections: () => count,
    stop: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** HTTP proxy that only supports CONNECT; records the tunnel targets. */
export async function startConnectProxy(
  bind = '127.0.0.1',
): Promise<{ url: string; targets: string[]; authorizations: Array<string | undefined>; stop(): Promise<void> }> {
  const targets: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });
  const port = await listen(server, bind);
  return {
    url: `http://${bind}:${port}`,
    targets,
    authorizations,
    stop: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
