import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Engine } from '../../server/src/engine/engine';
import type { LintInput } from '../../server/src/engine/settings';
import type { FileKind } from '../../server/src/engine/types';
import { severitiesFor } from '../../server/src/config/presets';
import { createEngine } from '../../server/src/createEngine';
import { SnippetCache } from '../../server/src/shell';
import type { ShellAnalysis, ShellCommand, ShellSnippet, ShellWord } from '../../server/src/shell';
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

/** Everything a rule can read from an analysis, object links written as indexes. */
function portrait(analysis: ShellAnalysis): unknown {
  const commandIndex = new Map<ShellCommand, number>(analysis.commands.map((c, i) => [c, i]));
  const snippets: ShellSnippet[] = [];
  const snippetId = (s: ShellSnippet) => (snippets.includes(s) ? snippets.indexOf(s) : snippets.push(s) - 1);
  const word = (w: ShellWord) => ({
    value: w.value,
    offsets: w.offsets,
    range: w.range,
    literal: w.literal,
    type: w.type,
    substitutions: w.substitutions.map((c) => commandIndex.get(c)),
  });
  return {
    commands: analysis.commands.map((c) => ({
      argv: c.argv.map(word),
      wrappers: c.wrappers,
      place: c.place,
      context: c.context,
      range: c.range,
      pipeline: c.pipeline?.map((p) => commandIndex.get(p)),
      removal: c.removal,
      stdin: c.stdin && word(c.stdin),
      snippet: snippetId(c.snippet),
      snippetText: c.snippet.text,
      snippetOffsets: c.snippet.offsets,
      origin: c.snippet.origin,
      depth: c.snippet.depth,
      editable: c.snippet.editable,
    })),
    redirects: analysis.redirects.map((r) => ({
      operator: r.operator,
      target: word(r.target),
      place: r.place,
      context: r.context,
      range: r.range,
    })),
  };
}

function analysedBothWays(kind: FileKind, text: string): { cached: unknown; fresh: unknown } {
  return {
    cached: portrait(cached.model(input(kind, text)).shell),
    fresh: portrait(fresh.model(input(kind, text)).shell),
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
