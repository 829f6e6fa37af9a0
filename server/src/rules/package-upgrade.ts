import { defineRule } from '../engine/rule';
import { packageOperation } from '../shell/packages';
import { commandText, spanOf } from '../shell/describe';
import type { ShellCommand, StatementPart } from '../shell/types';

export default defineRule({
  meta: {
    id: 'package-upgrade',
    category: 'mutable-reference',
    description: 'Image build upgrades every installed package, so the image depends on the day it was built.',
    severity: { recommended: 'off', strict: 'warning' },
    fixable: true,
    messages: {
      upgradeAll:
        '“{{command}}” upgrades every package to whatever the mirrors serve on build day, so two builds of the same ' +
        'commit differ. For reproducible builds, take fixes from a newer pinned base image and pin the packages ' +
        'you need.',
    },
  },
  check(context) {
    for (const command of context.model.shell.commands) {
      if (command.context !== 'build') continue;
      const operation = packageOperation(command);
      if (!operation || operation.action !== 'upgrade-all') continue;
      const text = commandText(operation.verb);
      // The fix only deletes the command from an `&&`/`;` chain, so the rest still runs unchanged.
      const removal = removalSpan(command);
      const range = removal && context.model.source.rangeOf(removal[0], removal[1]);
      const fixes = range ? [{ title: `Remove “${text}” from the chain`, edits: [{ range, newText: '' }] }] : [];
      context.report({ range: spanOf(operation.verb), messageId: 'upgradeAll', data: { command: text }, fixes });
    }
  },
});

/**
 * Document offsets [start, end) whose deletion removes the command from an all-`&&` list or a `;`
 * sequence and leaves a valid chain, or undefined when no such span exists (`||` in the list, a
 * comment between items, the command alone, or ending a `;` sequence written on one line).
 */
function removalSpan(command: ShellCommand): [number, number] | undefined {
  const siblings = command.siblings;
  if (!siblings) return undefined;
  const offsets = command.snippet.offsets;
  const after = (part: StatementPart) => offsets[part.end - 1]! + 1;
  const before = (part: StatementPart) => offsets[part.start]!;
  const { parts, index } = siblings;
  const statement = parts[index]!;
  if (siblings.kind === 'list') {
    if (parts.some((part) => (part.named ? part.type === 'comment' : part.type !== '&&'))) return undefined;
    const items = parts.filter((part) => part.named);
    const at = items.indexOf(statement);
    if (at > 0) return [after(items[at - 1]!), after(statement)];
    if (at === 0 && items.length > 1) return [before(statement), before(items[1]!)];
    return undefined;
  }
  const isStatement = (part: StatementPart | undefined) => part?.named === true && part.type !== 'comment';
  const next = parts[index + 1];
  if (next?.type === ';' && isStatement(parts[index + 2])) return [before(statement), before(parts[index + 2]!)];
  const previous = parts[index - 1];
  if (previous?.type === ';' && isStatement(parts[index - 2]) && next?.type !== ';')
    return [after(parts[index - 2]!), after(statement)];
  return undefined;
}
