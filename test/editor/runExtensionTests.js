#!/usr/bin/env node
// Runs an extension test suite in a real VS Code through @vscode/test-electron's runTests().
// The "VS Code executable" is ./code-shim, which runs the suite in code-server's real Node extension
// host (no VS Code download needed); --vscode <path> (or VSCODE_EXECUTABLE) uses a desktop VS Code instead.
//
// Usage:
//   node test/editor/runExtensionTests.js --extensionTestsPath <module or folder exporting run()>
//       [--extensionDevelopmentPath <dir>]      (repeatable; default: the repository root)
//       [--workspace <folder|x.code-workspace>] (copied to a temp folder first, so tests may edit it)
//       [--no-copy-workspace] [--timeout <seconds, default 600>] [--keep-logs <dir>] [--verbose]
//       [--env KEY=VALUE ...]                   (reaches the extension host as process.env)
//       [--setting KEY=JSON ...]                (extra user settings)
//       [--vscode <desktop code executable>] [-- <extra launch args>]
// Exit code: 0 = passed, 1 = failed or could not start, 124 = timeout, 2 = bad arguments.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { runTests } = require('@vscode/test-electron');
const { paths, ensureProvisioned } = require('./lib/codeServer');

function parse(argv) {
  const o = { extensionDevelopmentPath: [], env: {}, settings: {}, copyWorkspace: true, timeoutS: 600, launchArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s);
    const val = () => {
      const v = inline !== undefined ? inline : argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    switch (k) {
      case '--extensionDevelopmentPath':
        o.extensionDevelopmentPath.push(path.resolve(val()));
        break;
      case '--extensionTestsPath':
        o.extensionTestsPath = path.resolve(val());
        break;
      case '--workspace':
        o.workspace = path.resolve(val());
        break;
      case '--no-copy-workspace':
        o.copyWorkspace = false;
        break;
      case '--timeout':
        o.timeoutS = Number(val());
        break;
      case '--keep-logs':
        o.keepLogs = path.resolve(val());
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--vscode':
        o.vscode = path.resolve(val());
        break;
      case '--env': {
        const [ek, ev] = val().split(/=(.*)/s);
        o.env[ek] = ev ?? '';
        break;
      }
      case '--setting': {
        const [sk, sv] = val().split(/=(.*)/s);
        o.settings[sk] = JSON.parse(sv);
        break;
      }
      case '--':
        o.launchArgs.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!o.extensionTestsPath) throw new Error('--extensionTestsPath is required');
  if (!o.extensionDevelopmentPath.length) o.extensionDevelopmentPath.push(paths.repo);
  if (!Number.isFinite(o.timeoutS) || o.timeoutS <= 0) throw new Error('--timeout must be a positive number');
  return o;
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`runExtensionTests: ${e.message}`);
    return 2;
  }
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-ext-tests-'));
  try {
    let workspace = o.workspace;
    if (workspace && !fs.existsSync(workspace)) throw new Error(`workspace ${workspace} does not exist`);
    if (workspace && o.copyWorkspace) {
      const isFile = fs.statSync(workspace).isFile();
      const src = isFile ? path.dirname(workspace) : workspace;
      const dest = path.join(tmp, 'workspace', path.basename(src));
      fs.cpSync(src, dest, { recursive: true });
      workspace = isFile ? path.join(dest, path.basename(workspace)) : dest;
    }
    const vscodeExecutablePath = o.vscode || process.env.VSCODE_EXECUTABLE || path.join(__dirname, 'code-shim');
    if (vscodeExecutablePath === path.join(__dirname, 'code-shim')) ensureProvisioned();
    const launchArgs = [
      ...(workspace ? [workspace] : []),
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
      `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ...o.launchArgs,
    ];
    if (Object.keys(o.settings).length) {
      fs.mkdirSync(path.join(tmp, 'user-data', 'User'), { recursive: true });
      const { BASE_SETTINGS } = require('./lib/codeServer');
      fs.writeFileSync(
        path.join(tmp, 'user-data', 'User', 'settings.json'),
        JSON.stringify({ ...BASE_SETTINGS, ...o.settings }, null, 2),
      );
    }
    console.log(`[runExtensionTests] ${path.basename(vscodeExecutablePath)}; workspace ${workspace || '(empty)'}`);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
      launchArgs,
      extensionTestsEnv: {
        ...o.env,
        CODE_SHIM_TIMEOUT: String(o.timeoutS),
        ...(o.verbose ? { CODE_SHIM_VERBOSE: '1' } : {}),
        ...(o.keepLogs ? { CODE_SHIM_KEEP_LOGS: o.keepLogs } : {}),
      },
    });
    console.log(`[runExtensionTests] PASSED in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return 0;
  } catch (e) {
    const code = e && typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
    console.error(
      `[runExtensionTests] FAILED (exit ${code}) in ${((Date.now() - t0) / 1000).toFixed(1)}s: ` +
        `${(e && e.message) || e}`,
    );
    return code;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((c) => process.exit(c));
