/**
 * A real git smart-HTTP server on loopback: Node's http module in front of git's own
 * `git http-backend` CGI (the server side GitHub speaks), protocol v2 included. Serves
 * `ROOT/<owner>/<repo>.git` at `http://127.0.0.1:PORT/<owner>/<repo>(.git)/…`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface GitServerOptions {
  /** Repositories (`owner/repo`) answered 401 unless the request carries Basic credentials with this token. */
  privateRepos?: Record<string, string>;
  /** Drop the `Git-Protocol` header, so git answers with a protocol v0 advertisement. */
  v0Only?: boolean;
  /** Listen on this port (a server stopped earlier, started again at the same address); default any free port. */
  port?: number;
}

export interface GitRequestLog {
  method: string;
  path: string;
  authorization?: string;
  gitProtocol?: string;
}

export interface RunningGitServer {
  url: string;
  root: string;
  requests: GitRequestLog[];
  stop(): Promise<void>;
}

/** `git http-backend` from the installed git; throws (never skips) when git is missing. */
export function httpBackendPath(): string {
  const result = spawnSync('git', ['--exec-path'], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error('git is not installed: the action-pinning tests need git (apt-get install git)');
  return path.join(result.stdout.trim(), 'git-http-backend');
}

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

export function startGitServer(root: string, options: GitServerOptions = {}): Promise<RunningGitServer> {
  const backend = httpBackendPath();
  const requests: GitRequestLog[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(typeof req.headers['git-protocol'] === 'string' ? { gitProtocol: req.headers['git-protocol'] } : {}),
    });
    const match = /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/.*)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [, owner, repo, rest] = match;
    const required = options.privateRepos?.[`${owner}/${repo}`];
    if (required !== undefined && tokenOf(req) !== required) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('Repository not found.\n');
      return;
    }
    const cgi = spawn(backend, [], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: `/${owner}/${repo}.git${rest}`,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: req.socket.remoteAddress ?? '',
        GIT_PROTOCOL: options.v0Only ? '' : ((req.headers['git-protocol'] as string | undefined) ?? ''),
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headerDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headerDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headerDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stderr.resume();
    cgi.on('close', () => res.end());
    cgi.on('error', () => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        root,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
