import {
  Alias,
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
  visit,
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

/** Thrown when merge keys and aliases make lookups visit more nodes than the file's budget. */
export class YamlBudgetError extends Error {
  override readonly name = 'YamlBudgetError';
}

/**
 * Nodes the lookups of a file may visit: a fixed part plus a multiple of the nodes written. Every
 * lookup is memoised (a merged map is read once however often it is merged), so real files stay far
 * below it; what remains above it is a file built to expand (the same wide anchor merged into a
 * wide map many times), skipped in time proportional to its size.
 */
const BUDGET_BASE = 10_000;
const BUDGET_PER_NODE = 16;
/** Deepest chain of merges followed (each level a map merging another): far beyond hand-written files. */
const MAX_MERGE_DEPTH = 16;

/** A map's own keys (the first of duplicates wins) and what it merges with `<<`, in order. */
interface OwnEntries {
  keys: Map<string, YamlEntry>;
  merges: unknown[];
}

/**
 * A YAML file (one document) parsed once with the yaml Document API, for every YAML file kind:
 * ranges from node ranges, aliases followed through one anchor map built in a single pass (the yaml
 * package's own `Alias.resolve` walks the whole document per alias), merge keys (`<<: *anchor`,
 * `<<: [*a, *b]`) applied by memoised lookups under a budget of nodes visited, and the comments of
 * the concrete syntax tree with their offsets (parsed on first use, for edits that keep a line's
 * comment).
 */
export class YamlFile {
  readonly document: Document.Parsed;
  /** Parse errors; when present the file is not linted (a reason is reported instead). */
  readonly errors: string[];
  /** Nodes written in the document (scalars, collections, aliases). */
  readonly nodes: number;
  /** Nodes the merge and alias lookups may visit in all before `YamlBudgetError`. */
  readonly budget: number;
  private readonly anchors: Map<Alias, Node | undefined>;
  private readonly own = new Map<YAMLMap, OwnEntries>();
  private readonly fields = new Map<YAMLMap, Map<string, Node | undefined>>();
  private readonly merged = new Map<YAMLMap, YamlEntry[]>();
  private spent = 0;
  private comments: Array<{ start: number; end: number }> | undefined;

  /**
   * @param options.specHeader accept a first document holding only `spec:` (a GitLab CI/CD
   *   component's inputs), followed by the document that is the file's content
   * @param parsed an earlier parse of the same source with the same options (see `reread`)
   */
  constructor(
    readonly source: SourceText,
    options: { specHeader?: boolean } = {},
    parsed?: YamlFile,
  ) {
    if (parsed) {
      this.document = parsed.document;
      this.errors = parsed.errors;
      this.anchors = parsed.anchors;
      this.nodes = parsed.nodes;
      this.budget = parsed.budget;
      return;
    }
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
    const { anchors, nodes } = anchorMap(document);
    this.anchors = anchors;
    this.nodes = nodes;
    this.budget = BUDGET_BASE + BUDGET_PER_NODE * nodes;
  }

  /**
   * The same parse for another reader, as a new parse would give it: lookups memoised and budgeted
   * afresh, so what this reader looked up (and spent) changes nothing of what the other finds or
   * whether its lookups stay within the budget. The document is shared: no lookup changes it.
   */
  reread(): YamlFile {
    return new YamlFile(this.source, {}, this);
  }

  /** Nodes visited so far by merge and alias lookups (at most `budget`). */
  get visited(): number {
    return this.spent;
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
    // An anchor is never on an alias, so one step reaches a scalar or a collection.
    const target = isAlias(node) ? this.anchors.get(node) : node;
    return isAlias(target) ? undefined : ((target as Node | null | undefined) ?? undefined);
  }

  /** The effective value of `key` in `map` (written there, else merged), aliases followed. */
  get(map: unknown, key: string): Node | undefined {
    const resolved = this.resolve(map);
    return isMap(resolved) ? this.resolve(this.field(resolved, key)) : undefined;
  }

  /** A map's entries, its own first, then merged ones it does not override; aliases in values followed. */
  entries(map: unknown): YamlEntry[] {
    const resolved = this.resolve(map);
    return isMap(resolved) ? this.effectiveEntries(resolved, 0) : [];
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
    const comments = this.comments;
    let low = 0;
    let high = comments.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comments[mid]!.start < offset) low = mid + 1;
      else high = mid;
    }
    const comment = comments[low];
    return comment && comment.start < lineEnd
      ? { ...comment, text: text.slice(comment.start, comment.end) }
      : undefined;
  }

  /** Whether `node` sits inside a flow collection (`{ … }` / `[ … ]`) of the document. */
  inFlowCollection(offset: number): boolean {
    let inside = false;
    // Aliases are not followed: their nodes are written elsewhere (or around the alias).
    const walk = (n: unknown): void => {
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

  /** The value of `key` written in `map` or merged into it (unresolved), memoised per map and key. */
  private field(map: YAMLMap, key: string, depth = 0): Node | undefined {
    let memo = this.fields.get(map);
    if (memo?.has(key)) return memo.get(key);
    if (!memo) this.fields.set(map, (memo = new Map<string, Node | undefined>()));
    // Set before the merges are read: a map merging itself (through an anchor around it) ends here.
    memo.set(key, undefined);
    const own = this.ownEntries(map);
    this.spend(1 + own.merges.length);
    let found = own.keys.get(key)?.value;
    if (found === undefined && depth < MAX_MERGE_DEPTH)
      outer: for (const source of own.merges)
        for (const merged of this.mergeSources(source)) {
          found = this.field(merged, key, depth + 1);
          if (found !== undefined) break outer;
        }
    memo.set(key, found);
    return found;
  }

  /** Every entry of a map, merged ones after its own, memoised per map. */
  private effectiveEntries(map: YAMLMap, depth: number): YamlEntry[] {
    const memo = this.merged.get(map);
    if (memo) return memo;
    const entries: YamlEntry[] = [];
    this.merged.set(map, entries);
    const own = this.ownEntries(map);
    entries.push(...own.keys.values());
    if (own.merges.length === 0 || depth >= MAX_MERGE_DEPTH) return entries;
    const seen = new Set(own.keys.keys());
    const sources = new Set(own.merges.flatMap((source) => this.mergeSources(source)));
    for (const merged of sources) {
      const inherited = this.effectiveEntries(merged, depth + 1);
      this.spend(inherited.length);
      for (const entry of inherited)
        if (!seen.has(entry.key)) {
          seen.add(entry.key);
          entries.push(entry);
        }
    }
    return entries;
  }

  private ownEntries(map: YAMLMap): OwnEntries {
    let own = this.own.get(map);
    if (own) return own;
    this.spend(map.items.length);
    own = { keys: new Map<string, YamlEntry>(), merges: [] };
    for (const pair of map.items) {
      const key = keyText(pair.key);
      if (key === '<<') own.merges.push(pair.value);
      else if (key !== undefined && isScalar(pair.key) && !own.keys.has(key))
        own.keys.set(key, { key, keyNode: pair.key, value: this.resolve(pair.value) });
    }
    this.own.set(map, own);
    return own;
  }

  private mergeSources(value: unknown): YAMLMap[] {
    const resolved = this.resolve(value);
    const candidates = isSeq(resolved) ? resolved.items.map((i) => this.resolve(i)) : [resolved];
    return candidates.filter((m): m is YAMLMap => isMap(m));
  }

  private spend(nodes: number): void {
    this.spent += nodes;
    if (this.spent > this.budget)
      throw new YamlBudgetError(
        `merge keys (<<) and aliases expand beyond the lookup budget: more than ${this.budget} nodes ` +
          `visited for ${this.nodes} written`,
      );
  }
}

/**
 * Each alias's node, from one pass over the document in order: the last node before the alias
 * carrying its anchor (YAML's rule, as the yaml package applies it), and the number of nodes.
 */
function anchorMap(document: Document.Parsed): { anchors: Map<Alias, Node | undefined>; nodes: number } {
  const anchors = new Map<Alias, Node | undefined>();
  const named = new Map<string, Node>();
  let nodes = 0;
  visit(document, {
    Node: (_key, node) => {
      nodes++;
      if (isAlias(node)) anchors.set(node, named.get(node.source));
      else if (node.anchor) named.set(node.anchor, node);
    },
  });
  return { anchors, nodes };
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
