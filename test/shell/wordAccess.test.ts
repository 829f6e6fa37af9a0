import * as assert from 'node:assert/strict';
import { initShellAnalyzer, usesDirectWordAccess } from '../../server/src/shell/parser';
import { installDirectWordAccess } from '../../server/src/shell/wordAccess';

describe("web-tree-sitter's runtime: the direct path for 32-bit words", () => {
  /** A runtime as emscripten builds it: generic functions over a DataView, a words view replaced as memory grows. */
  function runtimeOver(memory: ArrayBuffer) {
    const calls: string[] = [];
    const runtime = {
      HEAP32: new Int32Array(memory),
      setValue(pointer: number, value: number, type = 'i8') {
        calls.push(`set ${type}`);
        if (type === 'i8') new DataView(runtime.HEAP32.buffer).setInt8(pointer, value);
        else new DataView(runtime.HEAP32.buffer).setInt32(pointer, value, true);
      },
      getValue(pointer: number, type = 'i8') {
        calls.push(`get ${type}`);
        return type === 'i8'
          ? new DataView(runtime.HEAP32.buffer).getInt8(pointer)
          : new DataView(runtime.HEAP32.buffer).getInt32(pointer, true);
      },
    };
    return { runtime, calls };
  }

  it('writes and reads i32 words as the runtime does, in the current view; other types go to the runtime', () => {
    const { runtime, calls } = runtimeOver(new ArrayBuffer(64));
    assert.equal(installDirectWordAccess(runtime), true);
    runtime.setValue(8, -123456789, 'i32');
    assert.equal(
      new DataView(runtime.HEAP32.buffer).getInt32(8, true),
      -123456789,
      'little-endian, as the runtime stores it',
    );
    assert.equal(runtime.getValue(8, 'i32'), -123456789);
    runtime.setValue(3, 7);
    assert.equal(runtime.getValue(3, 'i8'), 7);
    assert.deepEqual(calls, ['set i8', 'get i8'], 'only i32 words take the direct path');
    // The memory grew: the runtime made a new view, and the old buffer is no longer written.
    const old = runtime.HEAP32;
    runtime.HEAP32 = new Int32Array(new ArrayBuffer(128));
    runtime.setValue(100, 42, 'i32');
    assert.equal(runtime.HEAP32[25], 42);
    assert.equal(runtime.getValue(100, 'i32'), 42);
    assert.equal(old[25], undefined, 'nothing written past the old view');
  });

  it('leaves alone what is not such a runtime', () => {
    const options = { locateFile: () => 'tree-sitter.wasm' };
    assert.equal(installDirectWordAccess(options), false);
    assert.deepEqual(Object.keys(options), ['locateFile']);
    const noView = { setValue: () => {}, getValue: () => 0 };
    assert.equal(installDirectWordAccess(noView), false);
  });

  it('is installed in the real runtime, and trees read right after its memory grew', async () => {
    const parser = await initShellAnalyzer();
    assert.equal(usesDirectWordAccess(), true);
    const line = 'echo a1\n';
    const small = parser.parse(line.repeat(3));
    small.delete();
    // About 60 MB of syntax tree, more than the runtime's initial 32 MB of memory and than any other test's
    // tree: the memory grows while this parses, after words went through the first view.
    const count = 100_000;
    const tree = parser.parse(line.repeat(count));
    try {
      const cursor = tree.walk();
      assert.ok(cursor.gotoFirstChild());
      let seen = 0;
      do {
        assert.equal(cursor.nodeType, 'command');
        assert.equal(cursor.startIndex, seen * line.length);
        assert.equal(cursor.endIndex, seen * line.length + line.length - 1);
        seen++;
      } while (cursor.gotoNextSibling());
      cursor.delete();
      assert.equal(seen, count);
    } finally {
      tree.delete();
    }
  });
});
