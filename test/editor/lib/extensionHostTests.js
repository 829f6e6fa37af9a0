// Runs an extension test suite (any module exporting run(), e.g. a mocha index) inside the real
// Node extension host of code-server, driven by headless chromium.
//
// How: code-server is started with `--vscode-option enable-smoke-test-driver` (a built workbench ignores
// the ?payload= URL parameter otherwise). The page is opened with
//   ?folder=<ws>&payload=[["extensionDevelopmentPath","vscode-remote://<host:port>/abs"],["extensionTestsPath",...]]
// (the vscode-remote authority must equal the page's host:port). The extension host loads the tests and
// calls run(); when it settles, the workbench calls window.codeAutomationExit(code, logs), which we expose
// with page.exposeFunction, and forwards the extension host's console (the mocha reporter) through
// window.codeAutomationLog(type, args).
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const cs = require('./codeServer');

/**
 * @param {object} o
 * @param {string[]} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath
 * @param {string} [o.workspace] folder or .code-workspace (default: an empty temp folder)
 * @param {string} [o.userDataDir] @param {string} [o.extensionsDir] default: inside a fresh temp dir
 * @param {string[]} [o.vscodeOptions] extra VS Code server options (e.g. 'disable-extensions')
 * @param {object} [o.settings] extra user settings
 * @param {number} [o.timeoutS=600] @param {boolean} [o.verbose] @param {string} [o.keepLogs] copy VS Code logs here
 * @param {AbortSignal} [o.signal] aborting stops the run (exit code 130) and tears everything down
 * @returns {Promise<number>} 0 = tests passed, 1 = failed or could not start, 124 = timeout
 */
async function runInCodeServer(o) {
  const t0 = Date.now();
  const say = (...a) => console.log(`[vscode-tests ${cs.stamp(t0)}]`, ...a);
  for (const p of [...o.extensionDevelopmentPath, o.extensionTestsPath, ...(o.workspace ? [o.workspace] : [])]) {
    if (!fs.existsSync(p) && !fs.existsSync(`${p}.js`)) {
      console.error(`[vscode-tests] ${p} does not exist`);
      return 1;
    }
  }
  const dirs = cs.makeInstanceDirs('driftguard-vscode', o);
  const workspace = o.workspace ? path.resolve(o.workspace) : path.join(dirs.tmp, 'workspace');
  if (!o.workspace) fs.mkdirSync(workspace, { recursive: true });

  let server;
  let context;
  let timer;
  let finished = false;
  try {
    cs.ensureProvisioned();
    const env = cs.serverEnv(dirs, o.env);
    server = await cs.startCodeServer(dirs, env, { vscodeOptions: o.vscodeOptions, verbose: o.verbose });
    say(`code-server pid ${server.pid} on ${server.url}`);
    context = await cs.launchBrowser(dirs);
    const page = context.pages()[0] || (await context.newPage());
    const code = await new Promise((resolve, reject) => {
      timer = setTimeout(
        () => {
          say(`timeout after ${o.timeoutS || 600}s`);
          resolve(124);
        },
        (o.timeoutS || 600) * 1000,
      );
      page.on('crash', () => {
        say('browser page crashed');
        resolve(1);
      });
      if (o.signal)
        o.signal.addEventListener('abort', () => {
          say('interrupted');
          resolve(130);
        });
      page.on('pageerror', (e) => {
        if (o.verbose) console.error('[page error]', String(e));
      });
      page.on('console', (m) => {
        if (o.verbose) console.log('[page console]', m.text());
      });
      server.child.once('exit', (c, s) => {
        if (!finished) {
          say(`code-server exited during the run (${c ?? s})`);
          resolve(1);
        }
      });
      (async () => {
        await page.exposeFunction('codeAutomationLog', (type, args) => {
          if (finished) return;
          const line = util.format(...(Array.isArray(args) ? args : [args]));
          if (!o.verbose && cs.NOISE.test(line)) return;
          (type === 'error' ? console.error : console.log)(line);
        });
        await page.exposeFunction('codeAutomationExit', (c, logs) => {
          finished = true;
          say(`extension host finished the tests, exit code ${c}`);
          if (o.keepLogs && Array.isArray(logs)) {
            for (const l of logs) {
              const f = path.join(o.keepLogs, 'browser', l.relativePath);
              fs.mkdirSync(path.dirname(f), { recursive: true });
              fs.writeFileSync(f, l.contents);
            }
          }
          resolve(typeof c === 'number' ? c : 1);
        });
        const payload = [
          ...o.extensionDevelopmentPath.map((p) => ['extensionDevelopmentPath', cs.remoteUri(server, p)]),
          ['extensionTestsPath', cs.remoteUri(server, o.extensionTestsPath)],
          ['skipWelcome', 'true'],
          ['skipReleaseNotes', 'true'],
        ];
        // No step clock: the page loads when the machine lets it; the run's own timeout bounds it.
        await page.goto(cs.workbenchUrl(server, workspace, payload), { timeout: 0 });
        say('workbench opened, waiting for the test run');
      })().catch(reject);
    });
    finished = true;
    return code;
  } catch (e) {
    console.error('[vscode-tests] could not run the tests:', (e && e.stack) || e);
    return 1;
  } finally {
    finished = true;
    clearTimeout(timer);
    try {
      if (context) await context.close();
    } catch {
      /* already closed */
    }
    if (server) {
      await server.stop();
      if (o.keepLogs) {
        try {
          cs.copyLogs(server, o.keepLogs);
          say('VS Code logs in', o.keepLogs);
        } catch {
          /* none */
        }
      }
    }
    fs.rmSync(dirs.tmp, { recursive: true, force: true });
    say('done');
  }
}

module.exports = { runInCodeServer };
