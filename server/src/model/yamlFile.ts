import {
  CST,
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Node,
  Parser,
  parseAllDocuments,
  parseDocument,
  Scalar,
  YAMLMap,
} from 'yaml';
import type { Range } from '../engine/types';
import type { SourceText } from './positions';

/** A mapping entry as a file kind's model sees it: written in the map or merged into it with `<<`. */
export interface YamlEntry {
  key: string;
  keyNode: Scalar;
  value: Node | undefined;
}

/** A scalar's text as written: where its characters are, and whether they spell its value literally. */
export interface ScalarSpan {
  value: string;
  /** Offsets of the value's characters (inside quotes). */
  start: number;
  end: number;
  /** End of the node (after a closing quote). */
  nodeEnd: number;
  /** True when the text at [start, end) is the value itself: no escapes, folding or block indicators. */
  literal: boolean;
}

/** Thrown when merge keys would make a lookup visit more nodes than any hand-written file needs. */
export class YamlBudgetError extends Error {
  override readonly name = 'YamlBudgetError';
}

/** Nodes a file's merge-key lookups may visit in all: far above real files, far below a merge bomb. */
const MERGE_BUDGET = 200_000;
const MAX_ALIAS_HOPS = 16;

/**
 * A YAML file (one document) parsed once with the yaml Document API, for the CI file kinds: ranges
 * from node ranges, aliases followed, merge keys (`<<: *anchor`, `<<: [*a, *b]`) applied with one
 * memoised lookup per map and key under a visit budget, and the comments of the concrete syntax
 * tree with their offsets (parsed on first use, for edits that keep a line's comment).
 */
export class YamlFile {
  readonly document: Document.Parsed;
  /** Parse errors; when present the file is not linted (a reason is reported instead). */
  readonly errors: string[];
  private readonly fields = new Map<YAMLMap, Map<string, Node | undefined>>();
  private visited = 0;
  private comments: Array<{ start: number; end: number }> | undefined;

  /**
   * @param options.specHeader accept a first document holding only `spec:` (a GitLab CI/CD
   *   component's inputs), followed by the document that is the file's content
   */
  constructor(
    readonly source: SourceText,
    options: { specHeader?: boolean } = {},
  ) {
    const parseOptions = { merge: true, uniqueKeys: false, prettyErrors: false, strict: false };
    let document: Document.Parsed = parseDocument(source.text, parseOptions);
    if (options.specHeader && document.errors.some((e) => e.code === 'MULTIPLE_DOCS')) {
      const documents = parseAllDocuments(source.text, parseOptions);
      const header = Array.isArray(documents) ? documents[0]?.contents : undefined;
      if (
        Array.isArray(documents) &&
        documents.length === 2 &&
        isMap(header) &&
        header.items.length === 1 &&
        header.has('spec')
      )
        document = documents[1] as Document.Parsed;
    }
    this.document = document;
    this.errors = this.document.errors.map((e) => {
      const pos = source.positionAt(e.pos[0]);
      return `invalid YAML at ${pos.line + 1}:${pos.character + 1}: ${e.message.split('\n')[0]}`;
    });
  }

  get root(): YAMLMap | undefined {
    const root = this.document.contents;
    return isMap(root) ? root : undefined;
  }

  rangeOf(node: Node): Range | undefined {
    return node.range ? this.source.rangeOf(node.range[0], node.range[1]) : undefined;
  }

  /** Follows an alias to the node it names. */
  resolve(node: unknown): Node | undefined {
    let current = node;
    for (let i = 0; i < MAX_ALIAS_HOPS && isAlias(current); i++) current = current.resolve(this.document) ?? undefined;
    return isAlias(current) ? undefined : ((current as Node | null | undefined) ?? undefined);
  }

  /** The effective value of `key` in `map` (written there, else merged), aliases followed. */
  get(map: unknown, key: string): Node | undefined {
    const resolved = this.resolve(map);
    return isMap(resolved) ? this.resolve(this.field(resolved, key)) : undefined;
  }

  /** A map's entries, its own first, then merged ones it does not override; aliases in values followed. */
  entries(map: unknown): YamlEntry[] {
    const resolved = this.resolve(map);
    if (!isMap(resolved)) return [];
    const entries: YamlEntry[] = [];
    const seen = new Set<string>();
    const collect = (m: YAMLMap, depth: number): void => {
      this.spend(m.items.length);
      const merges: unknown[] = [];
      for (const pair of m.items) {
        const key = keyText(pair.key);
        if (key === '<<') merges.push(pair.value);
        else if (key !== undefined && isScalar(pair.key) && !seen.has(key)) {
          seen.add(key);
          entries.push({ key, keyNode: pair.key, value: this.resolve(pair.value) });
        }
      }
      if (depth >= MAX_ALIAS_HOPS) return;
      for (const source of merges) for (const merged of this.mergeSources(source)) collect(merged, depth + 1);
    };
    collect(resolved, 0);
    return entries;
  }

  /** Items of a sequence, aliases followed; nested sequences (GitLab's flattened lists) flattened. */
  items(seq: unknown, depth = 0): Node[] {
    const resolved = this.resolve(seq);
    if (!isSeq(resolved)) return [];
    this.spend(resolved.items.length);
    const out: Node[] = [];
    for (const item of resolved.items) {
      const node = this.resolve(item);
      if (isSeq(node) && depth < 10) out.push(...this.items(node, depth + 1));
      else if (node) out.push(node);
    }
    return out;
  }

  /** The string value of a scalar (numbers and booleans as written), else undefined. */
  text(node: unknown): string | undefined {
    const resolved = this.resolve(node);
    if (!isScalar(resolved)) return undefined;
    const value = resolved.value;
    if (typeof value === 'string') return value;
    return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
      ? (resolved.source ?? String(value))
      : undefined;
  }

  /** Where a string scalar's characters are written. */
  span(node: Scalar): ScalarSpan | undefined {
    if (!node.range || typeof node.value !== 'string') return undefined;
    const [start, end] = node.range;
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const valueStart = quoted ? start + 1 : start;
    const valueEnd = quoted ? end - 1 : end;
    const literal =
      (node.type === Scalar.PLAIN || quoted) && this.source.text.slice(valueStart, valueEnd) === node.value;
    return { value: node.value, start: valueStart, end: valueEnd, nodeEnd: end, literal };
  }

  /**
   * The comment after `offset` on the same line (`#` to the end of the line), from the concrete
   * syntax tree: a `#` inside a scalar is never taken for one.
   */
  commentAfter(offset: number): { start: number; end: number; text: string } | undefined {
    this.comments ??= collectComments(this.source.text);
    const text = this.source.text;
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = text.length;
    const comment = this.comments.find((c) => c.start >= offset && c.start < lineEnd);
    return comment && { ...comment, text: text.slice(comment.start, comment.end) };
  }

  /** Whether `node` sits inside a flow collection (`{ … }` / `[ … ]`) of the document. */
  inFlowCollection(offset: number): boolean {
    let inside = false;
    const walk = (node: unknown): void => {
      const n = this.resolve(node);
      if (!n || inside || !(isMap(n) || isSeq(n)) || !n.range) return;
      if (offset < n.range[0] || offset >= n.range[1]) return;
      if (n.flow) {
        inside = true;
        return;
      }
      for (const item of n.items) {
        if (isMap(n)) walk((item as { value: unknown }).value);
        else walk(item);
      }
    };
    walk(this.document.contents);
    return inside;
  }

  private field(map: YAMLMap, key: string, depth = 0): Node | undefined {
    let memo = this.fields.get(map);
    if (memo?.has(key)) return memo.get(key);
    this.spend(map.items.length);
    let found: Node | undefined;
    let merges: unknown[] | undefined;
    for (const pair of map.items) {
      const k = keyText(pair.key);
      if (k === key) {
        found = (pair.value as Node | null) ?? undefined;
        merges = undefined;
        break;
      }
      if (k === '<<') (merges ??= []).push(pair.value);
    }
    if (found === undefined && merges && depth < MAX_ALIAS_HOPS)
      outer: for (const source of merges)
        for (const merged of this.mergeSources(source)) {
          found = this.field(merged, key, depth + 1);
          if (found !== undefined) break outer;
        }
    if (!memo) this.fields.set(map, (memo = new Map<string, Node | undefined>()));
    memo.set(key, found);
    return found;
  }

  private mergeSources(value: unknown): YAMLMap[] {
    const resolved = this.resolve(value);
    const candidates = isSeq(resolved) ? resolved.items.map((i) => this.resolve(i)) : [resolved];
    return candidates.filter((m): m is YAMLMap => isMap(m));
  }

  private spend(nodes: number): void {
    this.visited += nodes;
    if (this.visited > MERGE_BUDGET)
      throw new YamlBudgetError(`merge keys and aliases reach more than ${MERGE_BUDGET} nodes`);
  }
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'symbol') return key.source;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Offsets of every comment in the text, from the yaml package's concrete syntax tree. */
function collectComments(text: string): Array<{ start: number; end: number }> {
  const comments: Array<{ start: number; end: number }> = [];
  const seen = new Set<unknown>();
  const walk = (token: unknown): void => {
    if (!token || typeof token !== 'object' || seen.has(token)) return;
    seen.add(token);
    if (Array.isArray(token)) {
      for (const t of token) walk(t);
      return;
    }
    const t = token as CST.SourceToken & Record<string, unknown>;
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      comments.push({ start: t.offset, end: t.offset + t.source.length });
      return;
    }
    for (const field of ['start', 'end', 'sep', 'items', 'key', 'value', 'props'] as const) walk(t[field]);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return comments.sort((a, b) => a.start - b.start);
}
