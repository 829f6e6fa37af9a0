/**
 * A small distribution token server (ES256 JWT, `kid` = libtrust key id) for bearer-auth tests.
 * Grants the requested actions to known users; anonymous callers get pull only when `anonymousPull`.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenServerOptions {
  keyFile: string;
  issuer: string;
  service: string;
  users: Record<string, string>;
  anonymousPull?: boolean;
  host?: string;
}

export interface TokenRequestRecord {
  authorization?: string;
  scopes: string[];
  service: string | null;
  account: string | null;
}

export interface RunningTokenServer {
  realm: string;
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

/** libtrust key ID: base32(sha256(SPKI DER)[:30]) in 4-character groups joined by ':'. */
export function libtrustKid(spkiDer: Buffer): string {
  const bytes = createHash('sha256').update(spkiDer).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) ?? []).join(':');
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

function parseScope(scope: string): Access {
  const i = scope.indexOf(':');
  const j = scope.lastIndexOf(':');
  return {
    type: scope.slice(0, i),
    name: scope.slice(i + 1, j),
    actions: scope
      .slice(j + 1)
      .split(',')
      .filter(Boolean),
  };
}

export function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const key = createPrivateKey(readFileSync(options.keyFile));
  const kid = libtrustKid(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  const b64u = (x: unknown): string => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
  const jwt = (sub: string, access: Access[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', kid };
    const claims = { iss: options.issuer, sub, aud: options.service, exp: now + 300, nbf: now - 10, iat: now };
    const input = `${b64u(header)}.${b64u({ ...claims, jti: randomUUID(), access })}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };
  const requests: TokenRequestRecord[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const authorization = req.headers.authorization;
    requests.push({
      ...(authorization ? { authorization } : {}),
      scopes: url.searchParams.getAll('scope'),
      service: url.searchParams.get('service'),
      account: url.searchParams.get('account'),
    });
    let sub = '';
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString();
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      if (colon < 0 || options.users[user] !== decoded.slice(colon + 1)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="token"' }).end();
        return;
      }
      sub = user;
    }
    if (url.searchParams.get('service') !== options.service) {
      res.writeHead(400).end('bad service');
      return;
    }
    let access = url.searchParams.getAll('scope').map(parseScope);
    if (!sub)
      access = options.anonymousPull
        ? access.map((a) => ({ ...a, actions: a.actions.filter((x) => x === 'pull') }))
        : [];
    const token = jwt(sub, access);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  return new Promise((resolve) => {
    server.listen(0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        realm: `http://${options.host ?? '127.0.0.1'}:${port}/token`,
        requests,
        stop: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
