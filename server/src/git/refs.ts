import { PktLine, PktLineError, pktText } from './pktLine';

/** One ref a server advertised; `peeled` is the object an annotated tag (chain) finally points to. */
export interface GitRef {
  name: string;
  oid: string;
  peeled?: string;
}

/** Branches and tags of one repository, and where its HEAD points. */
export interface RefListing {
  refs: GitRef[];
  /** Target of the HEAD symref (`refs/heads/main`), when the server said. */
  head?: string;
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const WANTED = /^(?:refs\/heads\/|refs\/tags\/)/;

/**
 * Parses a protocol-v2 `ls-refs` answer (`<oid> <name>[ symref-target:<t>][ peeled:<oid>]` lines,
 * then a flush). More than `maxRefs` refs fails: a server listing without end is not an answer.
 */
export function parseLsRefs(lines: readonly PktLine[], maxRefs: number): RefListing {
  const listing: RefListing = { refs: [] };
  let flushed = false;
  for (const line of lines) {
    if (line.type === 'flush') {
      flushed = true;
      break;
    }
    const text = pktText(line);
    if (text === undefined) throw new PktLineError(`unexpected ${line.type} packet in ls-refs answer`);
    if (text.startsWith('ERR ')) throw new PktLineError(`server error: ${text.slice(4)}`);
    const [oid, name, ...attributes] = text.split(' ');
    if (!oid || !OID.test(oid) || !name)
      throw new PktLineError(`bad ls-refs line ${JSON.stringify(text.slice(0, 80))}`);
    let peeled: string | undefined;
    for (const attribute of attributes) {
      if (attribute.startsWith('peeled:') && OID.test(attribute.slice(7))) peeled = attribute.slice(7);
      if (attribute.startsWith('symref-target:') && name === 'HEAD') listing.head = attribute.slice(14);
    }
    if (!WANTED.test(name)) continue;
    if (listing.refs.length >= maxRefs) throw new PktLineError(`more than ${maxRefs} refs listed`);
    listing.refs.push(peeled ? { name, oid, peeled } : { name, oid });
  }
  if (!flushed) throw new PktLineError('ls-refs answer ends without a flush packet');
  return listing;
}

/**
 * Parses a protocol v0/v1 ref advertisement (servers that do not speak v2): `<oid> <name>`, the first
 * line carrying capabilities after a NUL, peeled tags as `<name>^{}` lines.
 */
export function parseV0Advertisement(lines: readonly PktLine[], maxRefs: number): RefListing {
  const listing: RefListing = { refs: [] };
  const byName = new Map<string, GitRef>();
  for (const line of lines) {
    if (line.type === 'flush') break;
    let text = pktText(line);
    if (text === undefined) throw new PktLineError(`unexpected ${line.type} packet in ref advertisement`);
    if (text.startsWith('ERR ')) throw new PktLineError(`server error: ${text.slice(4)}`);
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      const symref = text
        .slice(nul + 1)
        .split(' ')
        .find((c) => c.startsWith('symref=HEAD:'));
      if (symref) listing.head = symref.slice('symref=HEAD:'.length);
      text = text.slice(0, nul);
    }
    const space = text.indexOf(' ');
    const oid = text.slice(0, space);
    const name = text.slice(space + 1);
    if (space < 0 || !OID.test(oid) || !name)
      throw new PktLineError(`bad ref line ${JSON.stringify(text.slice(0, 80))}`);
    if (name.endsWith('^{}')) {
      const tag = byName.get(name.slice(0, -3));
      if (tag) tag.peeled = oid;
      continue;
    }
    if (!WANTED.test(name)) continue;
    if (listing.refs.length >= maxRefs) throw new PktLineError(`more than ${maxRefs} refs listed`);
    const ref: GitRef = { name, oid };
    byName.set(name, ref);
    listing.refs.push(ref);
  }
  return listing;
}
