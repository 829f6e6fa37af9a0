import { isScalar, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { SourceText } from './positions';

/**
 * Layout facts of a parsed YAML document that every YAML file kind needs for its comments and
 * incremental units (Compose today; CI files next), computed from node ranges.
 */

const nodeExtents = new WeakMap<Document.Parsed, Map<number, number>>();

/**
 * Ranges covered by "the next YAML node" after a comment line: for each line where a node starts,
 * the last line of the largest node (pair or sequence item) starting on that line.
 */
export function yamlNodeExtentsByLine(document: Document.Parsed, source: SourceText): Map<number, number> {
  // Asked once per ignore comment: computed once per document.
  const known = nodeExtents.get(document);
  if (known) return known;
  const extents = new Map<number, number>();
  nodeExtents.set(document, extents);
  const note = (start: number | undefined, end: number | undefined) => {
    if (start === undefined || end === undefined) return;
    const line = source.positionAt(start).line;
    const endLine = source.positionAt(Math.max(start, end - 1)).line;
    if ((extents.get(line) ?? -1) < endLine) extents.set(line, endLine);
  };
  visit(document, {
    Pair: (_, pair) => {
      const r = yamlPairRange(pair);
      if (r) note(r[0], r[1]);
    },
    Seq: (_, seq) => {
      for (const item of seq.items) {
        const n = item as Node;
        if (n && n.range) note(n.range[0], n.range[1]);
      }
    },
  });
  return extents;
}

/** Offsets of scalar content spanning lines (block scalars): its `#` lines are not comments. */
export function yamlMultilineScalarSpans(document: Document.Parsed, source: SourceText): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  visit(document, {
    Scalar: (_, node) => {
      if (node.range && source.text.slice(node.range[0], node.range[1]).includes('\n'))
        spans.push([node.range[0], node.range[1]]);
    },
  });
  return spans;
}

/** Whether any node is shared through an anchor, an alias or a merge key (`<<`): parts of the file depend on others. */
export function yamlSharesNodes(document: Document.Parsed): boolean {
  let shared = false;
  visit(document, {
    Alias: () => {
      shared = true;
      return visit.BREAK;
    },
    Node: (_key, node) => {
      if (node.anchor) {
        shared = true;
        return visit.BREAK;
      }
      return undefined;
    },
    Pair: (_key, pair) => {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        shared = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return shared;
}

/** Offsets [start, end) of a pair, from its key (or value) start to its value (or key) end. */
export function yamlPairRange(pair: Pair): [number, number] | undefined {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  const start = key?.range?.[0] ?? value?.range?.[0];
  const end = value?.range?.[1] ?? key?.range?.[1];
  return start === undefined || end === undefined ? undefined : [start, end];
}
