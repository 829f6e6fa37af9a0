import * as assert from 'node:assert/strict';
import { interpolate } from '../../server/src/model/interpolate';
import { parseDotenv } from '../../server/src/model/dotenv';

const vars: Record<string, string | null> = { A: 'alpine', E: '', U: null };
const lookup = (n: string) => (n in vars ? vars[n] : undefined);

describe('interpolate', () => {
  const cases: Array<[string, string | undefined]> = [
    ['$A', 'alpine'],
    ['${A}', 'alpine'],
    ['x-${A}-y', 'x-alpine-y'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${N:-d}', 'd'],
    ['${N-d}', 'd'],
    ['${A:+alt}', 'alt'],
    ['${E:+alt}', ''],
    ['${E+alt}', 'alt'],
    ['${N+alt}', ''],
    ['${N:-${A}}', 'alpine'],
    ['$N', undefined],
    ['${U}', undefined],
    ['${U:-d}', undefined],
    ['${N:?required}', undefined],
    ['${A:?required}', 'alpine'],
    ['${broken', undefined],
    ['cost: 5$', 'cost: 5$'],
  ];
  for (const [input, expected] of cases) {
    it(input, () => assert.equal(interpolate(input, lookup)?.value, expected));
  }
  it('reports the literal span of a lone default and the variable of a lone reference', () => {
    assert.deepEqual(interpolate('${N:-nginx:1}', lookup)?.literalSpan, { start: 5, end: 12 });
    assert.equal(interpolate('$A', lookup)?.fromVariable, 'A');
    assert.equal(interpolate('x$A', lookup)?.fromVariable, undefined);
  });
  it('treats $$ as a literal dollar only when asked (Compose)', () => {
    assert.equal(interpolate('$${A}', lookup, { dollarEscape: true })?.value, '${A}');
  });
});

describe('parseDotenv', () => {
  it('reads dotenv syntax', () => {
    const env = parseDotenv('# c\nA=1\nexport B = two \nC="x\\ny" # c\nD=\'$lit\'\nE=v # comment\nbad line\n');
    assert.deepEqual(Object.fromEntries(env), { A: '1', B: 'two', C: 'x\ny', D: '$lit', E: 'v' });
  });
});
