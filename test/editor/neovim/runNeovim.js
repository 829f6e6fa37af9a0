#!/usr/bin/env node
// Neovim over stdio: headless Neovim (Debian's 0.7.2) starts the language server, receives diagnostics
// for a file, applies a code action chosen by its title, writes the file, and the file on disk is checked.
//
// Usage:
//   node test/editor/neovim/runNeovim.js --workspace <fixture folder> --fix-title <code action title>
//       [--file <path relative to the workspace, default Dockerfile>]
//       [--expect-code <diagnostic code, e.g. a rule id>]
//       [--expect-disk <text>]... [--expect-disk-absent <text>]...
//       [--expect-token <text>]            the diagnostic's range, converted by Neovim from the server's
//                                          position encoding to bytes, must cover exactly this text
//       [--mode request|buf|both, default both] [--timeout <seconds per step, default 10>]
//       [--keep-log <dir>]                 copy Neovim's lsp.log there
//       [-- <server command ...>]          default: node <repo>/dist/server.js --stdio
// The fixture folder is copied to a temp folder for each mode; it is never modified.
// Exit code: 0 = every mode passed, 1 = a mode failed, 2 = bad arguments.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const cp = require('child_process');

const REPO = path.resolve(__dirname, '..', '..', '..');

function parse(argv) {
  const o = { file: 'Dockerfile', expectDisk: [], expectDiskAbsent: [], mode: 'both', timeoutS: 10 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      o.serverCmd = argv.slice(i + 1);
      break;
    }
    const [k, inline] = argv[i].split(/=(.*)/s);
    const val = () => {
      const v = inline !== undefined ? inline : argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    switch (k) {
      case '--workspace':
        o.workspace = path.resolve(val());
        break;
      case '--file':
        o.file = val();
        break;
      case '--fix-title':
        o.fixTitle = val();
        break;
      case '--expect-code':
        o.expectCode = val();
        break;
      case '--expect-disk':
        o.expectDisk.push(val());
        break;
      case '--expect-disk-absent':
        o.expectDiskAbsent.push(val());
        break;
      case '--expect-token':
        o.expectToken = val();
        break;
      case '--mode':
        o.mode = val();
        break;
      case '--timeout':
        o.timeoutS = Number(val());
        break;
      case '--keep-log':
        o.keepLog = path.resolve(val());
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!o.workspace || !fs.statSync(o.workspace, { throwIfNoEntry: false })?.isDirectory())
    throw new Error('--workspace <existing folder> is required');
  if (!fs.existsSync(path.join(o.workspace, o.file))) throw new Error(`${o.file} is not in ${o.workspace}`);
  if (!o.fixTitle) throw new Error('--fix-title is required');
  if (!['request', 'buf', 'both'].includes(o.mode)) throw new Error('--mode must be request, buf or both');
  if (!(o.timeoutS > 0)) throw new Error('--timeout must be positive');
  if (!o.serverCmd || !o.serverCmd.length) o.serverCmd = ['node', path.join(REPO, 'dist', 'server.js'), '--stdio'];
  return o;
}

function nvimBinary() {
  const r = cp.spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('nvim is not installed: run bash test/editor/provision.sh');
  return r.stdout.split('\n')[0];
}

/** One headless Neovim session; resolves { code, output }. Kills its process group when it ends. */
function runMode(o, mode) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-nvim-'));
  const ws = path.join(tmp, 'workspace', path.basename(o.workspace));
  fs.cpSync(o.workspace, ws, { recursive: true });
  const target = path.join(ws, o.file);
  const env = {
    ...process.env,
    DG_TARGET: target,
    DG_ROOT: ws,
    DG_SERVER_CMD: JSON.stringify(o.serverCmd),
    DG_FIX_TITLE: o.fixTitle,
    DG_MODE: mode,
    DG_TIMEOUT_MS: String(o.timeoutS * 1000),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    XDG_STATE_HOME: path.join(tmp, 'xdg-state'),
  };
  if (o.expectCode) env.DG_EXPECT_CODE = o.expectCode;
  delete env.NVIM_LISTEN_ADDRESS;
  delete env.VIMINIT;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = cp.spawn(
      'nvim',
      ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', path.join(__dirname, 'init.lua')],
      { env, cwd: ws, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    // hard cap above init.lua's own guard (3x the step timeout)
    const hard = setTimeout(
      () => {
        output += '\nFAIL killed: nvim did not exit in time\n';
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* the group has already exited */
        }
      },
      (o.timeoutS * 3 + 10) * 1000,
    );
    child.on('error', (e) => {
      output += `\nFAIL cannot start nvim: ${e.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(hard);
      // the language server is in nvim's process group: stop whatever of it is left
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* nothing left */
      }
      let disk = '';
      try {
        disk = fs.readFileSync(target, 'utf8');
      } catch {
        /* missing */
      }
      const failures = [];
      if (code !== 0) failures.push(`nvim exited ${code ?? signal}`);
      for (const t of o.expectDisk) if (!disk.includes(t)) failures.push(`saved file lacks ${JSON.stringify(t)}`);
      for (const t of o.expectDiskAbsent)
        if (disk.includes(t)) failures.push(`saved file still contains ${JSON.stringify(t)}`);
      if (o.expectToken !== undefined && !output.split('\n').includes(`token ${JSON.stringify(o.expectToken)}`)) {
        failures.push(`the diagnostic does not cover ${JSON.stringify(o.expectToken)} in Neovim (position encoding)`);
      }
      if (o.keepLog) {
        const log = path.join(env.XDG_CACHE_HOME, 'nvim', 'lsp.log');
        fs.mkdirSync(o.keepLog, { recursive: true });
        if (fs.existsSync(log)) fs.copyFileSync(log, path.join(o.keepLog, `lsp-${mode}.log`));
      }
      fs.rmSync(tmp, { recursive: true, force: true });
      resolve({ failures, output, ms: Date.now() - t0 });
    });
  });
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`runNeovim: ${e.message}`);
    return 2;
  }
  let version;
  try {
    version = nvimBinary();
  } catch (e) {
    console.error(`[nvim] ${e.message}`);
    return 1;
  }
  console.log(`[nvim] ${version}; server: ${o.serverCmd.join(' ')}`);
  let failed = 0;
  for (const mode of o.mode === 'both' ? ['request', 'buf'] : [o.mode]) {
    const r = await runMode(o, mode);
    for (const line of r.output.trimEnd().split('\n')) console.log(`[nvim ${mode}] ${line}`);
    if (r.failures.length) {
      failed++;
      console.log(`[nvim ${mode}] FAILED in ${r.ms} ms: ${r.failures.join('; ')}`);
    } else {
      console.log(`[nvim ${mode}] passed in ${r.ms} ms`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
