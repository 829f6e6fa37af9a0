import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Position, TextEdit } from '../engine/types';

/** What a new `.driftguard.yaml` holds when a rule is turned off from the editor. */
export function newConfigText(ruleId: string): string {
  return `rules:\n  ${ruleId}: off\n`;
}

/**
 * The smallest edit of a `.driftguard.yaml` text that sets `rules.<ruleId>: off`, leaving every other
 * line, comment and its formatting as it is: the rule's severity replaced when it is listed, a line
 * added at the end of a block `rules:` mapping, or a `rules:` section appended. Undefined when the
 * file cannot be edited safely (invalid YAML, not a mapping, or `rules` written in flow style).
 */
export function disableRuleEdits(text: string, ruleId: string): TextEdit[] | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  if (doc.errors.length > 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line - 1, character: p.col - 1 };
  };
  const insert = (offset: number, newText: string): TextEdit[] => [
    { range: { start: at(offset), end: at(offset) }, newText },
  ];
  const root = doc.contents;
  const empty = root === null || (isScalar(root) && (root.value === null || root.value === ''));
  if (!empty && (!isMap(root) || root.flow)) return undefined;
  const rulesPair = empty ? undefined : (root as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === 'rules');
  if (!rulesPair) {
    const prefix = text.length > 0 && !text.endsWith('\n') ? eol : '';
    return insert(text.length, `${prefix}rules:${eol}  ${ruleId}: off${eol}`);
  }
  const rules = rulesPair.value as Node | null;
  const keyNode = rulesPair.key as Node;
  if (rules === null || (isScalar(rules) && (rules.value === null || rules.value === ''))) {
    const afterKey = lineEnd(text, keyNode.range![1]);
    return insert(afterKey, `${eol}  ${ruleId}: off`);
  }
  if (!isMap(rules) || rules.flow) return undefined;
  const existing = rules.items.find((p) => isScalar(p.key) && String(p.key.value) === ruleId);
  if (existing) {
    const value = existing.value as Node | null;
    if (isScalar(value) && value.value === 'off') return [];
    if (!value?.range) return insert(lineEnd(text, (existing.key as Node).range![1]), ' off');
    return [{ range: { start: at(value.range[0]), end: at(value.range[1]) }, newText: 'off' }];
  }
  const first = rules.items[0]?.key as Node | undefined;
  if (!first?.range) return undefined;
  const firstStart = first.range[0];
  const indent = text.slice(text.lastIndexOf('\n', firstStart - 1) + 1, firstStart);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const last = rules.items[rules.items.length - 1]!;
  const lastEnd = lineEnd(text, ((last.value as Node | null) ?? (last.key as Node)).range![1] - 1);
  return insert(lastEnd, `${eol}${indent}${ruleId}: off`);
}

/** Offset of the end of the line holding `offset` (before its line break). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(0, offset));
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}
