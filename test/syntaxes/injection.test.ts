import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, parseRawGrammar, Registry } from 'vscode-textmate';
import { REPO_ROOT } from '../helpers/repo';

/**
 * Minimal host languages with `#` comments written the two ways real grammars write them: one
 * `match` (as the Dockerfile and YAML grammars do) or `begin`/`end` (as the shell grammar does).
 */
const HOST = (scopeName: string) =>
  JSON.stringify({
    scopeName,
    patterns:
      scopeName === 'source.shell'
        ? [
            {
              begin: '(^[ \\t]+)?(?=#)',
              end: '(?!\\G)',
              patterns: [{ begin: '#', end: '\\n', name: 'comment.line.number-sign' }],
            },
          ]
        : [{ match: '^(\\s*)((#).*$\\n?)', captures: { 2: { name: 'comment.line.number-sign' } } }],
  });

async function grammarFor(scopeName: string): Promise<IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new oniguruma.OnigScanner(s),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name) => {
      if (name === 'driftguard.injection') {
        const file = path.join(REPO_ROOT, 'syntaxes', 'driftguard.injection.tmLanguage.json');
        return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      return parseRawGrammar(HOST(name), `${name}.json`);
    },
    getInjections: () => ['driftguard.injection'],
  });
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar);
  return grammar;
}

function scopesOf(grammar: IGrammar, line: string): Array<[string, string]> {
  return grammar
    .tokenizeLine(line, INITIAL)
    .tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!]);
}

describe('injection grammar', () => {
  for (const host of ['source.dockerfile', 'source.yaml', 'source.shell']) {
    it(`scopes ignore comments and rule ids in ${host}`, async () => {
      const tokens = scopesOf(
        await grammarFor(host),
        '# driftguard-ignore image-untagged,image-latest-tag -- base rebuilt nightly',
      );
      assert.deepEqual(
        tokens.filter(([t, s]) => s.includes('driftguard') && t.trim() !== ''),
        [
          ['#', 'punctuation.definition.comment.driftguard'],
          ['driftguard-ignore', 'keyword.other.driftguard.ignore'],
          ['image-untagged', 'entity.name.tag.driftguard.rule-id'],
          [',', 'punctuation.separator.driftguard'],
          ['image-latest-tag', 'entity.name.tag.driftguard.rule-id'],
          [' -- base rebuilt nightly', 'comment.line.driftguard.reason'],
        ],
      );
    });
    it(`scopes @sha256 digests in ${host}`, async () => {
      const hex = 'ab'.repeat(32);
      const tokens = scopesOf(await grammarFor(host), `FROM nginx:1.27@sha256:${hex} AS web`);
      assert.deepEqual(
        tokens.filter(([, s]) => s.includes('driftguard')),
        [
          ['@', 'punctuation.separator.driftguard.digest'],
          ['sha256', 'storage.type.driftguard.digest-algorithm'],
          [':', 'punctuation.separator.driftguard.digest'],
          [hex, 'constant.numeric.driftguard.digest'],
        ],
      );
    });
  }
  it('leaves ordinary comments alone', async () => {
    const tokens = scopesOf(await grammarFor('source.shell'), '# driftguard-ignored is not a pragma');
    assert.ok(!tokens.some(([, s]) => s.includes('driftguard')));
  });
  it('scopes an ignore comment after YAML indentation', async () => {
    const tokens = scopesOf(await grammarFor('source.yaml'), '    # driftguard-ignore-file image-untagged');
    assert.ok(
      tokens.some(([t, s]) => t === 'driftguard-ignore-file' && s === 'keyword.other.driftguard.ignore'),
      JSON.stringify(tokens),
    );
  });
});
