import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
} from 'yaml';
import type { Range } from '../engine/types';
import type { SourceText } from './positions';
import { interpolate } from './interpolate';
import { ImageReference, parseImageReference } from './imageRef';
import { parseDotenv } from './dotenv';
import { yamlPairRange } from './yamlLayout';

/** A Compose service as the rules see it, with merge keys (`<<: *anchor`) applied. */
export interface ComposeService {
  name: string;
  nameRange: Range;
  /** The service's mapping node. */
  node: YAMLMap;
  /** Effective value node of a key: written in the service or merged from an anchor. */
  field(key: string): Node | undefined;
}

/** A Compose file parsed once with the yaml Document API; ranges come from node ranges. */
export class ComposeModel {
  readonly document: Document.Parsed;
  /** Parse errors; when present the file is not linted (a reason is reported instead). */
  readonly errors: string[];
  private readonly env: Map<string, string>;

  constructor(
    readonly source: SourceText,
    dotenv?: string,
  ) {
    const lineCounter = new LineCounter();
    this.document = parseDocument(source.text, {
      lineCounter,
      merge: true,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    });
    this.errors = this.document.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `invalid YAML at ${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
    });
    this.env = dotenv ? parseDotenv(dotenv) : new Map<string, string>();
  }

  rangeOfNode(node: Node | Pair): Range | undefined {
    const r = isPair(node) ? yamlPairRange(node) : node.range;
    return r ? this.source.rangeOf(r[0], r[1]) : undefined;
  }

  /** Follows an alias to the node it names. */
  resolve(node: unknown): Node | undefined {
    let current = node;
    for (let i = 0; i < 16 && isAlias(current); i++) current = current.resolve(this.document) ?? undefined;
    return (current as Node | undefined) ?? undefined;
  }

  services(): ComposeService[] {
    const root = this.document.contents;
    if (!isMap(root)) return [];
    const services = this.resolve(root.get('services', true));
    if (!isMap(services)) return [];
    const result: ComposeService[] = [];
    for (const pair of services.items) {
      const value = this.resolve(pair.value);
      if (!isScalar(pair.key) || !isMap(value) || !pair.key.range) continue;
      const nameRange = this.source.rangeOf(pair.key.range[0], pair.key.range[1]);
      result.push({ name: String(pair.key.value), nameRange, node: value, field: (key) => this.field(value, key, 0) });
    }
    return result;
  }

  /** Looks a key up in a map, then in the maps merged into it with `<<`. */
  private field(map: YAMLMap, key: string, depth: number): Node | undefined {
    if (depth > 8) return undefined;
    let merged: Node | undefined;
    for (const pair of map.items) {
      const k = isScalar(pair.key)
        ? typeof pair.key.value === 'symbol'
          ? pair.key.source
          : String(pair.key.value)
        : undefined;
      if (k === key) return (pair.value as Node | null) ?? undefined;
      if (k === '<<' && merged === undefined) {
        const sources = this.resolve(pair.value);
        const maps = isSeq(sources) ? sources.items.map((i) => this.resolve(i)) : [sources];
        for (const m of maps) {
          if (isMap(m)) {
            const found = this.field(m, key, depth + 1);
            if (found !== undefined) {
              merged = found;
              break;
            }
          }
        }
      }
    }
    return merged;
  }

  /** Compose interpolation with `.env` values only, so every scan of the repository agrees. */
  interpolate(text: string): ReturnType<typeof interpolate> {
    return interpolate(text, (name) => this.env.get(name), { dollarEscape: true });
  }

  /** `services.*.image` of services that pull (no `build:`), each scalar node reported once. */
  imageReferences(): ImageReference[] {
    const refs: ImageReference[] = [];
    const seen = new Set<Node>();
    for (const service of this.services()) {
      if (service.field('build') !== undefined) continue;
      const node = this.resolve(service.field('image'));
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range || seen.has(node)) continue;
      seen.add(node);
      const ref = this.referenceFromScalar(node);
      if (ref) refs.push(ref);
    }
    return refs;
  }

  private referenceFromScalar(node: Scalar): ImageReference | undefined {
    const [start, end] = node.range!;
    const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    const range = this.source.rangeOf(start + quote, end - quote);
    const rawText = this.source.text.slice(start + quote, end - quote);
    const written = String(node.value);
    const resolvedText = this.interpolate(written);
    if (!resolvedText || resolvedText.value === '') return undefined;
    const image = parseImageReference(resolvedText.value);
    if (!image) return undefined;
    const ref: ImageReference = {
      source: 'compose-image',
      written: rawText,
      range,
      resolved: resolvedText.value,
      image,
      viaVariable: resolvedText.usedVariables,
    };
    const literal = node.type === Scalar.PLAIN || quote === 1;
    const valueStart = start + quote;
    const escapesFree = this.source.text.slice(valueStart, valueStart + written.length) === written;
    if (literal && escapesFree && !resolvedText.usedVariables && !written.includes('$')) {
      ref.nameRange = this.source.rangeOf(valueStart, valueStart + image.nameEnd);
      if (image.tagStart !== undefined)
        ref.tagRange = this.source.rangeOf(
          valueStart + image.tagStart,
          valueStart + image.tagStart + image.tag!.length,
        );
      if (image.digestStart !== undefined)
        ref.digestRange = this.source.rangeOf(valueStart + image.digestStart, valueStart + written.length);
      ref.editTarget = { range: this.source.rangeOf(valueStart, valueStart + written.length), text: written };
    } else if (literal && escapesFree && resolvedText.literalSpan) {
      const s = valueStart + resolvedText.literalSpan.start;
      const e = valueStart + resolvedText.literalSpan.end;
      ref.editTarget = { range: this.source.rangeOf(s, e), text: this.source.text.slice(s, e) };
    }
    return ref;
  }
}
