/**
 * Node flags the editor client starts the server with. A language server keeps little (open
 * documents, small indexes) but allocates a lot while linting; without limits V8 lets the heap
 * grow to hundreds of MB before collecting. These keep RSS near 100 MB after a workspace scan.
 * (The server keeps the shell grammar's WebAssembly on the baseline compiler itself: see
 * `initShellAnalyzer`.)
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256'];
