/**
 * Git's pkt-line framing (gitprotocol-common): four hex digits giving the length of the line
 * including themselves, then the payload. `0000` flush, `0001` delimiter, `0002` response end.
 */
export type PktLine =
  { type: 'data'; payload: Buffer } | { type: 'flush' } | { type: 'delim' } | { type: 'response-end' };

/** Longest pkt-line the protocol allows (65516 payload bytes). */
export const MAX_PKT_LENGTH = 65520;

export const FLUSH_PKT = '0000';
export const DELIM_PKT = '0001';

/** Thrown when a server's answer is not well-formed pkt-lines. */
export class PktLineError extends Error {
  override readonly name = 'PktLineError';
}

/** One pkt-line carrying `text` (conventionally newline-terminated). */
export function pktLine(text: string): string {
  const length = Buffer.byteLength(text, 'utf8') + 4;
  if (length > MAX_PKT_LENGTH) throw new PktLineError(`pkt-line of ${length} bytes is over the protocol limit`);
  return length.toString(16).padStart(4, '0') + text;
}

/** Splits a whole response body into pkt-lines; malformed framing or a truncated line throws. */
export function parsePktLines(body: Buffer): PktLine[] {
  const lines: PktLine[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (offset + 4 > body.length) throw new PktLineError('truncated pkt-line length');
    const head = body.toString('latin1', offset, offset + 4);
    if (!/^[0-9a-f]{4}$/i.test(head)) throw new PktLineError(`bad pkt-line length ${JSON.stringify(head)}`);
    const length = parseInt(head, 16);
    offset += 4;
    if (length === 0) lines.push({ type: 'flush' });
    else if (length === 1) lines.push({ type: 'delim' });
    else if (length === 2) lines.push({ type: 'response-end' });
    else if (length < 4 || length > MAX_PKT_LENGTH) throw new PktLineError(`bad pkt-line length ${length}`);
    else {
      const end = offset + length - 4;
      if (end > body.length) throw new PktLineError('truncated pkt-line');
      lines.push({ type: 'data', payload: body.subarray(offset, end) });
      offset = end;
    }
  }
  return lines;
}

/** A data line's text without its trailing newline (git's `packet_read` with CHOMP_NEWLINE). */
export function pktText(line: PktLine): string | undefined {
  if (line.type !== 'data') return undefined;
  const text = line.payload.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
