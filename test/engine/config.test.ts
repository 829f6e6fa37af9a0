import * as assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/config/configFile';
import { severitiesFor } from '../../server/src/config/presets';

const at = (p: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) => [
  p.range.start.line,
  p.range.start.character,
  p.range.end.line,
  p.range.end.character,
];

describe('config file', () => {
  it('reads every section', () => {
    const { config, problems } = parseConfig(
      'extends: strict\nrules:\n  image-unpinned-digest: off\nignore: [vendor/**]\nimages:\n' +
        '  allow: ["localhost:5000/*"]\nbuildScripts: [docker/*.sh]\n',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      extends: 'strict',
      rules: { 'image-unpinned-digest': 'off' },
      ignore: ['vendor/**'],
      imagesAllow: ['localhost:5000/*'],
      buildScripts: ['docker/*.sh'],
    });
  });
  it('reports bad entries with exact ranges and keeps the good ones', () => {
    const { config, problems } = parseConfig(
      'extends: lax\nrules:\n  image-untaged: error\n  image-latest-tag: loud\n  image-untagged: error\ncolour: red\n',
    );
    assert.deepEqual(
      problems.map((p) => [p.message.split(' ')[0], ...at(p)]),
      [
        ['extends', 0, 9, 0, 12],
        ['unknown', 2, 2, 2, 15],
        ['severity', 3, 20, 3, 24],
        ['unknown', 5, 0, 5, 6],
      ],
    );
    assert.deepEqual(config.rules, { 'image-untagged': 'error' });
    assert.equal(config.extends, undefined);
  });
  it('says which id, key, severity or preset a misspelt one most likely meant', () => {
    const { problems } = parseConfig(
      'extends: recommend\nrule:\n  x: off\nrules:\n  image-untaged: error\n  latest-tag: off\n' +
        '  image-latest-tag: warn\n  image-untagged: eror\n  package: off\nimages:\n  alow: [x]\n',
    );
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'extends must be one of: recommended, strict (did you mean recommended?)',
        'unknown key “rule” (expected extends, rules, ignore, images, buildScripts) (did you mean rules?)',
        'unknown rule id “image-untaged” (did you mean image-untagged?)',
        'unknown rule id “latest-tag” (did you mean image-latest-tag?)',
        'severity of image-latest-tag must be one of: off, hint, info, warning, error (did you mean warning?)',
        'severity of image-untagged must be one of: off, hint, info, warning, error (did you mean error?)',
        // two ids start with package-: no guess
        'unknown rule id “package”',
        'unknown key “images.alow” (expected allow) (did you mean allow?)',
      ],
    );
  });
  it('reports invalid YAML without throwing', () => {
    const { problems } = parseConfig('rules: [\n');
    assert.ok(problems.length > 0);
    assert.match(problems[0]!.message, /invalid YAML/);
  });
  it('accepts an empty file', () => {
    assert.deepEqual(parseConfig('').problems, []);
    assert.deepEqual(parseConfig('# only a comment\n').problems, []);
  });
  it('rejects a non-mapping root', () => {
    assert.equal(parseConfig('- a\n').problems.length, 1);
  });
  it('presets: strict raises, recommended keeps unpinned-digest as info, overrides win', () => {
    assert.equal(severitiesFor('recommended')['image-unpinned-digest'], 'info');
    assert.equal(severitiesFor('strict')['image-unpinned-digest'], 'warning');
    assert.equal(
      severitiesFor('recommended', { 'image-untagged': 'off' }, { 'image-untagged': 'error' })['image-untagged'],
      'error',
    );
  });
});
