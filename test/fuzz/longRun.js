#!/usr/bin/env node
'use strict';
/**
 * `npm run fuzz`: the long fuzz run (the fixed-seed slice runs in `npm test`).
 *
 *   npm run fuzz [-- --seed N] [--count N] [--server N] [--roundtrip] [--only engine|server|roundtrip]
 *
 * engine:    N mutated corpus files through the decode path and the engine (default 5,000), plus
 *            fast-check properties on generated documents;
 * server:    N mutated files opened, edited and fixed in the real server over stdio (default 300);
 * roundtrip: every offline fix on every corpus file (--roundtrip runs only this).
 * The corpus is ../shared/corpus beside the repository, or $DRIFTGUARD_CORPUS. Needs `npm run build`.
 * Exits 1 when anything failed; a failure prints its seed and iteration so it can be replayed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const OUT = path.resolve(__dirname, '../../out/test');

function options(argv) {
  const o = {
    seed: Date.now() % 100000,
    count: 5000,
    server: 300,
    sections: new Set(['engine', 'server', 'roundtrip']),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--count') o.count = Number(argv[++i]);
    else if (a === '--server') o.server = Number(argv[++i]);
    else if (a === '--roundtrip') o.sections = new Set(['roundtrip']);
    else if (a === '--only') o.sections = new Set(argv[++i].split(','));
    else if (a === '--corpus') process.env.DRIFTGUARD_CORPUS = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main() {
  const o = options(process.argv.slice(2));
  const { initEngine } = require(path.join(OUT, 'fuzz/harness.js'));
  await initEngine();
  let failed = 0;
  const unhandled = [];
  process.on('unhandledRejection', (reason) => unhandled.push(String(reason && reason.stack ? reason.stack : reason)));

  if (o.sections.has('engine')) {
    const { fuzzCorpus } = require(path.join(OUT, 'fuzz/corpusFuzz.js'));
    console.log(`engine: ${o.count} corpus mutations, seed ${o.seed}`);
    const started = Date.now();
    const stats = await fuzzCorpus(o.seed, o.count, (n) => {
      if (n % 500 === 0) process.stderr.write(`  ${n}/${o.count}\n`);
    });
    console.log(
      `  ${stats.mutations} mutations (${stats.analysed} analysed, ${stats.skipped} skipped with a reason) in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  by mutator: ${Object.entries(stats.byMutator)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(
      `  slowest: ${stats.slowest.ms.toFixed(0)} ms for ${stats.slowest.kb.toFixed(0)} KB ` +
        `(${path.basename(stats.slowest.file)} [${stats.slowest.mutations.join('+')}])`,
    );
    console.log(`  failures: ${stats.failures.length}`);
    for (const f of stats.failures.slice(0, 30))
      console.log(
        `  - ${f.what} seed ${f.seed} #${f.iteration} ${f.file} [${f.mutations.join('+')}]: ` +
          `${f.detail.split('\n').slice(0, 3).join(' / ')}`,
      );
    failed += stats.failures.length;

    const fc = require('fast-check');
    const { checkEngine } = require(path.join(OUT, 'fuzz/harness.js'));
    for (const kind of ['dockerfile', 'compose', 'shell']) {
      const result = fc.check(
        fc.property(
          fc.string({ maxLength: 2000, unit: 'binary' }),
          (text) => checkEngine(Buffer.from(text, 'utf8'), kind, {}).failures.length === 0,
        ),
        { seed: o.seed, numRuns: 1000 },
      );
      console.log(
        `  fast-check ${kind}: ` +
          `${result.failed ? `FAILED on ${JSON.stringify(result.counterexample)}` : `${result.numRuns} runs ok`}`,
      );
      if (result.failed) failed++;
    }
  }

  if (o.sections.has('server')) {
    const { fuzzServer } = require(path.join(OUT, 'fuzz/serverFuzz.js'));
    console.log(`server: ${o.server} mutated documents over stdio, seed ${o.seed}`);
    const stats = await fuzzServer(o.seed, o.server);
    console.log(
      `  ${stats.documents} documents, ${stats.edits} edits, ${stats.codeActionRequests} code-action requests; ` +
        `failures: ${stats.failures.length}`,
    );
    for (const f of stats.failures.slice(0, 30)) console.log(`  - ${f}`);
    failed += stats.failures.length;
  }

  if (o.sections.has('roundtrip')) {
    const { corpusFiles } = require(path.join(OUT, 'fuzz/corpus.js'));
    const { roundTripFile } = require(path.join(OUT, 'roundtrip/roundtrip.js'));
    const { decodeSource } = require(path.join(OUT, '../server/src/workspace/readSource.js'));
    const files = await corpusFiles();
    console.log(`round-trip: every offline fix on ${files.length} corpus files`);
    const started = Date.now();
    let applied = 0;
    let withFixes = 0;
    const failures = [];
    for (const [i, file] of files.entries()) {
      if (i % 500 === 0) process.stderr.write(`  ${i}/${files.length}\n`);
      const read = decodeSource(fs.readFileSync(file.path));
      if (!('text' in read)) continue;
      const r = roundTripFile(pathToFileURL(file.path).toString(), file.kind, read.text, Infinity);
      applied += r.fixesApplied;
      if (r.fixesApplied > 0) withFixes++;
      failures.push(...r.failures);
    }
    console.log(
      `  ${applied} fixes applied on ${withFixes} files in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `failures: ${failures.length}`,
    );
    for (const f of failures.slice(0, 30)) console.log(`  - ${f}`);
    failed += failures.length;
  }

  if (unhandled.length > 0) {
    console.log(`unhandled rejections: ${unhandled.length}`);
    unhandled.slice(0, 5).forEach((u) => console.log(`  - ${u.split('\n')[0]}`));
    failed += unhandled.length;
  }
  console.log(failed === 0 ? 'fuzz: no failures' : `fuzz: ${failed} failures`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exitCode = 1;
});
