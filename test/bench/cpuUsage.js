'use strict';
/**
 * Preloaded (`node -r`) into each timed CLI run by bench.js: when the process exits, writes its CPU
 * time (user and system, all threads: `process.cpuUsage()` is process-wide) in milliseconds to the
 * file named by $DRIFTGUARD_BENCH_CPU_FILE. CPU time holds on a busy machine where wall-clock time
 * does not. Scan workers load preloads too; only the main thread, which exits last, writes.
 */
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.DRIFTGUARD_BENCH_CPU_FILE;
if (file && isMainThread)
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ userMs: user / 1000, systemMs: system / 1000 }));
  });
