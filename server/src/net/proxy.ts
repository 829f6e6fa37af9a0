import * as http from 'node:http';
import type { Socket } from 'node:net';
import { isLoopbackHost, matchesNoProxy } from './hostPolicy';
import { NetworkError } from './errors';
import { redactText } from './redact';

/** Where proxy settings come from: an explicit URL (VS Code's `http.proxy`) or the environment. */
export interface ProxySettings {
  proxy?: string;
  noProxy?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The proxy to use for `url`, if any. An explicit `proxy` applies to every host not matched by
 * NO_PROXY; proxies from `HTTPS_PROXY`/`HTTP_PROXY` never apply to loopback hosts (like Go and curl).
 */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  const env = settings.env;
  const noProxy = settings.noProxy ?? env.NO_PROXY ?? env.no_proxy;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (matchesNoProxy(url.hostname, port, noProxy)) return undefined;
  let raw = settings.proxy;
  if (!raw) {
    if (isLoopbackHost(url.hostname)) return undefined;
    raw = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  }
  if (!raw) return undefined;
  try {
    const parsed = new URL(raw.includes('://') ? raw : `http://${raw}`);
    if (parsed.protocol !== 'http:') throw new Error('only http:// proxies are supported');
    return parsed;
  } catch (error) {
    throw new NetworkError(
      'unreachable',
      `invalid proxy "${redactText(raw)}": ${redactText((error as Error).message)}`,
      { cause: error },
    );
  }
}

export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
}

/** Opens a CONNECT tunnel through `proxy` to `host:port`; resolves with the raw socket. */
export function openTunnel(proxy: URL, host: string, port: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { Host: target };
    const auth = proxyAuthorization(proxy);
    if (auth) headers['Proxy-Authorization'] = auth;
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port || '80',
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
      signal,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(
        new NetworkError(
          'unreachable',
          `unreachable: proxy ${proxy.host} answered ${res.statusCode} to CONNECT ${target}`,
          { host: proxy.host },
        ),
      );
    });
    req.once('error', reject);
    req.end();
  });
}
