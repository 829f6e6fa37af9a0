#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: DriftGuard against its read+parse floor and against the peer linters, on the
 * shared corpus, plus editor latency and memory of the real language server.
 *
 *   node test/bench/bench.js [--corpus DIR] [--eval-corpus DIR] [--ci-corpus DIR] [--ci-copies N] [--runs N]
 *                            [--json] [--out FILE] [--only a,b] [--skip a,b] [--no-build] [--baseline DIR]
 *
 * Sections (for --only/--skip): scan, floor, peers, editor, findings, yaml (hostile merge keys; needs no
 * corpus: `--only yaml`), ci (needs no corpus: `--only ci`). Every figure is the median of N runs
 * (default 5) with min–max; every ratio compares medians measured in this same invocation.
 * The corpus defaults to ../shared/corpus beside the repository (or $DRIFTGUARD_CORPUS); the
 * evaluation corpus (repositories the rules were never tuned on) to corpus-eval beside the corpus
 * (or $DRIFTGUARD_CORPUS_EVAL). `findings` gives the findings per rule on each, so a change that
 * moves them shows.
 * `ci`: GitHub workflows, action metadata, GitLab CI and dev containers, which the shared corpus has
 * none of: the fixture repositories in test/bench/ci-corpus (or $DRIFTGUARD_CI_CORPUS), copied
 * --ci-copies times (default 40) so a scan is long enough to time; scan and floor per kind, and the
 * findings per rule on one copy.
 * Peers: dockerfile-utils, dockerfilelint and dclint are devDependencies; shellcheck is installed
 * with apt-get when missing.
 * Editor: a server on a small workspace opens, types into and closes a document of each kind, then
 * scans the corpus (a folder outside its workspace), then scans it again while the Dockerfile is
 * typed into (keystroke → diagnostics during a Scan Workspace); a second server, with the corpus as its
 * workspace and nothing opened, scans it twice: the first Scan Workspace of a session (the workspace
 * is read for the first time) and a later one, each with its ratio to the CLI scan.
 * CPU: each CLI scan also reports its CPU time (user+sys, all threads; test/bench/cpuUsage.js), and
 * the editor section the server's CPU per keystroke and for Scan Workspace (/proc/PID/stat): on a
 * busy machine CPU time holds where wall-clock time does not.
 * --baseline DIR: another build to compare with in the same run, e.g. the bundles of an older commit
 * (DIR holds its cli.js and server.js, as dist/ does). Every figure of the sections `scan` and
 * `editor` is then measured for both builds, interleaved run by run (this build, baseline, baseline,
 * this build, …), and printed side by side with the ratio this build / baseline (and under
 * `baseline` in --json). The editor section starts both servers with this build's Node flags; a
 * figure a build cannot give (e.g. a request its server lacks) is skipped for it, with the reason.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SERVER = path.join(ROOT, 'dist/server.js');

// ---------------------------------------------------------------------------------------------
// options

function parseOptions(argv) {
  const options = {
    corpus: process.env.DRIFTGUARD_CORPUS || path.resolve(ROOT, '../shared/corpus'),
    evalCorpus: process.env.DRIFTGUARD_CORPUS_EVAL,
    ciCorpus: process.env.DRIFTGUARD_CI_CORPUS || path.join(__dirname, 'ci-corpus'),
    ciCopies: 40,
    runs: 5,
    json: false,
    out: undefined,
    only: undefined,
    skip: new Set(),
    build: true,
    edits: 200,
    lines: 3000,
    baseline: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--corpus') options.corpus = path.resolve(next());
    else if (a === '--eval-corpus') options.evalCorpus = path.resolve(next());
    else if (a === '--ci-corpus') options.ciCorpus = path.resolve(next());
    else if (a === '--ci-copies') options.ciCopies = Math.max(1, Number(next()) | 0);
    else if (a === '--runs') options.runs = Math.max(1, Number(next()) | 0);
    else if (a === '--json') options.json = true;
    else if (a === '--out') options.out = path.resolve(next());
    else if (a === '--only') options.only = new Set(next().split(','));
    else if (a === '--skip')
      next()
        .split(',')
        .forEach((s) => options.skip.add(s));
    else if (a === '--no-build') options.build = false;
    else if (a === '--edits') options.edits = Math.max(1, Number(next()) | 0);
    else if (a === '--baseline') options.baseline = baselineBuild(path.resolve(next()));
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  options.evalCorpus ??= path.resolve(options.corpus, '../corpus-eval');
  return options;
}

/** The build this checkout makes (dist/), which every section measures. */
const HEAD = { name: 'this build', cli: CLI, server: SERVER };

/** A build given by --baseline: a folder with its cli.js and server.js bundles. */
function baselineBuild(dir) {
  const build = { name: 'baseline', dir, cli: path.join(dir, 'cli.js'), server: path.join(dir, 'server.js') };
  for (const file of [build.cli, build.server])
    if (!fs.existsSync(file)) throw new Error(`--baseline ${dir}: ${path.basename(file)} not found`);
  return build;
}

const log = (...args) => process.stderr.write(args.join(' ') + '\n');

// ---------------------------------------------------------------------------------------------
// statistics

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples };
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// processes

/** Runs a command to completion; stdout goes to a file (Node CLIs truncate piped stdout at 64 KiB). */
function timeProcess(cmd, args, { stdoutFile, cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
    const errFile = path.join(os.tmpdir(), `driftguard-bench-stderr-${process.pid}.txt`);
    const err = fs.openSync(errFile, 'w');
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, err] });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (typeof out === 'number') fs.closeSync(out);
      fs.closeSync(err);
      const stderr = fs.readFileSync(errFile, 'utf8');
      resolve({ ms, code, signal, stderr });
    });
  });
}

/** `fn(i)` gives a run's milliseconds, or `{ ms }` (a timed CLI run: `cliScan`). */
async function repeat(name, runs, warmup, fn) {
  const samples = [];
  for (let i = 0; i < runs + warmup; i++) {
    const r = await fn(i);
    if (i >= warmup) samples.push(typeof r === 'number' ? r : r.ms);
  }
  const s = stats(samples);
  log(`  ${name.padEnd(34)} ${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`);
  return s;
}

/**
 * The builds measured (this build, then the --baseline one if given), in the order of run `i`:
 * reversed on odd runs (A B, B A, A B, …), so a slow phase of a busy machine falls on both alike.
 */
function interleaved(builds, i) {
  return i % 2 ? [...builds].reverse() : builds;
}

/**
 * `repeat` for each build, interleaved: `fn(build)` gives a run's `{ ms, cpuMs }`. Returns a Map of
 * build to `{ ms, cpu }` statistics.
 */
async function repeatBuilds(name, runs, warmup, builds, fn) {
  const samples = new Map(builds.map((b) => [b, { ms: [], cpu: [] }]));
  for (let i = 0; i < runs + warmup; i++)
    for (const build of interleaved(builds, i)) {
      const { ms, cpuMs } = await fn(build)();
      if (i < warmup) continue;
      samples.get(build).ms.push(ms);
      samples.get(build).cpu.push(cpuMs);
    }
  const result = new Map([...samples].map(([b, s]) => [b, { ms: stats(s.ms), cpu: stats(s.cpu) }]));
  const line = (b) => {
    const { ms, cpu } = result.get(b);
    return `${fmtMs(ms.median)} (${fmtMs(ms.min)}–${fmtMs(ms.max)}), CPU ${fmtMs(cpu.median)}`;
  };
  log(`  ${name.padEnd(34)} ${builds.map((b) => (builds.length > 1 ? `${b.name} ` : '') + line(b)).join('; ')}`);
  return result;
}

function fmtMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

// ---------------------------------------------------------------------------------------------
// set-up

function build(options) {
  if (!options.build) return;
  log('building (npm run build)…');
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    if (!fs.existsSync(CLI) || !fs.existsSync(SERVER)) throw new Error('build failed and dist/ is missing');
    log('warning: the build reported errors; benchmarking the existing dist/ and out/');
  }
}

function ensureShellcheck() {
  if (spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0) return true;
  log('installing shellcheck (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'shellcheck'], { stdio: 'inherit', env });
  return spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
}

function versionOf(pkg) {
  try {
    return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function binOf(pkg, bin) {
  const pkgJson = require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
  const meta = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
  const rel = typeof meta.bin === 'string' ? meta.bin : meta.bin[bin];
  return path.join(path.dirname(pkgJson), rel);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** One JSON scan of a folder with the default settings, as parsed. */
async function scanReport(folder, tmp) {
  const report = path.join(tmp, 'list.json');
  const r = await timeProcess(process.execPath, [CLI, folder, '--format', 'json', '--output', report]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`driftguard failed on ${folder} (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(fs.readFileSync(report, 'utf8'));
}

/** The files the CLI analyses in a scanned corpus, with their kinds. */
function corpusFiles(parsed) {
  return parsed.files.map((f) => ({
    path: path.resolve(ROOT, f.path),
    kind: f.kind,
    skipped: f.skipped,
    problems: f.problems.length,
  }));
}

/** Findings per rule in a scan report, rules sorted by name. */
function findingsByRule(parsed) {
  const counts = {};
  for (const file of parsed.files) for (const p of file.problems) counts[p.ruleId] = (counts[p.ruleId] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

// ---------------------------------------------------------------------------------------------
// editor: the real server over stdio

/** Clock ticks per second of /proc/PID/stat times. */
let clockTicks;
/** How long after a request the server's RSS is read (see `settledRssMB`). */
const RSS_SETTLE_MS = 500;

class Lsp {
  constructor(server = SERVER) {
    const rpc = require(require.resolve('vscode-jsonrpc/node', { paths: [ROOT] }));
    // The same Node flags the VS Code client starts the server with.
    const { SERVER_NODE_FLAGS } = require(path.join(ROOT, 'out/server/src/lsp/nodeFlags.js'));
    this.proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', () => {});
    this.conn = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.proc.stdout),
      new rpc.StreamMessageWriter(this.proc.stdin),
    );
    this.listeners = [];
    this.logs = [];
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      for (const l of [...this.listeners]) l(p);
    });
    this.conn.onNotification('window/logMessage', (p) => this.logs.push(p.message));
    this.conn.onNotification(() => {});
    this.conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ enable: true, rules: {} })));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  async initialize(rootUri) {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: { workspace: { configuration: true, workspaceEdit: { documentChanges: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves with the time (ms) until the publish for `uri` at `version` arrives after `send()`. */
  timed(uri, version, send, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (p) => {
        if (p.uri !== uri || p.version !== version) return;
        done();
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
      };
      const done = () => {
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
      };
      this.listeners.push(listener);
      send();
    });
  }

  /**
   * The server's RSS once it has settled after a request: a server may give memory back right after
   * answering (the language server's collections after a Scan Workspace run then, so the answer is not
   * delayed: lsp/heapRelease.ts), and an RSS read at the answer caught the memory about to be freed
   * (main at 0571b7a: 103-106 MB at the answer, 92 MB 250 ms later, the same after 1 s; 37a790a, which
   * collects before answering: 99-101 MB at both). Every build is read the same way.
   */
  async settledRssMB() {
    await new Promise((resolve) => setTimeout(resolve, RSS_SETTLE_MS));
    return this.rssMB();
  }

  rssMB() {
    const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    const kb = (key) => Number((new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status) || [])[1]) / 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  }

  /** CPU time (user+sys, ms) the server has used so far. */
  cpuMs() {
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
    const stat = fs.readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks; // utime, stime
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    this.conn.dispose();
    setTimeout(() => {
      if (this.proc.exitCode === null) this.proc.kill();
    }, 500).unref();
  }
}

/** A document of about `lines` lines built from corpus files of one kind (deterministic). */
function editorDocument(kind, files, lines) {
  const sources = files
    .filter((f) => f.kind === kind && !f.skipped)
    .map((f) => f.path)
    .sort();
  if (kind === 'compose') {
    const { parseDocument, stringify } = require(require.resolve('yaml', { paths: [ROOT] }));
    const services = {};
    let text = '';
    for (const file of sources) {
      const doc = parseDocument(fs.readFileSync(file, 'utf8'), { merge: true });
      if (doc.errors.length > 0) continue;
      let js;
      try {
        js = doc.toJS({ maxAliasCount: -1 });
      } catch {
        continue;
      }
      if (!js || typeof js.services !== 'object' || js.services === null) continue;
      for (const [name, service] of Object.entries(js.services)) {
        if (!service || typeof service !== 'object') continue;
        services[`${name}_${Object.keys(services).length}`] = service;
      }
      text = stringify({ services });
      if (text.split('\n').length >= lines) break;
    }
    return fitLines(text, lines);
  }
  let text = '';
  for (const file of sources) {
    text += fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    if (!text.endsWith('\n')) text += '\n';
    if (text.split('\n').length > lines) break;
  }
  return fitLines(text, lines);
}

function fitLines(text, lines) {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  while (all.length < lines) all.push('# padding');
  return all.slice(0, lines).join('\n') + '\n';
}

/**
 * One session of `build`'s language server: open, type into and close a document of each kind, then
 * Scan Workspace on the corpus. A figure the server cannot give (an error, a request it lacks, no
 * diagnostics in time) is left out and its reason kept in `skipped`, keyed by figure.
 */
async function editorSession(files, options, tmp, build = HEAD) {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const docs = [
    { kind: 'dockerfile', name: 'Dockerfile', languageId: 'dockerfile' },
    { kind: 'compose', name: 'compose.yaml', languageId: 'dockercompose' },
    { kind: 'shell', name: 'script.sh', languageId: 'shellscript' },
  ];
  const lsp = new Lsp(build.server);
  const result = { latency: {}, open: {}, skipped: {} };
  const skip = (keys, error) => {
    for (const key of keys) result.skipped[key] = String(error && error.message ? error.message : error);
  };
  try {
    const t0 = process.hrtime.bigint();
    await lsp.initialize(pathToFileURL(ws).toString());
    result.startMs = Number(process.hrtime.bigint() - t0) / 1e6;
    for (const doc of docs) {
      const text = editorDocument(doc.kind, files, options.lines);
      const file = path.join(ws, doc.name);
      fs.writeFileSync(file, text);
      const uri = pathToFileURL(file).toString();
      const lines = text.split('\n');
      const editLine = Math.floor(lines.length / 2);
      // A comment line in the middle of the document, typed into one character at a time.
      const opened = lines.slice(0, editLine).concat(['# '], lines.slice(editLine)).join('\n');
      try {
        result.open[doc.kind] = await lsp.timed(uri, 1, () =>
          lsp.conn.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: doc.languageId, version: 1, text: opened },
          }),
        );
        const samples = [];
        const cpu0 = lsp.cpuMs();
        for (let i = 0; i < options.edits; i++) {
          const version = i + 2;
          const at = { line: editLine, character: 2 + i };
          const ch = 'abcdefghijklmnopqrstuvwxyz'[i % 26];
          samples.push(
            await lsp.timed(uri, version, () =>
              lsp.conn.sendNotification('textDocument/didChange', {
                textDocument: { uri, version },
                contentChanges: [{ range: { start: at, end: at }, text: ch }],
              }),
            ),
          );
        }
        result.latency[doc.kind] = {
          p50: percentile(samples, 50),
          p99: percentile(samples, 99),
          cpuPerKey: (lsp.cpuMs() - cpu0) / options.edits,
          lines: lines.length,
        };
      } catch (error) {
        if (!(doc.kind in result.open)) skip([`edit.${doc.kind}.open`], error);
        skip([`edit.${doc.kind}.p50`, `edit.${doc.kind}.p99`, `edit.${doc.kind}.cpuPerKey`], error);
      }
      await lsp.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
    const before = lsp.rssMB();
    const cpu0 = lsp.cpuMs();
    const s0 = process.hrtime.bigint();
    try {
      const scan = await lsp.conn.sendRequest('driftguard/scanWorkspace', {
        folders: [pathToFileURL(options.corpus).toString()],
      });
      result.scanMs = Number(process.hrtime.bigint() - s0) / 1e6;
      result.scanCpuMs = lsp.cpuMs() - cpu0;
      result.scanned = scan.filesScanned;
    } catch (error) {
      skip(['server.scan', 'server.scan.cpu'], error);
    }
    const after = await lsp.settledRssMB();
    result.rssBeforeScan = before.rss;
    result.rss = after.rss;
    result.rssPeak = after.peak;
    try {
      const dockerfile = path.join(ws, docs[0].name);
      result.duringScan = await typingDuringScan(lsp, dockerfile, docs[0].languageId, options.corpus);
    } catch (error) {
      skip(['edit.duringScan.p50', 'edit.duringScan.p90'], error);
    }
  } finally {
    await lsp.stop();
  }
  return result;
}

/** Pause between two keystrokes typed while a Scan Workspace runs (a fast typist). */
const KEY_PAUSE_MS = 50;

/** Longest the typing goes on when the scan does not answer (the figure is then skipped). */
const TYPING_LIMIT_MS = 120_000;

/**
 * Keystroke → diagnostics of `file` (reopened) while the server scans `corpus`: one character at a
 * time into its middle, each after the last one's diagnostics and a pause, until the scan answers.
 * What a user typing during a Scan Workspace waits for.
 */
async function typingDuringScan(lsp, file, languageId, corpus) {
  const uri = pathToFileURL(file).toString();
  const text = fs.readFileSync(file, 'utf8');
  const editLine = Math.floor(text.split('\n').length / 2);
  await lsp.timed(uri, 1, () =>
    lsp.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } }),
  );
  let scanning = true;
  // Handled at once: a scan that fails while a keystroke is awaited must not end the bench.
  const scan = lsp.conn
    .sendRequest('driftguard/scanWorkspace', { folders: [pathToFileURL(corpus).toString()] })
    .then(
      () => ({}),
      (error) => ({ error }),
    )
    .finally(() => (scanning = false));
  const samples = [];
  const started = Date.now();
  for (let version = 2; scanning; version++) {
    if (Date.now() - started > TYPING_LIMIT_MS) throw new Error(`the scan did not answer within ${TYPING_LIMIT_MS} ms`);
    const at = { line: editLine, character: 0 };
    samples.push(
      await lsp.timed(uri, version, () =>
        lsp.conn.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: at, end: at }, text: '#' }],
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, KEY_PAUSE_MS));
  }
  const { error } = await scan;
  if (error) throw error;
  await lsp.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return { p50: percentile(samples, 50), p90: percentile(samples, 90), keys: samples.length };
}

/**
 * Scan Workspace as a user's first one: a server whose workspace is the corpus, nothing opened,
 * scans it (the workspace is read for the first time), then scans it again (what the first one
 * learnt is known). Wall and CPU time of each, and the server's RSS after them. Then the CLI of the
 * same build scans the corpus right after, so the ratios compare runs made under the same load (on a
 * busy machine the scan section's CLI figures, taken minutes earlier, moved a ratio by 0.3).
 */
async function workspaceScans(options, tmp, build = HEAD) {
  const lsp = new Lsp(build.server);
  const result = { skipped: {} };
  try {
    await lsp.initialize(pathToFileURL(options.corpus).toString());
    for (const which of ['first', 'later']) {
      const cpu0 = lsp.cpuMs();
      const s0 = process.hrtime.bigint();
      try {
        await lsp.conn.sendRequest('driftguard/scanWorkspace', {});
        result[`${which}Ms`] = Number(process.hrtime.bigint() - s0) / 1e6;
        result[`${which}CpuMs`] = lsp.cpuMs() - cpu0;
      } catch (error) {
        for (const key of [`server.${which}Scan`, `server.${which}Scan.cpu`])
          result.skipped[key] = String(error && error.message ? error.message : error);
      }
    }
    const after = await lsp.settledRssMB();
    result.rss = after.rss;
    result.rssPeak = after.peak;
  } finally {
    await lsp.stop();
  }
  try {
    const cli = await cliScan(path.join(tmp, 'paired-report.json'), build)([options.corpus])();
    result.cliMs = cli.ms;
    result.cliCpuMs = cli.cpuMs;
  } catch (error) {
    for (const key of ['server.pairedCli', 'server.pairedCli.cpu'])
      result.skipped[key] = String(error && error.message ? error.message : error);
  }
  return result;
}

const CPU_PRELOAD = path.join(__dirname, 'cpuUsage.js');

/**
 * A timed CLI scan of `build` writing its JSON report to `report`: `(args) => () => { ms, cpuMs }`,
 * for `repeat` and `repeatBuilds`; cpuMs is the process's user+sys CPU time.
 */
function cliScan(report, build = HEAD) {
  return (args) => async () => {
    const cpuFile = path.join(path.dirname(report), 'cpu.json');
    fs.rmSync(cpuFile, { force: true });
    const r = await timeProcess(
      process.execPath,
      ['-r', CPU_PRELOAD, build.cli, '--format', 'json', '--output', report, ...args],
      { env: { ...process.env, DRIFTGUARD_BENCH_CPU_FILE: cpuFile } },
    );
    if (r.code !== 0 && r.code !== 1) throw new Error(`driftguard exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
    const { userMs, systemMs } = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
    return { ms: r.ms, cpuMs: userMs + systemMs };
  };
}

/** A timed run of floor.js on a list file (`kind<TAB>path` lines); records whether it parsed shell. */
function floorScan(tmp, info) {
  return (list) => async () => {
    const out = path.join(tmp, 'floor.json');
    const r = await timeProcess(process.execPath, [path.join(__dirname, 'floor.js'), list], { stdoutFile: out });
    if (r.code !== 0) throw new Error(`floor failed: ${r.stderr}`);
    info.floorParsesShell = JSON.parse(fs.readFileSync(out, 'utf8')).shellParsed;
    return r.ms;
  };
}

/**
 * The sections that read the corpus: scan, floor, peers, editor, findings. `measured` lists the builds
 * with where their figures go (`{ build, metrics, skipped }`), this build first; scan and editor
 * measure each of them, the other sections this build only.
 */
async function corpusSections(options, wants, tmp, measured, info, findings) {
  const metrics = measured[0].metrics;
  const builds = measured.map((m) => m.build);
  log(`corpus ${options.corpus}`);
  const scanned = await scanReport(options.corpus, tmp);
  const files = corpusFiles(scanned);
  if (wants('findings')) {
    findings.corpus = findingsByRule(scanned);
    if (fs.existsSync(options.evalCorpus)) {
      log(`evaluation corpus ${options.evalCorpus}`);
      findings['corpus-eval'] = findingsByRule(await scanReport(options.evalCorpus, tmp));
    } else log(`evaluation corpus not found: ${options.evalCorpus} (use --eval-corpus DIR)`);
  }
  const kinds = ['dockerfile', 'compose', 'shell'];
  const byKind = Object.fromEntries(kinds.map((k) => [k, files.filter((f) => f.kind === k)]));
  info.files = Object.fromEntries(kinds.map((k) => [k, byKind[k].length]));
  info.files.total = files.length;
  info.bytes = files.reduce((n, f) => n + fs.statSync(f.path).size, 0);
  info.skipped = files.filter((f) => f.skipped).length;
  const lists = {};
  for (const k of [...kinds, 'total']) {
    const set = k === 'total' ? files : byKind[k];
    lists[k] = path.join(tmp, `${k}.tsv`);
    fs.writeFileSync(lists[k], set.map((f) => `${f.kind}\t${f.path}`).join('\n') + '\n');
    fs.writeFileSync(path.join(tmp, `${k}.txt`), set.map((f) => f.path).join('\n') + '\n');
  }
  const report = path.join(tmp, 'report.json');
  const R = options.runs;

  if (wants('scan')) {
    log('DriftGuard CLI (one process, JSON report):');
    const scanBuilds = async (key, name, args) => {
      const result = await repeatBuilds(name, R, 1, builds, (build) => cliScan(report, build)(args));
      for (const { build, metrics: m } of measured) {
        m[key] = result.get(build).ms;
        m[`${key}.cpu`] = result.get(build).cpu;
      }
    };
    await scanBuilds('scan.total', 'scan: corpus folder', [options.corpus]);
    for (const k of kinds) await scanBuilds(`scan.${k}`, `scan: ${k} files`, ['--', ...byKind[k].map((f) => f.path)]);
  }

  if (wants('floor')) {
    log('read+parse floor (same parsers, no rules):');
    const floorRun = floorScan(tmp, info);
    for (const k of ['total', ...kinds]) metrics[`floor.${k}`] = await repeat(`floor: ${k}`, R, 1, floorRun(lists[k]));
  }

  if (wants('peers')) {
    log('peer linters on the same files:');
    info.versions['dockerfile-utils'] = versionOf('dockerfile-utils');
    info.versions.dockerfilelint = versionOf('dockerfilelint');
    info.versions.dclint = versionOf('dclint');
    const peerSummary = {};
    const nodePeer = (script, list, key) => async () => {
      const out = path.join(tmp, `${key}.json`);
      const r = await timeProcess(process.execPath, [path.join(__dirname, 'peers', script), list], {
        stdoutFile: out,
      });
      if (r.code !== 0) throw new Error(`${script} failed: ${r.stderr}`);
      peerSummary[key] = JSON.parse(fs.readFileSync(out, 'utf8'));
      return r.ms;
    };
    metrics['peer.dockerfile-utils'] = await repeat(
      'dockerfile-utils validate()',
      R,
      1,
      nodePeer('dockerfileUtils.js', path.join(tmp, 'dockerfile.txt'), 'dockerfile-utils'),
    );
    metrics['peer.dockerfilelint'] = await repeat(
      'dockerfilelint',
      R,
      1,
      nodePeer('dockerfilelint.js', path.join(tmp, 'dockerfile.txt'), 'dockerfilelint'),
    );
    const dclint = binOf('dclint', 'dclint');
    metrics['peer.dclint'] = await repeat('dclint -r', R, 0, async () => {
      const r = await timeProcess(process.execPath, [
        dclint,
        '-r',
        '--no-color',
        '-f',
        'json',
        '-o',
        path.join(tmp, 'dclint.json'),
        ...byKind.compose.map((f) => f.path),
      ]);
      if (r.code !== 0 && r.code !== 1) throw new Error(`dclint exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      return r.ms;
    });
    if (ensureShellcheck()) {
      info.versions.shellcheck = (/version:\s*(\S+)/.exec(
        spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).stdout,
      ) || [])[1];
      metrics['peer.shellcheck'] = await repeat('shellcheck', R, 0, async () => {
        const r = await timeProcess('shellcheck', ['-f', 'json1', ...byKind.shell.map((f) => f.path)], {
          stdoutFile: path.join(tmp, 'shellcheck.json'),
        });
        if (r.code !== 0 && r.code !== 1) throw new Error(`shellcheck exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
        return r.ms;
      });
    } else {
      log('  shellcheck: not available');
    }
    info.peerSummary = peerSummary;
  }

  if (wants('editor')) {
    log(
      `language server: ${options.lines}-line documents, ${options.edits} edits each, then a corpus scan; ` +
        'then the corpus as the workspace, scanned twice:',
    );
    const sessions = new Map(builds.map((b) => [b, []]));
    for (let i = 0; i < R; i++)
      for (const build of interleaved(builds, i)) {
        const s = await editorSession(files, options, tmp, build);
        s.workspace = await workspaceScans(options, tmp, build);
        Object.assign(s.skipped, s.workspace.skipped);
        sessions.get(build).push(s);
        const figures = kinds.map((k) =>
          s.latency[k] ? `${k} p50 ${fmtMs(s.latency[k].p50)} p99 ${fmtMs(s.latency[k].p99)}` : `${k} skipped`,
        );
        log(
          `  run ${i + 1}${builds.length > 1 ? ` (${build.name})` : ''}: ${figures.join(', ')}; ` +
            `scan ${s.scanMs === undefined ? 'skipped' : fmtMs(s.scanMs)}; RSS ${s.rss.toFixed(0)} MB; ` +
            `workspace scans: first ${s.workspace.firstMs === undefined ? 'skipped' : fmtMs(s.workspace.firstMs)}, ` +
            `later ${s.workspace.laterMs === undefined ? 'skipped' : fmtMs(s.workspace.laterMs)}`,
        );
      }
    for (const { build, metrics: m, skipped } of measured) {
      const runs = sessions.get(build);
      const agg = (name, pick) => {
        const values = runs.map(pick).filter((v) => v !== undefined);
        if (values.length > 0) m[name] = stats(values);
        else skipped[name] = runs.map((s) => s.skipped[name]).find(Boolean) ?? 'not measured';
      };
      agg('server.start', (s) => s.startMs);
      for (const k of kinds) {
        agg(`edit.${k}.open`, (s) => s.open[k]);
        agg(`edit.${k}.p50`, (s) => s.latency[k]?.p50);
        agg(`edit.${k}.p99`, (s) => s.latency[k]?.p99);
        agg(`edit.${k}.cpuPerKey`, (s) => s.latency[k]?.cpuPerKey);
      }
      agg('edit.duringScan.p50', (s) => s.duringScan?.p50);
      agg('edit.duringScan.p90', (s) => s.duringScan?.p90);
      agg('server.scan', (s) => s.scanMs);
      agg('server.scan.cpu', (s) => s.scanCpuMs);
      agg('server.rssBeforeScan', (s) => s.rssBeforeScan);
      agg('server.rss', (s) => s.rss);
      agg('server.rssPeak', (s) => s.rssPeak);
      for (const which of ['first', 'later']) {
        agg(`server.${which}Scan`, (s) => s.workspace[`${which}Ms`]);
        agg(`server.${which}Scan.cpu`, (s) => s.workspace[`${which}CpuMs`]);
      }
      agg('server.rss.workspaceScans', (s) => s.workspace.rss);
      agg('server.rssPeak.workspaceScans', (s) => s.workspace.rssPeak);
      agg('server.pairedCli', (s) => s.workspace.cliMs);
      agg('server.pairedCli.cpu', (s) => s.workspace.cliCpuMs);
    }
    const withLines = [...sessions.values()].flat().find((s) => kinds.every((k) => s.latency[k]));
    if (withLines) info.editorLines = Object.fromEntries(kinds.map((k) => [k, withLines.latency[k].lines]));
  }
}

/** The file kinds of CI and dev-environment files (the `ci` section). */
const CI_KINDS = ['workflow', 'action', 'gitlab-ci', 'devcontainer'];

/** `copies` copies of the CI corpus under `dest` (copy-000/…), so kinds are detected by the same paths. */
function copyCiCorpus(source, copies, dest) {
  for (let i = 0; i < copies; i++)
    fs.cpSync(source, path.join(dest, `copy-${String(i).padStart(3, '0')}`), {
      recursive: true,
      filter: (p) => path.basename(p) !== 'README.md',
    });
  return dest;
}

/** The `ci` section: scan and floor of the CI fixture corpus, per kind; its findings per rule. */
async function ciSection(options, tmp, metrics, info, findings) {
  if (!fs.existsSync(options.ciCorpus)) throw new Error(`CI corpus not found: ${options.ciCorpus}`);
  log(`CI and dev-environment files: ${options.ciCorpus}, ${options.ciCopies} copies`);
  findings['ci-corpus'] = findingsByRule(await scanReport(options.ciCorpus, tmp));
  const folder = copyCiCorpus(options.ciCorpus, options.ciCopies, path.join(tmp, 'ci'));
  const files = corpusFiles(await scanReport(folder, tmp));
  const byKind = Object.fromEntries(CI_KINDS.map((k) => [k, files.filter((f) => f.kind === k)]));
  info.ciFiles = Object.fromEntries(CI_KINDS.map((k) => [k, byKind[k].length]));
  info.ciFiles.total = files.length;
  info.ciFiles.copies = options.ciCopies;
  const list = (name, set) => {
    const file = path.join(tmp, `ci-${name}.tsv`);
    fs.writeFileSync(file, set.map((f) => `${f.kind}\t${f.path}`).join('\n') + '\n');
    return file;
  };
  const R = options.runs;
  const cliRun = cliScan(path.join(tmp, 'ci-report.json'));
  const floorRun = floorScan(tmp, info);
  metrics['scan.ci'] = await repeat('scan: CI corpus folder', R, 1, cliRun([folder]));
  metrics['floor.ci'] = await repeat('floor: CI corpus', R, 1, floorRun(list('total', files)));
  for (const k of CI_KINDS) {
    if (byKind[k].length === 0) continue;
    metrics[`scan.${k}`] = await repeat(`scan: ${k} files`, R, 1, cliRun(['--', ...byKind[k].map((f) => f.path)]));
    metrics[`floor.${k}`] = await repeat(`floor: ${k}`, R, 1, floorRun(list(k, byKind[k])));
  }
}

/**
 * YAML built to make merge-key lookups expensive (test/bench/hostileYaml.js, in its own process):
 * each file's lint beside its parse floor, and the issue's targets for them.
 */
async function hostileYaml(options, metrics, info) {
  log('hostile YAML (merge keys), engine lint in process:');
  const out = path.join(os.tmpdir(), `driftguard-bench-yaml-${process.pid}.json`);
  try {
    const r = await timeProcess(
      process.execPath,
      [path.join(__dirname, 'hostileYaml.js'), '--runs', String(options.runs)],
      {
        stdoutFile: out,
      },
    );
    if (r.code !== 0) throw new Error(`hostileYaml.js failed: ${r.stderr}`);
    const { files, cli } = JSON.parse(fs.readFileSync(out, 'utf8'));
    info.yaml = files.map(({ name, bytes, skipped, problems, visited, budget }) => ({
      name,
      bytes,
      skipped: !!skipped,
      problems,
      visited,
      budget,
    }));
    for (const f of files) {
      metrics[`yaml.${f.name}`] = stats(f.ms);
      metrics[`yaml.${f.name}.floor`] = stats(f.floorMs);
      const s = metrics[`yaml.${f.name}`];
      log(
        `  ${f.name.padEnd(40)} ${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)}); ` +
          `parse floor ${fmtMs(metrics[`yaml.${f.name}.floor`].median)}; ${(f.bytes / 1024).toFixed(0)} KB` +
          (f.skipped ? '; skipped' : ''),
      );
    }
    metrics['yaml.cli'] = stats(cli.ms);
    log(`  ${cli.name}: ${fmtMs(metrics['yaml.cli'].median)}`);
  } finally {
    fs.rmSync(out, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const wants = (section) => (!options.only || options.only.has(section)) && !options.skip.has(section);
  const needsCorpus = ['scan', 'floor', 'peers', 'editor', 'findings'].some(wants);
  if (needsCorpus && !fs.existsSync(options.corpus))
    throw new Error(`corpus not found: ${options.corpus} (use --corpus DIR or DRIFTGUARD_CORPUS)`);
  build(options);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-bench-'));
  const metrics = {};
  const skipped = {};
  const measured = [{ build: HEAD, metrics, skipped }];
  if (options.baseline) measured.push({ build: options.baseline, metrics: {}, skipped: {} });
  const findings = {};
  const info = {
    machine: machine(),
    runs: options.runs,
    corpus: options.corpus,
    versions: { driftguard: versionOf('driftguard') || require(path.join(ROOT, 'package.json')).version },
  };
  try {
    if (wants('yaml')) await hostileYaml(options, metrics, info);
    if (needsCorpus) await corpusSections(options, wants, tmp, measured, info, findings);
    if (wants('ci')) await ciSection(options, tmp, metrics, info, findings);

    const vsix = fs
      .readdirSync(ROOT)
      .filter((f) => f.endsWith('.vsix'))
      .sort()
      .pop();
    info.vsix = vsix ? { file: vsix, bytes: fs.statSync(path.join(ROOT, vsix)).size } : null;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const result = { info, metrics, ratios: ratios(metrics), targets: targets(metrics, info.yaml), findings };
  if (Object.keys(skipped).length > 0) result.skipped = skipped;
  if (options.baseline) result.baseline = baselineResult(options.baseline, measured[1], metrics);
  if (options.out) fs.writeFileSync(options.out, JSON.stringify(result, null, 2) + '\n');
  if (options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(table(result) + '\n');
}

/** The figures of the sections `scan` and `editor`, which --baseline measures for both builds. */
function comparedFigures() {
  const kinds = ['dockerfile', 'compose', 'shell'];
  return [
    ...['total', ...kinds].flatMap((k) => {
      const what = k === 'total' ? 'corpus folder' : `${k} files`;
      return [
        [`scan.${k}`, `CLI scan: ${what}`],
        [`scan.${k}.cpu`, `CLI scan: ${what}, CPU`],
      ];
    }),
    ['server.start', 'server start'],
    ...kinds.flatMap((k) => [
      [`edit.${k}.open`, `open → diagnostics, ${k}`],
      [`edit.${k}.p50`, `keystroke p50, ${k}`],
      [`edit.${k}.p99`, `keystroke p99, ${k}`],
      [`edit.${k}.cpuPerKey`, `server CPU per keystroke, ${k}`],
    ]),
    ['edit.duringScan.p50', 'keystroke p50 during a Scan Workspace, dockerfile'],
    ['edit.duringScan.p90', 'keystroke p90 during a Scan Workspace, dockerfile'],
    ['server.scan', 'Scan Workspace on the corpus'],
    ['server.scan.cpu', 'Scan Workspace on the corpus, CPU'],
    ['server.rssBeforeScan', 'server RSS before the scan'],
    ['server.rss', 'server RSS after the scan'],
    ['server.rssPeak', 'server peak RSS'],
    ['server.firstScan', 'Scan Workspace, first of a session (corpus as the workspace)'],
    ['server.firstScan.cpu', 'Scan Workspace, first of a session, CPU'],
    ['server.laterScan', 'Scan Workspace, a later one'],
    ['server.laterScan.cpu', 'Scan Workspace, a later one, CPU'],
    ['server.rss.workspaceScans', 'server RSS after both workspace scans'],
    ['server.rssPeak.workspaceScans', 'server peak RSS, workspace scans'],
    ['server.pairedCli', 'CLI scan of the corpus, right after the workspace scans'],
    ['server.pairedCli.cpu', 'CLI scan of the corpus, right after the workspace scans, CPU'],
  ];
}

/** The --baseline build's figures, and this build's median over the baseline's for each figure. */
function baselineResult(build, { metrics, skipped }, head) {
  const compared = {};
  for (const [key] of comparedFigures())
    if (metrics[key] && head[key]) compared[key] = head[key].median / metrics[key].median;
  return { dir: build.dir, metrics, ratios: ratios(metrics), skipped, 'this build / baseline': compared };
}

function ratio(metrics, a, b) {
  return metrics[a] && metrics[b] ? metrics[a].median / metrics[b].median : undefined;
}

/** The CLI scan the workspace scans are compared with: the one run right after them, if measured. */
function cliOf(m) {
  return m['server.pairedCli'] ? 'server.pairedCli' : 'scan.total';
}

function ratios(m) {
  const r = {
    'scan/floor total': ratio(m, 'scan.total', 'floor.total'),
    'scan/floor dockerfile': ratio(m, 'scan.dockerfile', 'floor.dockerfile'),
    'scan/floor compose': ratio(m, 'scan.compose', 'floor.compose'),
    'scan/floor shell': ratio(m, 'scan.shell', 'floor.shell'),
    'scan/floor CI': ratio(m, 'scan.ci', 'floor.ci'),
    ...Object.fromEntries(CI_KINDS.map((k) => [`scan/floor ${k}`, ratio(m, `scan.${k}`, `floor.${k}`)])),
    'dockerfile-utils/driftguard (Dockerfiles)': ratio(m, 'peer.dockerfile-utils', 'scan.dockerfile'),
    'dockerfilelint/driftguard (Dockerfiles)': ratio(m, 'peer.dockerfilelint', 'scan.dockerfile'),
    'dclint/driftguard (Compose)': ratio(m, 'peer.dclint', 'scan.compose'),
    'shellcheck/driftguard (shell)': ratio(m, 'peer.shellcheck', 'scan.shell'),
    // The editor's Scan Workspace (request to answer, server already running) against the CLI (whole process).
    'server scan/CLI scan': ratio(m, 'server.scan', 'scan.total'),
    // The same with the corpus as the workspace: its first Scan Workspace of a session, and a later one,
    // against the CLI scan run right after them (the scan section's when there is none).
    'server first scan/CLI scan': ratio(m, 'server.firstScan', cliOf(m)),
    'server first scan/CLI scan, CPU': ratio(m, 'server.firstScan.cpu', `${cliOf(m)}.cpu`),
    'server later scan/CLI scan': ratio(m, 'server.laterScan', cliOf(m)),
    'server later scan/CLI scan, CPU': ratio(m, 'server.laterScan.cpu', `${cliOf(m)}.cpu`),
  };
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

/** The issue's targets: [description, measured, pass]. */
function targets(m, yamlFiles) {
  const r = ratios(m);
  const t = [];
  const add = (what, value, ok) => {
    if (value !== undefined && !Number.isNaN(value)) t.push({ what, value, pass: ok(value) });
  };
  add('scan ≤ 3× read+parse floor', r['scan/floor total'], (v) => v <= 3);
  add('Dockerfiles no slower than dockerfile-utils', r['dockerfile-utils/driftguard (Dockerfiles)'], (v) => v >= 1);
  add('≥ 10× faster than shellcheck', r['shellcheck/driftguard (shell)'], (v) => v >= 10);
  add('≥ 20× faster than dclint', r['dclint/driftguard (Compose)'], (v) => v >= 20);
  for (const k of ['dockerfile', 'compose', 'shell']) {
    add(`keystroke p50 < 3 ms (${k})`, m[`edit.${k}.p50`]?.median, (v) => v < 3);
    add(`keystroke p99 < 15 ms (${k})`, m[`edit.${k}.p99`]?.median, (v) => v < 15);
  }
  add('server RSS after corpus scan < 120 MB', m['server.rss']?.median, (v) => v < 120);
  add(
    '3,000-service Compose file (one anchor) < 300 ms',
    m['yaml.compose: 3,000 entries, one anchor']?.median,
    (v) => v < 300,
  );
  for (const f of yamlFiles ?? []) {
    const per100KB = m[`yaml.${f.name}`] && (m[`yaml.${f.name}`].median * 100 * 1024) / Math.max(f.bytes, 100 * 1024);
    add(`${f.name}: < 50 ms per 100 KB (ms per 100 KB)`, per100KB, (v) => v < 50);
  }
  add('Scan Workspace ≤ 1.3× the CLI scan', r['server scan/CLI scan'], (v) => v <= 1.3);
  add('Scan Workspace, first of a session, ≤ 1.3× the CLI scan', r['server first scan/CLI scan'], (v) => v <= 1.3);
  add('Scan Workspace, a later one, ≤ 1.3× the CLI scan', r['server later scan/CLI scan'], (v) => v <= 1.3);
  return t;
}

function table({ info, metrics: m, ratios: r, targets: t, findings, skipped, baseline }) {
  const rows = [];
  const span = (s, f = fmtMs) => `${f(s.min)}–${f(s.max)}`;
  const row = (what, s, extra = '') => {
    if (s) rows.push(`| ${what} | ${fmtMs(s.median)} | ${span(s)} | ${extra} |`);
  };
  const fps = (n, s) => (s ? `${Math.round(n / (s.median / 1000)).toLocaleString('en-US')} files/s` : '');
  const x = (v) => (v === undefined ? '' : `${v.toFixed(1)}×`);
  const cpu = (key, what = 'CPU') => (m[key] ? `${what} ${fmtMs(m[key].median)}` : '');
  const joined = (...parts) => parts.filter(Boolean).join('; ');
  const f = info.files ?? {};
  rows.push(`| measure | median | min–max | files/s, ratio |`, `|---|---|---|---|`);
  row(
    `DriftGuard scan, whole corpus (${f.total} files)`,
    m['scan.total'],
    joined(
      fps(f.total, m['scan.total']),
      r['scan/floor total'] && `${x(r['scan/floor total'])} floor`,
      cpu('scan.total.cpu'),
    ),
  );
  row(`read+parse floor, whole corpus`, m['floor.total'], fps(f.total, m['floor.total']));
  for (const k of ['dockerfile', 'compose', 'shell']) {
    row(
      `DriftGuard scan, ${k} (${f[k]} files)`,
      m[`scan.${k}`],
      joined(
        fps(f[k], m[`scan.${k}`]),
        r[`scan/floor ${k}`] && `${x(r[`scan/floor ${k}`])} floor`,
        cpu(`scan.${k}.cpu`),
      ),
    );
    row(`read+parse floor, ${k}`, m[`floor.${k}`], fps(f[k], m[`floor.${k}`]));
  }
  const ci = info.ciFiles;
  if (ci) {
    row(
      `DriftGuard scan, CI corpus ×${ci.copies} (${ci.total} files)`,
      m['scan.ci'],
      `${fps(ci.total, m['scan.ci'])}; ${x(r['scan/floor CI'])} floor`,
    );
    row(`read+parse floor, CI corpus (YAML/JSON only)`, m['floor.ci'], fps(ci.total, m['floor.ci']));
    for (const k of CI_KINDS) {
      row(
        `DriftGuard scan, ${k} (${ci[k]} files)`,
        m[`scan.${k}`],
        `${fps(ci[k], m[`scan.${k}`])}; ${x(r[`scan/floor ${k}`])} floor`,
      );
      row(`read+parse floor, ${k}`, m[`floor.${k}`], fps(ci[k], m[`floor.${k}`]));
    }
  }
  row(
    `dockerfile-utils validate(), one process (${f.dockerfile} Dockerfiles)`,
    m['peer.dockerfile-utils'],
    `${fps(f.dockerfile, m['peer.dockerfile-utils'])}; peer/DriftGuard time ` +
      `${x(r['dockerfile-utils/driftguard (Dockerfiles)'])}`,
  );
  const crashes = info.peerSummary?.dockerfilelint?.crashes;
  row(
    `dockerfilelint, one process (${f.dockerfile} Dockerfiles${crashes ? `, throws on ${crashes}` : ''})`,
    m['peer.dockerfilelint'],
    `${fps(f.dockerfile, m['peer.dockerfilelint'])}; peer/DriftGuard time ` +
      `${x(r['dockerfilelint/driftguard (Dockerfiles)'])}`,
  );
  row(
    `dclint -r (${f.compose} Compose files)`,
    m['peer.dclint'],
    `${fps(f.compose, m['peer.dclint'])}; peer/DriftGuard time ${x(r['dclint/driftguard (Compose)'])}`,
  );
  row(
    `shellcheck, one process (${f.shell} scripts)`,
    m['peer.shellcheck'],
    `${fps(f.shell, m['peer.shellcheck'])}; peer/DriftGuard time ${x(r['shellcheck/driftguard (shell)'])}`,
  );
  row('server start (spawn → initialize result)', m['server.start']);
  for (const k of ['dockerfile', 'compose', 'shell']) {
    const lines = info.editorLines?.[k];
    row(
      `keystroke → diagnostics p50, ${lines ?? ''}-line ${k}`,
      m[`edit.${k}.p50`],
      cpu(`edit.${k}.cpuPerKey`, 'server CPU per keystroke'),
    );
    row(`keystroke → diagnostics p99, ${lines ?? ''}-line ${k}`, m[`edit.${k}.p99`]);
    row(`open → diagnostics, ${lines ?? ''}-line ${k}`, m[`edit.${k}.open`]);
  }
  row(
    `keystroke → diagnostics p50 during a Scan Workspace, ${info.editorLines?.dockerfile ?? ''}-line dockerfile`,
    m['edit.duringScan.p50'],
    m['edit.duringScan.p90'] && `p90 ${fmtMs(m['edit.duringScan.p90'].median)}`,
  );
  row(
    'server: driftguard/scanWorkspace on the corpus',
    m['server.scan'],
    joined(r['server scan/CLI scan'] && `${x(r['server scan/CLI scan'])} the CLI scan`, cpu('server.scan.cpu')),
  );
  for (const which of ['first', 'later'])
    row(
      `server: driftguard/scanWorkspace, ${which === 'first' ? 'first of a session' : 'a later one'} ` +
        '(corpus as the workspace)',
      m[`server.${which}Scan`],
      joined(
        r[`server ${which} scan/CLI scan`] && `${x(r[`server ${which} scan/CLI scan`])} the CLI scan`,
        r[`server ${which} scan/CLI scan, CPU`] && `CPU ${x(r[`server ${which} scan/CLI scan, CPU`])} the CLI's`,
        cpu(`server.${which}Scan.cpu`),
      ),
    );
  row(
    'CLI scan of the corpus, right after those (the ratios above)',
    m['server.pairedCli'],
    cpu('server.pairedCli.cpu'),
  );
  const mb = (v) => `${v.toFixed(0)} MB`;
  for (const [key, what] of [
    ['server.rssBeforeScan', 'server RSS before the scan'],
    ['server.rss', 'server RSS after the corpus scan'],
    ['server.rssPeak', 'server peak RSS'],
    ['server.rss.workspaceScans', 'server RSS after both workspace scans'],
    ['server.rssPeak.workspaceScans', 'server peak RSS, workspace scans'],
  ]) {
    if (m[key]) rows.push(`| ${what} | ${mb(m[key].median)} | ${span(m[key], mb)} | |`);
  }
  rows.push(
    `| VSIX size | ${info.vsix ? `${(info.vsix.bytes / 1024).toFixed(0)} KB` : 'n/a'} | | ` +
      `${info.vsix ? info.vsix.file : 'no .vsix built'} |`,
  );
  rows.push('| extension activation | n/a | | needs VS Code (not measured by this script) |');
  for (const y of info.yaml ?? []) {
    const floor = m[`yaml.${y.name}.floor`];
    row(
      `hostile YAML: ${y.name} (${(y.bytes / 1024).toFixed(0)} KB)`,
      m[`yaml.${y.name}`],
      `${floor ? `${x(m[`yaml.${y.name}`].median / floor.median)} its parse floor (${fmtMs(floor.median)}); ` : ''}` +
        `${y.visited.toLocaleString('en-US')} of ${y.budget.toLocaleString('en-US')} nodes visited` +
        (y.skipped ? '; skipped' : ''),
    );
  }
  row('hostile YAML: CLI process, 3,000-service Compose file', m['yaml.cli']);
  const mc = info.machine;
  const head = [
    `DriftGuard benchmark — median of ${info.runs} runs (min–max); ratios of medians from this run`,
    `machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memoryGB} GB, ${mc.os}, Node ${mc.node}`,
    f.total === undefined
      ? 'corpus: not read'
      : `corpus: ${f.total} files (${f.dockerfile} Dockerfiles, ${f.compose} Compose, ${f.shell} shell; ` +
        `${(info.bytes / 1024 / 1024).toFixed(1)} MB)` +
        (info.floorParsesShell === false ? '; floor and scan do not parse shell (shell analyser not loaded)' : ''),
    `peers: ${
      Object.entries(info.versions)
        .filter(([k]) => k !== 'driftguard')
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'not run'
    }`,
    '',
  ];
  for (const [key, reason] of Object.entries(skipped ?? {})) rows.push(`| ${key} | skipped | | ${reason} |`);
  const corpora = Object.keys(findings);
  const rules = [...new Set(corpora.flatMap((c) => Object.keys(findings[c])))].sort();
  const counts = corpora.length
    ? [
        '',
        `findings per rule: ${corpora.join(' / ')}`,
        ...rules.map((rule) => `  ${rule}: ${corpora.map((c) => findings[c][rule] ?? 0).join(' / ')}`),
      ]
    : [];
  const tail = [
    ...counts,
    '',
    'targets:',
    ...t.map(
      (e) =>
        `  ${e.pass ? 'ok  ' : 'MISS'} ${e.what}: ` +
        `${e.what.includes('ms') ? fmtMs(e.value) : e.what.includes('MB') ? mb(e.value) : x(e.value)}`,
    ),
  ];
  return [...head, ...rows, ...(baseline ? baselineTable(baseline, m) : []), ...tail].join('\n');
}

/** This build beside the --baseline build, figure by figure, with the ratio of their medians. */
function baselineTable(baseline, head) {
  const value = (key, s) => (key.startsWith('server.rss') ? `${s.median.toFixed(0)} MB` : fmtMs(s.median));
  const cell = (metrics, skipped, key) =>
    metrics[key] ? value(key, metrics[key]) : skipped?.[key] ? `skipped: ${skipped[key]}` : '';
  const rows = [
    '',
    `this build against the baseline ${baseline.dir} (medians, runs interleaved: this, baseline, baseline, this, …)`,
    '| figure | baseline | this build | this / baseline |',
    '|---|---|---|---|',
  ];
  for (const [key, what] of comparedFigures()) {
    if (!head[key] && !baseline.metrics[key] && !baseline.skipped[key]) continue;
    const ratio = baseline['this build / baseline'][key];
    rows.push(
      `| ${what} | ${cell(baseline.metrics, baseline.skipped, key)} | ${cell(head, undefined, key)} | ` +
        `${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} |`,
    );
  }
  return rows;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
