import * as assert from 'node:assert/strict';
import { Language, Parser } from 'web-tree-sitter';
import { BashParser, initShellAnalyzer } from '../../server/src/shell/parser';

describe('bash parser: the same text parsed again at once is not parsed again', () => {
  /** A BashParser over tree-sitter's own parser, counting the parses that reach it. */
  async function countingParser(keptTrees?: number): Promise<{ parser: BashParser; parses: () => number }> {
    await initShellAnalyzer(); // the runtime, loaded once per process
    const real = new Parser();
    real.setLanguage(await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
    let parses = 0;
    const counted = {
      parse: (text: string) => {
        parses++;
        return real.parse(text);
      },
    } as unknown as Parser;
    return { parser: new BashParser(counted, keptTrees), parses: () => parses };
  }

  it('gives the same tree from one parse, each copy deleted on its own, until two other texts are parsed', async () => {
    const { parser, parses } = await countingParser();
    const script = '#!/bin/sh\n. ./env.sh\napt-get install -y curl\n';
    const first = parser.parse(script);
    const shape = first.rootNode.toString();
    assert.match(shape, /^\(program /);
    first.delete();
    const again = parser.parse(script);
    assert.equal(parses(), 1, 'the second parse of the same text is a copy');
    assert.equal(again.rootNode.toString(), shape);
    assert.equal(again.rootNode.text, script);
    const other = parser.parse('echo other\n');
    assert.equal(parses(), 2);
    assert.equal(again.rootNode.toString(), shape, 'a copy outlives the kept tree it came from');
    again.delete();
    other.delete();
    // A script, then the file it sources, then the script again for its lint: the script's tree is kept.
    parser.parse(script).delete();
    assert.equal(parses(), 2, 'the text parsed before the last one is kept too');
    parser.parse('echo other\n').delete();
    parser.parse('echo third\n').delete();
    parser.parse('echo other\n').delete();
    assert.equal(parses(), 3, 'asked for again, a kept text is the latest: the older one goes first');
    parser.parse(script).delete();
    assert.equal(parses(), 4, 'two trees are kept at most');
  });

  it('keeps one tree when the host asks for one (the language server)', async () => {
    const { parser, parses } = await countingParser(1);
    parser.parse('echo one\n').delete();
    parser.parse('echo two\n').delete();
    parser.parse('echo two\n').delete();
    assert.equal(parses(), 2);
    parser.parse('echo one\n').delete();
    assert.equal(parses(), 3, 'only the last text parsed is kept');
  });
});
