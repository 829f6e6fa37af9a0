import * as assert from 'node:assert/strict';
import { Util } from 'dockerfile-ast/lib/util';
import { isByteOrderMark, prepareHostRuntime } from '../../server/src/hostRuntime';

/** dockerfile-ast's own `Util.isUTF8BOM` (0.7.1): the first three bytes of the text's UTF-8. */
function encodedIsByteOrderMark(text: string): boolean {
  const bytes = Uint8Array.from(Buffer.from(text, 'utf8'));
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

describe('host runtime: dockerfile-ast byte order mark check', () => {
  it('gives the answer of encoding the text, for every code unit and for longer texts', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const text = String.fromCharCode(unit);
      assert.equal(isByteOrderMark(text), encodedIsByteOrderMark(text), `U+${unit.toString(16)}`);
    }
    for (const text of ['', '\ufeffFROM x', 'FROM x', '\ud83d\ude00', '\ufffe', '\uffff\ufeff'])
      assert.equal(isByteOrderMark(text), encodedIsByteOrderMark(text), JSON.stringify(text));
  });

  it('is what dockerfile-ast uses once the host runtime is prepared', () => {
    prepareHostRuntime();
    assert.equal((Util as { isUTF8BOM: unknown }).isUTF8BOM, isByteOrderMark);
  });
});
