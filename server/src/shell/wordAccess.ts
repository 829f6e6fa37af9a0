import { endianness } from 'node:os';

/** The part of web-tree-sitter's WebAssembly runtime (an emscripten module) that moves words in and out of memory. */
interface WasmRuntime {
  /** Plain functions of the runtime's closure: they use no `this`. */
  setValue(this: void, pointer: number, value: number, type?: string): void;
  getValue(this: void, pointer: number, type?: string): number;
  /** The memory as 32-bit words; the runtime replaces the view whenever the memory grows. */
  HEAP32: Int32Array;
}

/**
 * Gives web-tree-sitter's runtime a direct path for 32-bit words. The binding moves every tree
 * cursor and node through wasm memory a 32-bit word at a time, with emscripten's generic
 * `setValue`/`getValue`: a string test, a switch on the type name and a DataView call per word, four
 * words per cursor read. A shell walk reads the cursor several times per node, so on the corpus's
 * 1,635 scripts as a file list the two took 256 ms of a 3.5 s CPU profile (13 ms with this path), and
 * the CLI's CPU for that list fell from 4.25 to 3.70 s (median of 6 A/B/B/A pairs, lower in 5).
 *
 * The direct path writes the same bytes: the runtime stores words little-endian through its DataView,
 * as an Int32Array does on a little-endian machine (on another, nothing is changed). Other types go
 * to the runtime's own functions. `runtime` is the options object given to `Parser.init`, which
 * emscripten's module factory fills in and returns as the module; anything else (a runtime another
 * call initialised first, another build of the binding) is left as it is. Returns whether the path
 * was installed.
 */
export function installDirectWordAccess(runtime: object): boolean {
  if (endianness() !== 'LE' || !isWasmRuntime(runtime)) return false;
  const { setValue, getValue } = runtime;
  // `runtime.HEAP32` is read at every call: a view kept from before the memory grew would be detached.
  runtime.setValue = (pointer, value, type) => {
    if (type === 'i32') runtime.HEAP32[pointer >> 2] = value;
    else setValue(pointer, value, type);
  };
  runtime.getValue = (pointer, type) => (type === 'i32' ? runtime.HEAP32[pointer >> 2]! : getValue(pointer, type));
  return true;
}

function isWasmRuntime(value: object): value is WasmRuntime {
  const runtime = value as Partial<WasmRuntime>;
  return (
    typeof runtime.setValue === 'function' &&
    typeof runtime.getValue === 'function' &&
    runtime.HEAP32 instanceof Int32Array
  );
}
