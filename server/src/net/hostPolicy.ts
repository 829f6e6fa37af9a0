import { isIP } from 'node:net';

/** `localhost`, `127.0.0.0/8`, `::1` (with or without brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return /^::ffff:127\./.test(h);
}

/** Splits `host:port` / `[v6]:port` into hostname and port (port may be empty). */
export function splitHost(host: string): { hostname: string; port: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (v6) return { hostname: v6[1] ?? '', port: v6[2] ?? '' };
  const i = host.lastIndexOf(':');
  if (i > 0 && host.indexOf(':') === i) return { hostname: host.slice(0, i), port: host.slice(i + 1) };
  return { hostname: host, port: '' };
}

/**
 * Plain HTTP is allowed only for loopback hosts and hosts listed in `insecure`
 * (entries are `host` or `host:port`; a bare host covers every port).
 */
export function plainHttpAllowed(host: string, insecure: readonly string[]): boolean {
  const { hostname } = splitHost(host);
  if (isLoopbackHost(hostname)) return true;
  const lower = host.toLowerCase();
  return insecure.some((entry) => {
    const e = entry
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '');
    return e === lower || e === hostname.toLowerCase();
  });
}

/**
 * NO_PROXY semantics as in curl/Go: comma or space separated; `*` matches all; `.example.com`
 * and `example.com` match the domain and its subdomains; `host:port` entries match that port only.
 */
export function matchesNoProxy(hostname: string, port: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const { hostname: eHost, port: ePort } = splitHost(entry);
    if (ePort && ePort !== port) continue;
    const bare = eHost.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}
