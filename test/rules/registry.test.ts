import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules';
import { RULE_IDS } from '../../server/src/rules/catalog';
import { REPO_ROOT } from '../helpers/repo';
import { KINDS } from '../../server/src/kinds';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** Markdown a plain-text viewer (Problems panel, terminal, SARIF text) would show raw. */
const MARKDOWN = /`|\*\*|\]\(/;
const RANK = { off: 0, hint: 1, info: 2, warning: 3, error: 4 } as const;

describe('rule registry', () => {
  it('lists rules sorted by id, each id unique and in the public catalog', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.ok(RULE_IDS.has(id), `${id} is not in catalog.ts`);
  });
  for (const rule of RULES) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has a test table', () => {
        const file = path.join(REPO_ROOT, 'test', 'rules', `${id}.test.ts`);
        assert.ok(fs.existsSync(file), `missing ${path.relative(REPO_ROOT, file)}`);
        assert.match(fs.readFileSync(file, 'utf8'), /ruleTester\(/, 'the test file must use ruleTester');
      });
      it('has a docs page', () => {
        const file = path.join(REPO_ROOT, 'docs', 'rules', `${id}.md`);
        assert.ok(fs.existsSync(file), `missing docs/rules/${id}.md`);
        assert.ok(fs.readFileSync(file, 'utf8').startsWith(`# ${id}\n`), 'docs page must start with its id as title');
      });
      it('has a README row linking its docs page', () => {
        assert.ok(README.includes(`| [\`${id}\`](docs/rules/${id}.md) |`), `README.md lacks a row for ${id}`);
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
