import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, RULE_IDS } from '../../server/src/rules';
import { compareRuleIds, HOST_FIX_LABELS, HostFixes, Rule } from '../../server/src/engine/rule';
import { KINDS } from '../../server/src/kinds';
import { REPO_ROOT } from '../helpers/repo';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
/** Markdown a plain-text viewer (Problems panel, terminal, SARIF text) would show raw. */
const MARKDOWN = /`|\*\*|\]\(/;
const RANK = { off: 0, hint: 1, info: 2, warning: 3, error: 4 } as const;

/** The host fixes a rule declares, by their README/docs label. */
function hostFixLabels(rule: Rule): string[] {
  return (Object.keys(rule.meta.hostFixes ?? {}) as Array<keyof HostFixes>).map((fix) => HOST_FIX_LABELS[fix]);
}

/** A preset's severity as docs and README show it: a rule that needs the network is off without online checks. */
function severityLabel(rule: Rule, preset: 'recommended' | 'strict'): string {
  const severity = rule.meta.severity[preset];
  return rule.meta.network ? `off (online checks: ${severity})` : severity;
}

/** The rows of the `| | |` facts table at the top of a docs page. */
function factsTable(page: string): Map<string, string> {
  const rows = new Map<string, string>();
  const table = /\n\| \| \|\n\|---\|---\|\n((?:\|.*\|\n)+)/.exec(page);
  for (const line of table?.[1]?.trimEnd().split('\n') ?? []) {
    const cells = /^\| ([^|]+?) \| (.*) \|$/.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!);
  }
  return rows;
}

describe('rule registry', () => {
  it('lists rules sorted by id, each id unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...RULE_IDS], ids);
  });

  it('ids are lowercase words joined by hyphens, which compareRuleIds orders as localeCompare does', () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    for (const a of ids)
      for (const b of ids) assert.equal(Math.sign(compareRuleIds(a, b)), Math.sign(a.localeCompare(b)), `${a} ${b}`);
  });

  it('the driftguard.rules setting accepts exactly the rule ids', () => {
    const enumIds: string[] = MANIFEST.contributes.configuration.properties['driftguard.rules'].propertyNames.enum;
    assert.deepEqual([...enumIds].sort(), [...RULE_IDS].sort(), 'package.json driftguard.rules propertyNames.enum');
  });

  for (const rule of RULES) {
    const id = rule.meta.id;
    describe(id, () => {
      const docsFile = path.join(REPO_ROOT, 'docs', 'rules', `${id}.md`);
      it('has a test table', () => {
        const file = path.join(REPO_ROOT, 'test', 'rules', `${id}.test.ts`);
        assert.ok(fs.existsSync(file), `missing ${path.relative(REPO_ROOT, file)}`);
        assert.match(fs.readFileSync(file, 'utf8'), /ruleTester\(/, 'the test file must use ruleTester');
      });
      it('has a docs page whose facts table matches the rule', () => {
        assert.ok(fs.existsSync(docsFile), `missing docs/rules/${id}.md`);
        const page = fs.readFileSync(docsFile, 'utf8');
        assert.ok(page.startsWith(`# ${id}\n`), 'docs page must start with its id as title');
        const facts = factsTable(page);
        assert.equal(facts.get('recommended'), severityLabel(rule, 'recommended'), 'recommended row');
        assert.equal(facts.get('strict'), severityLabel(rule, 'strict'), 'strict row');
        const fixable = facts.get('Fixable') ?? '';
        assert.ok(
          rule.meta.fixable ? /^yes — ./.test(fixable) : fixable === 'no',
          `Fixable row "${fixable}": ${rule.meta.fixable ? '"yes — <what the fix does>"' : '"no"'} (engine fixes only)`,
        );
        const labels = hostFixLabels(rule);
        const hostFix = facts.get('Host fix');
        if (labels.length === 0) assert.equal(hostFix, undefined, 'Host fix row, but the rule declares no host fix');
        else assert.match(hostFix ?? '', new RegExp(`^${labels.join(', ')} — .`), 'Host fix row: "<labels> — <what>"');
      });
      it('has a README row linking its docs page, with its severities and fixes', () => {
        const row = README.split('\n').find((line) => line.startsWith(`| [\`${id}\`](docs/rules/${id}.md) |`));
        assert.ok(row, `README.md lacks a row for ${id}`);
        const [recommended, strict, fixes] = row.replace(/ \|$/, '').split(/ \| /).slice(-3);
        assert.deepEqual([recommended, strict], [severityLabel(rule, 'recommended'), severityLabel(rule, 'strict')]);
        const expected = [...(rule.meta.fixable ? ['yes'] : []), ...hostFixLabels(rule)];
        assert.equal(fixes, expected.length > 0 ? expected.join(', ') : '—', 'fixable column');
      });
      it('speaks plain text in its description and message templates (no Markdown shown raw)', () => {
        for (const text of [rule.meta.description, ...Object.values<string>(rule.meta.messages)])
          assert.doesNotMatch(text, MARKDOWN, text);
      });
      it('has complete metadata', () => {
        assert.ok(rule.meta.description.length > 10);
        assert.ok(Object.keys(rule.meta.messages).length > 0);
        if (rule.meta.kinds) {
          assert.ok(rule.meta.kinds.length > 0, 'a rule that lists kinds lists at least one');
          for (const kind of rule.meta.kinds) assert.ok(kind in KINDS, `unknown kind ${kind}`);
        }
        assert.ok(RANK[rule.meta.severity.strict] >= RANK.warning, 'strict turns every rule on at warning or above');
      });
    });
  }
});
