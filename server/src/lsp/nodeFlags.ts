import { setFlagsFromString } from 'node:v8';

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

/**
 * The heap of a Scan Workspace's worker threads: the CLI's young generation (16 MB semi-spaces; a
 * young generation is three of them) and the server's old-space cap. A worker visits and lints a scan
 * and exits, giving its heap back, so it takes the CLI's memory-for-speed trade, not the editor's.
 * Scan Workspace of the corpus on 2 cores (one worker), against the server's own thread: first of a
 * session 6.4–7.0 → 5.4–5.8 s (the CLI's scan: 4.9–5.5 s), while the scan runs the process peaks at
 * 215–229 MB instead of 119–125 MB; RSS after it is unchanged (105–111 MB). With a 24 MB young
 * generation and no held trees the peak was 170–180 MB and the first scan about 10 % slower.
 */
export const SCAN_WORKER_LIMITS = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 512 } as const;

/**
 * V8 applies a process's `--max-semi-space-size` to every isolate it creates after, over a worker's
 * own `resourceLimits`: under the server's 2 MB, a worker asking for a 48 MB young generation gets 4 MB.
 * The server's own heap is sized when it starts, so the flag is cleared then, for the workers' sake.
 */
export function letWorkersSizeTheirYoungGeneration(): void {
  setFlagsFromString('--max-semi-space-size=0');
}
