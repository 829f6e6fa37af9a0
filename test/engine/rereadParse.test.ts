import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { severitiesFor } from '../../server/src/config/presets';
import type { DocumentModel } from '../../server/src/engine/documentModel';
import type { LintInput } from '../../server/src/engine/settings';
import type { ComposeModel } from '../../server/src/model/compose';
import { scan, ScanOutcome } from '../../server/src/cli/scan';
import { testEngine } from '../helpers/engine';
import { tempTree } from '../helpers/tempTree';

// Builds (one through a merge key, so the builds' lookups fill the memos the lint reads) and images.
const COMPOSE =
  'x-build: &build\n  build:\n    context: ./app\n    dockerfile: ${DOCKERFILE}\n' +
  '    additional_contexts:\n      base: ./base\n' +
  'services:\n  app:\n    <<: *build\n    image: app\n' +
  '  db:\n    image: postgres:latest\n    command: sh -c "apt-get update && apt-get install -y curl"\n';
const DOTENV = 'DOCKERFILE=Dockerfile.prod\n';
const DOCKERFILE = 'FROM base\nRUN echo built\n';
const FILE = path.join('/project', 'compose.yaml');

function lintInput(overrides: Partial<LintInput> = {}): LintInput {
  return {
    uri: pathToFileURL(FILE).toString(),
    text: COMPOSE,
    kind: 'compose',
    settings: { severities: severitiesFor('recommended'), imagesAllow: [] },
    dotenv: DOTENV,
    ...overrides,
  };
}

/** The model a pass reads for the file's builds, with the builds read from it. */
function readForBuilds(file: { text?: string; dotenv?: string } = {}): DocumentModel {
  const engine = testEngine();
  const source = { path: FILE, kind: 'compose' as const, text: file.text ?? COMPOSE, dotenv: file.dotenv ?? DOTENV };
  const model = engine.readModel(source);
  assert.deepEqual(
    engine.buildDefinitions(source, { readModel: () => model }).map((b) => b.dockerfile),
    ['app/Dockerfile.prod'],
  );
  return model;
}

const composeOf = (model: DocumentModel) => model.parsed as ComposeModel;

describe('a parse read before linting, read again by the lint', () => {
  it('a Compose file read for its builds is linted from that parse, as a new parse would lint it', () => {
    const engine = testEngine();
    const earlier = readForBuilds();
    const visitedByBuilds = composeOf(earlier).yaml.visited;
    assert.ok(visitedByBuilds > 0);
    const reread = engine.lint(lintInput(), earlier);
    const fresh = engine.lint(lintInput());
    assert.deepEqual(
      reread.problems.map((p) => p.ruleId),
      ['image-latest-tag', 'live-package-change'],
    );
    assert.deepEqual(reread.problems, fresh.problems);
    assert.deepEqual(reread.internalErrors, fresh.internalErrors);
    // One parse: the lint reads the document the builds were read from…
    assert.equal(composeOf(reread.model).document, composeOf(earlier).document);
    assert.notEqual(composeOf(fresh.model).document, composeOf(earlier).document);
    // …with lookups and a budget of its own: it visits what a lint of a new parse visits, and the
    // builds' reader is left as it was.
    assert.equal(composeOf(reread.model).yaml.visited, composeOf(fresh.model).yaml.visited);
    assert.equal(composeOf(earlier).yaml.visited, visitedByBuilds);
  });

  it('a parse of other text, another `.env` or another file, or one never made, is not read again', () => {
    const engine = testEngine();
    const cases: Array<[string, DocumentModel, Partial<LintInput>]> = [
      ['other text', readForBuilds({ text: COMPOSE + '# changed\n' }), {}],
      ['another .env', readForBuilds({ dotenv: DOTENV + 'X=1\n' }), {}],
      ['another file', readForBuilds(), { uri: pathToFileURL('/project/other/compose.yaml').toString() }],
      ['no parse made', engine.readModel({ path: FILE, kind: 'compose', text: COMPOSE, dotenv: DOTENV }), {}],
    ];
    for (const [name, earlier, input] of cases) {
      const wasParsed = name !== 'no parse made';
      const result = engine.lint(lintInput(input), earlier);
      assert.equal(result.skipped, undefined, name);
      if (wasParsed) assert.notEqual(composeOf(result.model).document, composeOf(earlier).document, name);
      assert.deepEqual(result.problems, engine.lint(lintInput(input)).problems, name);
    }
  });

  it('a scan on one thread parses a Compose file defining builds once; the same outcome on workers', async () => {
    const root = tempTree({
      'compose.yaml': COMPOSE,
      '.env': DOTENV,
      'app/Dockerfile.prod': DOCKERFILE,
      'other/compose.yaml': 'services:\n  web:\n    image: nginx\n',
    });
    const composeKind = testEngine().kinds.get('compose');
    const parse = Object.getOwnPropertyDescriptor(composeKind, 'parse')!;
    const parsed: string[] = [];
    composeKind.parse = (source, input) => {
      parsed.push(path.relative(root, fileURLToPath(source.uri)));
      return (parse.value as typeof composeKind.parse)(source, input);
    };
    let sequential: ScanOutcome;
    try {
      sequential = await scan(testEngine(), { paths: [root], threads: 1 });
    } finally {
      Object.defineProperty(composeKind, 'parse', parse);
    }
    // The file without `build` is not read for builds: its lint is its one parse.
    assert.deepEqual(parsed.sort(), ['compose.yaml', path.join('other', 'compose.yaml')]);
    const composeFile = sequential.files.find((f) => f.path === path.join(root, 'compose.yaml'));
    assert.deepEqual(
      composeFile?.problems.map((p) => p.ruleId),
      ['image-latest-tag', 'live-package-change'],
    );
    // The build the Compose file defines reached the Dockerfile's lint: `base` is its named context,
    // not an image without a tag.
    const dockerfile = sequential.files.find((f) => f.path === path.join(root, 'app', 'Dockerfile.prod'));
    assert.deepEqual(dockerfile?.problems, []);
    const alone = testEngine().lint({ ...lintInput(), kind: 'dockerfile', text: DOCKERFILE, dotenv: undefined });
    assert.deepEqual(
      alone.problems.map((p) => p.ruleId),
      ['image-untagged'],
    );
    assert.deepStrictEqual(await scan(testEngine(), { paths: [root], threads: 2 }), sequential);
  });
});
