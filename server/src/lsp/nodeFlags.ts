/**
 * Node flags the editor client starts the server with. A language server keeps little (open
 * documents, small indexes) but allocates a lot while linting; without limits V8 lets the heap
 * grow to hundreds of MB before collecting. These keep RSS near 100 MB after a workspace scan.
 * (The server sets its compiler flags itself, as every host does: see v8Flags.ts.)
 *
 * The small young generation is memory bought with CPU, measured on a first Scan Workspace of the
 * corpus: against the CLI's default (16 MB semi-spaces) the main thread spends 4.9 s instead of 1.7 s
 * collecting, yet the process's CPU differs by 0.6 s (14.8 / 14.2 s; the scavenges are shorter and run
 * beside the main thread) and RSS after the scan was 135 MB instead of 154–165 MB. The old space the
 * scan promotes is given back after it (see heapRelease.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256'];
