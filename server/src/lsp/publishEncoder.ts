import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message, NotificationMessage } from 'vscode-jsonrpc/node';

/** How a publish's JSON ends when its diagnostics are the last field of the last field (the usual shape). */
const EMPTY_DIAGNOSTICS_TAIL = '"diagnostics":[]}}';
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}}');

/**
 * The JSON encoder of the server's stream transport: every message's bytes are exactly those of
 * vscode-jsonrpc's own encoder (`JSON.stringify`, then UTF-8), but a document's publish is put
 * together from the UTF-8 of each diagnostic, encoded once per diagnostic object.
 *
 * Why: an open document's lint reuses the diagnostics of the problems a keystroke kept (see
 * `reusingDiagnostics`), yet its publish carries all of them at every key. On the bench's
 * 3,000-line Dockerfile (430 diagnostics, 186 KB) encoding that publish whole was 2.6 of the
 * server's 5.8 ms of CPU per key, most of it UTF-8 of a two-byte string (the messages' “ ” make it
 * one), against about 0.1 ms when only the new diagnostics are encoded.
 *
 * Contract: a diagnostic object sent in a publish with a `version` (the lint of an open document)
 * is never changed afterwards (its problem never changes either: see `Problem`). Publishes without
 * a version (Scan Workspace, configuration files) are sent once each and encoded whole, so the
 * scan keeps no cache entry.
 */
export function publishEncoder(): ContentTypeEncoder {
  // Keyed by the diagnostic object, held as long as its document keeps it (unpooled bytes: a pooled
  // Buffer slice would keep its whole 8 KB slab).
  const encoded = new WeakMap<object, Uint8Array>();
  const utf8 = new TextEncoder();
  const bytesOf = (diagnostic: object): Uint8Array => {
    let bytes = encoded.get(diagnostic);
    if (!bytes) {
      bytes = utf8.encode(JSON.stringify(diagnostic));
      encoded.set(diagnostic, bytes);
    }
    return bytes;
  };
  const encode = (message: Message, charset: ContentTypeEncoderOptions['charset']): Uint8Array => {
    const diagnostics = documentPublish(message, charset);
    const params = (message as NotificationMessage).params;
    const envelope = diagnostics && JSON.stringify({ ...message, params: { ...params, diagnostics: [] } });
    if (!diagnostics || !envelope?.endsWith(EMPTY_DIAGNOSTICS_TAIL))
      return Buffer.from(JSON.stringify(message, undefined, 0), charset);
    const parts: Uint8Array[] = [Buffer.from(envelope.slice(0, -CLOSE.length))];
    for (const [i, diagnostic] of diagnostics.entries()) {
      if (i > 0) parts.push(COMMA);
      parts.push(bytesOf(diagnostic));
    }
    parts.push(CLOSE);
    return Buffer.concat(parts);
  };
  return {
    name: 'application/json',
    // async: a throw becomes a rejection, as with the library's encoder
    encode: async (message, options) => encode(message, options.charset),
  };
}

/** The diagnostics of a publish for an open document's version, when every one is a plain object. */
function documentPublish(message: Message, charset: string): object[] | undefined {
  if (charset !== 'utf-8' && charset !== 'utf8') return undefined;
  const { method, params } = message as { method?: unknown; params?: { version?: unknown; diagnostics?: unknown } };
  if (method !== 'textDocument/publishDiagnostics' || typeof params?.version !== 'number') return undefined;
  const diagnostics = params.diagnostics;
  if (!Array.isArray(diagnostics) || diagnostics.length === 0) return undefined;
  return diagnostics.every((d) => typeof d === 'object' && d !== null && !Array.isArray(d) && !('toJSON' in d))
    ? (diagnostics as object[])
    : undefined;
}
