import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { scan, ScanOutcome } from '../../server/src/cli/scan';
import { BashParser } from '../../server/src/shell/parser';
import { GeneratorCopyFinder } from '../../server/src/workspace/generatorCopies';
import { testEngine } from '../helpers/engine';
import { tempTree } from '../helpers/tempTree';
import { countingTreeSitterParses } from '../helpers/treeSitterParses';

const DIGEST = 'sha256:' + 'a'.repeat(64);
const INSTALL = '#!/bin/sh\napt-get install -y curl\n';
const BUILD = '#!/bin/sh\ndocker build -f docker/Dockerfile -t app .\n';
const GENERATOR = '#!/bin/sh\nfor v in debian alpine; do\n  cp docker-entrypoint.sh "$v/entrypoint.sh"\ndone\n';

/** A one-thread scan of `root`, with how many times each text was parsed as shell. */
async function scanCountingParses(root: string): Promise<{ outcome: ScanOutcome; parses: Map<string, number> }> {
  const parses = new Map<string, number>();
  const parse = Object.getOwnPropertyDescriptor(BashParser.prototype, 'parse')!;
  BashParser.prototype.parse = function (this: BashParser, text: string) {
    parses.set(text, (parses.get(text) ?? 0) + 1);
    return (parse.value as BashParser['parse']).call(this, text);
  };
  try {
    return { outcome: await scan(testEngine(), { paths: [root], threads: 1 }), parses };
  } finally {
    Object.defineProperty(BashParser.prototype, 'parse', parse);
  }
}

/** A one-thread scan of `root`, with how many times tree-sitter parsed each text (kept trees not counted). */
async function scanCountingTreeSitter(root: string): Promise<{ outcome: ScanOutcome; parses: Map<string, number> }> {
  const { result, parses } = await countingTreeSitterParses(() => scan(testEngine(), { paths: [root], threads: 1 }));
  return { outcome: result, parses };
}

function rulesByFile(root: string, outcome: ScanOutcome): Record<string, string[]> {
  return Object.fromEntries(
    outcome.files.map((f) => [path.relative(root, f.path).split(path.sep).join('/'), f.problems.map((p) => p.ruleId)]),
  );
}

describe('passes before linting', () => {
  it('with no Dockerfile to lint, a script naming a build or copying scripts is parsed once, by its lint', async () => {
    const root = tempTree({ 'build.sh': BUILD, 'update.sh': GENERATOR, 'docker-entrypoint.sh': INSTALL });
    const { outcome, parses } = await scanCountingParses(root);
    // Before: build.sh was analysed for the builds it defines and update.sh for its copies, then
    // each again by its lint; neither can change a result without a Dockerfile in the scan.
    assert.equal(parses.get(BUILD), 1);
    assert.equal(parses.get(GENERATOR), 1);
    assert.equal(parses.get(INSTALL), 1);
    assert.deepEqual(rulesByFile(root, outcome), {
      'build.sh': [],
      'docker-entrypoint.sh': ['live-package-change'],
      'update.sh': [],
    });
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), outcome);
  });

  it("with a Dockerfile running a script in containers, generators' copies still place their scripts", async () => {
    const root = tempTree({
      'update.sh': GENERATOR,
      'docker-entrypoint.sh': INSTALL,
      'debian/Dockerfile': `FROM debian:12@${DIGEST}\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n`,
      'debian/entrypoint.sh': INSTALL,
    });
    const { outcome } = await scanCountingParses(root);
    const atStart = (file: string) =>
      outcome.files
        .find((f) => f.path === path.join(root, file))
        ?.problems.find((p) => p.ruleId === 'live-package-change')
        ?.message.includes('at every start');
    // The template is placed as its copy's entrypoint, though no other pass analysed its generator.
    assert.equal(atStart('docker-entrypoint.sh'), true);
    assert.equal(atStart('debian/entrypoint.sh'), true);
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), outcome);
  });

  it("on one thread, a script's sourced files are read right before its lint, which reuses that parse", async () => {
    const env = '#!/bin/sh\nDOCKER=docker\n';
    const first = '#!/bin/sh\n. ./env.sh\n$DOCKER commit c first\n';
    const second = '#!/bin/sh\n. ./env.sh\n$DOCKER commit c second\n';
    const root = tempTree({ 'a.sh': first, 'b.sh': second, 'env.sh': env });
    const { outcome, parses } = await scanCountingTreeSitter(root);
    // b.sh's sourced file was read for a.sh: its parse for what it sources is the last one before its
    // lint, which copies the kept tree. Before, every script's sourced files were read before any lint.
    assert.equal(parses.get(second), 1);
    assert.equal(parses.get(env), 2);
    assert.deepEqual(rulesByFile(root, outcome), {
      'a.sh': ['container-commit'],
      'b.sh': ['container-commit'],
      'env.sh': [],
    });
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), outcome);
  });

  it('on one thread, a script whose sourced file is read first for it is parsed once', async () => {
    const env = '#!/bin/sh\nDOCKER=docker\n';
    const script = '#!/bin/sh\n. ./lib/env.sh\n$DOCKER commit c first\n';
    const root = tempTree({ 'a.sh': script, 'lib/env.sh': env });
    const { outcome, parses } = await scanCountingTreeSitter(root);
    // a.sh is parsed for what it sources, then lib/env.sh, then a.sh for its lint: a copy of its
    // tree, kept with the sourced file's. Before, only the last tree was kept and a.sh was parsed twice.
    assert.equal(parses.get(script), 1);
    assert.deepEqual(rulesByFile(root, outcome), { 'a.sh': ['container-commit'], 'lib/env.sh': [] });
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), outcome);
  });

  it('on one thread, a script the passes before linting analysed holds its tree for its own lint', async () => {
    const root = tempTree({
      'build.sh': BUILD,
      'update.sh': GENERATOR,
      'docker-entrypoint.sh': INSTALL,
      'debian/Dockerfile': `FROM debian:12@${DIGEST}\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n`,
      'debian/entrypoint.sh': INSTALL,
    });
    const { outcome, parses } = await scanCountingTreeSitter(root);
    // build.sh is analysed for the build it names and update.sh for its copies, then each is linted
    // with other inputs; before, tree-sitter parsed each of them twice.
    assert.equal(parses.get(BUILD), 1);
    assert.equal(parses.get(GENERATOR), 1);
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), outcome);
  });

  it('gives the copies in the scripts’ order whatever order the generators are visited in', () => {
    const scripts = [
      { path: path.resolve('/w/a.sh'), text: '#!/bin/sh\ncp c.sh "$d/"\ncp b.sh "$d/x.sh"\n' },
      { path: path.resolve('/w/b.sh'), text: '#!/bin/sh\ncp c.sh "build/$e/"\ncp a.sh "$e/"\n' },
      { path: path.resolve('/w/c.sh'), text: INSTALL },
    ];
    const inOrder = new GeneratorCopyFinder(scripts);
    for (const script of scripts) inOrder.visit(script, testEngine());
    const reversed = new GeneratorCopyFinder(scripts);
    for (const script of [...scripts].reverse()) reversed.visit(script, testEngine());
    assert.deepEqual(
      inOrder.copies().map((c) => [path.basename(c.script.path), c.targets.length]),
      [
        ['c.sh', 2],
        ['b.sh', 2],
        ['a.sh', 1],
      ],
    );
    assert.deepStrictEqual(reversed.copies(), inOrder.copies());
  });
});
