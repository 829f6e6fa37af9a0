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
 *
 * The old space is capped at 512 MB, a bound on what the server can take. At 256 MB (the cap before)
 * V8 sizes the old generation as for a small device and collects it more often: 42 full collections
 * in the bench's editor session and corpus scan against 35 at 512 MB, each one marking the whole live
 * heap. Scan Workspace of the corpus after the bench's editor session, 256 → 512 MB
 * (3 A/B/B/A groups, 12 runs): wall 7.05 → 6.56 s, CPU 9.56 → 8.72 s, peak RSS 124 → 126–129 MB,
 * RSS 500 ms after the scan 94.6 → 93.7 MB, RSS after the typing before it unchanged (92–101 MB).
 * (1,024 MB: 0.90× the wall, peak 130–135 MB; `--heap-growing-percent=100` at 256 MB: no gain.)
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=512'];
