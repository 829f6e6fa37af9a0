import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Engine } from '../../server/src/engine/engine';
import type { LintInput } from '../../server/src/engine/settings';
import type { FileKind } from '../../server/src/engine/types';
import { severitiesFor } from '../../server/src/config/presets';
import { createEngine } from '../../server/src/createEngine';
import { SnippetCache } from '../../server/src/shell';
import { corpusFiles, prng, sample } from '../fuzz/corpus';

/** Two engines of this test's own: one with a snippet cache, one analysing every snippet afresh. */
const cache = new SnippetCache();
let cached: Engine;
let fresh: Engine;

const input = (kind: FileKind, text: string): LintInput => ({
  uri: 'file:///t',
  text,
  kind,
  settings: { severities: {}, imagesAllow: [] },
});

/**
 * Everything reachable from an analysis, read generically: every own field and every getter (read
 * first, so values worked out on first use are filled on both sides alike), whatever the types
 * declare today, so a field the cache drops shows here. Objects other than plain data (commands,
 * words, snippets, the document) are written once and then as references, so links must point at
 * the same objects; plain data (ranges, offsets, names) is compared by value. Undefined is absent.
 */
function structuralDump(root: unknown): unknown {
  const ids = new Map<object, number>();
  const isData = (value: unknown): boolean =>
    value === null ||
    typeof value !== 'object' ||
    ((Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) && Object.values(value).every(isData));
  const walk = (value: unknown): unknown => {
    if (typeof value === 'function') return '<function>';
    if (value === null || typeof value !== 'object') return value;
    if (isData(value)) return Array.isArray(value) ? value.map(walk) : fieldsOf(value);
    const id = ids.get(value);
    if (id !== undefined) return { ref: id };
    ids.set(value, ids.size);
    if (Array.isArray(value)) return value.map(walk);
    if (value instanceof Map) return { map: [...value].map(([k, v]) => [walk(k), walk(v)]) };
    return fieldsOf(value);
  };
  const fieldsOf = (value: object): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
      for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(p)))
        if (d.get && record[key] !== undefined) out[`get ${key}`] = walk(record[key]);
    for (const key of Object.keys(value).sort()) if (record[key] !== undefined) out[key] = walk(record[key]);
    const hidden = Object.getOwnPropertyNames(value).filter(
      (key) => !Object.prototype.propertyIsEnumerable.call(value, key),
    );
    assert.deepEqual([...hidden, ...Object.getOwnPropertySymbols(value)], [], 'no hidden fields');
    return out;
  };
  return walk(root);
}

function analysedBothWays(kind: FileKind, text: string): { cached: unknown; fresh: unknown } {
  return {
    cached: structuralDump(cached.model(input(kind, text)).shell),
    fresh: structuralDump(fresh.model(input(kind, text)).shell),
  };
}

const RUNS = [
  'apt-get update && apt-get upgrade -y && apt-get install -y curl=7.88 git; rm -rf /var/lib/apt/lists/*',
  'curl -fsSL https://x.example/install.sh | sh -s -- --version "$(cat /v)"',
  'ssh deploy@h "sed -i s/a/b/ /etc/app.conf" && docker exec web sh -c \'apk add nginx > /etc/motd\'',
  'echo `uname -m` >> /etc/hosts; sudo -u app pip install requests',
];

describe('snippet analysis cache', () => {
  before(async () => {
    cached = await createEngine({ snippetCache: cache });
    fresh = await createEngine({ snippetCache: false });
  });

  it('rebuilds a repeated RUN exactly as a fresh analysis, wherever it sits in the document', () => {
    const before = cache.counts().hits;
    const text = [
      'FROM debian:12',
      ...RUNS.map((r) => `RUN ${r}`),
      '',
      '# again, moved and indented',
      ...RUNS.map((r) => `  RUN   ${r}`),
      'FROM alpine',
      ...RUNS.map((r) => `RUN ${r.replace(' && ', ' && \\\n    ')}`),
      ...RUNS.map((r) => `RUN ${r.replace(' && ', ' && \\\n    ')}`),
    ].join('\n');
    const { cached, fresh } = analysedBothWays('dockerfile', text);
    assert.deepEqual(cached, fresh);
    assert.ok(cache.counts().hits - before >= RUNS.length * 2, 'the repeated RUNs came from the cache');
  });

  it('compares every field, whatever the types declare', () => {
    const text = `FROM debian:12\nRUN ${RUNS[0]}\n`;
    const base = structuralDump(fresh.model(input('dockerfile', text)).shell);
    const analysis = fresh.model(input('dockerfile', text)).shell;
    assert.deepEqual(structuralDump(analysis), base);
    Object.assign(analysis.commands[0]!.argv[0]!, { addedLater: 1 });
    assert.notDeepEqual(structuralDump(analysis), base, 'a field the cache does not know still counts');
  });

  it('does not reuse an analysis whose characters map to the document differently', () => {
    // Same snippet text: a continuation joined in one, written on one line in the other; CRLF lines.
    const text = 'FROM a\nRUN apk add \\\n curl\nRUN apk add  curl\nRUN apk add \\\r\n curl\r\nRUN apk add \\\n curl\n';
    const { cached, fresh } = analysedBothWays('dockerfile', text);
    assert.deepEqual(cached, fresh);
  });

  it('keeps Compose commands and exec-form CMDs exact', () => {
    const compose =
      'services:\n  a:\n    command: sh -c "apk add curl | tee /etc/x"\n  b:\n' +
      '    command: sh -c "apk add curl | tee /etc/x"\n';
    const both = analysedBothWays('compose', compose);
    assert.deepEqual(both.cached, both.fresh);
    const dockerfile =
      'FROM a\nCMD ["sh", "-c", "apt-get install -y x"]\nFROM b\nCMD ["sh", "-c", "apt-get install -y x"]\n';
    const again = analysedBothWays('dockerfile', dockerfile);
    assert.deepEqual(again.cached, again.fresh);
  });

  it('gives the same problems with and without the cache on a corpus sample', async function () {
    // 600 lints of corpus files: seconds when the machine is idle, far more when other jobs share its cores.
    this.timeout(120000);
    const files = sample(
      (await corpusFiles()).filter((f) => f.kind !== 'shell'),
      300,
      prng(20261127),
    );
    const severities = severitiesFor('strict');
    const lintAll = (engine: Engine) =>
      files.map((f) =>
        JSON.stringify(
          engine.lint({
            uri: `file://${f.path}`,
            text: fs.readFileSync(f.path, 'utf8'),
            kind: f.kind,
            settings: { severities, imagesAllow: [] },
          }).problems,
        ),
      );
    const before = cache.counts().hits;
    const withCache = [...lintAll(cached), ...lintAll(cached)];
    const hits = cache.counts().hits - before;
    assert.deepEqual(withCache, [...lintAll(fresh), ...lintAll(fresh)]);
    assert.ok(hits > 100, `cache hits on the sample: ${hits}`);
  });
});
