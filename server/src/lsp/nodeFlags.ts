/**
 * Node flags the editor client starts the server with. A language server keeps little (open
 * documents, small indexes) but allocates a lot while linting; without limits V8 lets the heap
 * grow to hundreds of MB before collecting. These keep RSS near 100 MB after a workspace scan.
 *
 * `--liftoff-only` keeps the bash grammar's WebAssembly on V8's baseline compiler. Tiering it up to
 * the optimising compiler runs on background threads whose scratch memory (40–60 MB for the
 * grammar's lexer and parser functions) stays with the process afterwards, as freed but resident
 * malloc memory; that was a third of the server's RSS. Baseline code parses shell about a quarter
 * slower, but no optimising compiles compete with linting for the CPU any more: a workspace scan
 * and keystroke latency stay as they were.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256', '--liftoff-only'];
