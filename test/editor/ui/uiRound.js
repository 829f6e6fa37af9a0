#!/usr/bin/env node
// UI round as a person sees it: a packaged .vsix installed into an isolated code-server, the workbench
// driven by headless Debian chromium (playwright-core). Opens a file through Quick Open, waits for the
// squiggle, hovers it, reads the Problems panel, runs a quick fix chosen by its title with Ctrl+.,
// saves with Ctrl+S and checks the file on disk and that the squiggle is gone. Screenshots (and a crop
// of the quick-fix menu, 3-quickfix-menu-crop.png) and a result.json go to the output folder.
//
// Usage:
//   node test/editor/ui/uiRound.js <extension.vsix> --workspace <fixture folder> --fix-title <quick fix title>...
//       [--file <path relative to the workspace, default Dockerfile>]
//       [--write <path>=<text>]...           write this file into the workspace copy first
//       (--fix-title repeated: titles in order of preference; the menu is re-opened for up to 10 s until
//        the first is offered, e.g. an exact title that appears once a registry lookup is cached; then the
//        first offered one is chosen)
//       [--severity warning|error|info]      squiggle class to wait for (default warning)
//       [--expect-hover <text>]...           hover must contain each text
//       [--expect-problem <text>]...         Problems panel must contain each text (default: the hover texts)
//       [--expect-problem-absent <text>]...  ... and none of these (e.g. a backtick: messages are plain text)
//       [--expect-disk <text>]...            the saved file must contain each text
//       [--expect-disk-absent <text>]...     ... and none of these
//       [--expect-disk-exact <text>]         the saved file must be exactly this
//       [--squiggles-after <n>]              squiggles of that severity left after the fix (default 0)
//       [--expect-notification <text>]...    the fix changes nothing and a notification says each text
//                                            (e.g. a failed registry lookup); no save, file unchanged
//       [--command <palette title>]          then run this command from the Command Palette ...
//       [--expect-command-notification <text>]... and wait for a notification with each text
//       [--setting KEY=JSON]...              extra user settings
//       [--out <dir, default test-artifacts/ui>] [--timeout <seconds, default 600>] [--verbose]
// The fixture folder is copied to a temp folder first; it is never modified.
// Every step waits for a state of the editor (an element, a text, the tab's saved state), never for a
// fixed time; a busy machine makes each wait longer, not the round flaky. The round as a whole is
// bounded by --timeout, each wait by STEP_TIMEOUT_MS, both far beyond what an idle machine needs.
// Exit code: 0 = every step passed, 1 = a step failed or something could not start, 2 = bad arguments.
'use strict';
const path = require('path');
const fs = require('fs');
const cs = require('../lib/codeServer');

function parse(argv) {
  const o = {
    file: 'Dockerfile',
    severity: 'warning',
    expectHover: [],
    expectProblem: [],
    expectProblemAbsent: [],
    expectDisk: [],
    expectDiskAbsent: [],
    expectNotification: [],
    expectCommandNotification: [],
    squigglesAfter: 0,
    fixTitles: [],
    writes: [],
    settings: {},
    out: path.join(cs.paths.repo, 'test-artifacts', 'ui'),
    timeoutS: 600,
  };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s) : [argv[i]];
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
        o.fixTitles.push(val());
        break;
      case '--write': {
        const [f, text] = val().split(/=(.*)/s);
        if (text === undefined) throw new Error('--write needs <path>=<text>');
        o.writes.push([f, text]);
        break;
      }
      case '--expect-disk-exact':
        o.expectDiskExact = val();
        break;
      case '--severity':
        o.severity = val();
        break;
      case '--expect-hover':
        o.expectHover.push(val());
        break;
      case '--expect-problem':
        o.expectProblem.push(val());
        break;
      case '--expect-problem-absent':
        o.expectProblemAbsent.push(val());
        break;
      case '--expect-disk':
        o.expectDisk.push(val());
        break;
      case '--expect-disk-absent':
        o.expectDiskAbsent.push(val());
        break;
      case '--expect-notification':
        o.expectNotification.push(val());
        break;
      case '--command':
        o.command = val();
        break;
      case '--expect-command-notification':
        o.expectCommandNotification.push(val());
        break;
      case '--squiggles-after':
        o.squigglesAfter = Number(val());
        break;
      case '--setting': {
        const [sk, sv] = val().split(/=(.*)/s);
        o.settings[sk] = JSON.parse(sv);
        break;
      }
      case '--out':
        o.out = path.resolve(val());
        break;
      case '--timeout':
        o.timeoutS = Number(val());
        break;
      case '--verbose':
        o.verbose = true;
        break;
      default:
        if (k.startsWith('--') || o.vsix) throw new Error(`unknown argument ${argv[i]}`);
        o.vsix = path.resolve(k);
    }
  }
  if (!o.vsix) throw new Error('the .vsix path is required');
  if (!fs.existsSync(o.vsix)) throw new Error(`${o.vsix} does not exist`);
  if (!o.workspace || !fs.statSync(o.workspace, { throwIfNoEntry: false })?.isDirectory())
    throw new Error('--workspace <existing folder> is required');
  if (!fs.existsSync(path.join(o.workspace, o.file)) && !o.writes.some(([f]) => f === o.file))
    throw new Error(`${o.file} is not in ${o.workspace} and not written with --write`);
  if (!o.fixTitles.length) throw new Error('--fix-title is required');
  if (!['warning', 'error', 'info'].includes(o.severity)) throw new Error('--severity must be warning, error or info');
  if (!o.expectProblem.length) o.expectProblem = [...o.expectHover];
  return o;
}

const live = { context: undefined, server: undefined }; // for the global timeout guard

/** Longest wait for one state of the editor (seen: 35 s for the workbench with both cores busy). */
const STEP_TIMEOUT_MS = 120000;
/** How long Ctrl+. may take to open the quick-fix menu before the keystroke is sent again. */
const QUICK_FIX_ATTEMPT_MS = 20000;

/** Waits for a notification toast that holds every text; returns the toasts' text. */
async function waitForNotification(page, texts) {
  const toasts = '.notifications-toasts';
  await page
    .waitForFunction(
      ([sel, want]) => {
        const t = document.querySelector(sel);
        return t && want.every((w) => t.innerText.includes(w));
      },
      [toasts, texts],
    )
    .catch(() => {});
  const text = (
    (await page
      .locator(toasts)
      .first()
      .innerText()
      .catch(() => '')) || ''
  ).trim();
  for (const t of texts)
    if (!text.includes(t)) throw new Error(`no notification with ${JSON.stringify(t)}: ${JSON.stringify(text)}`);
  return text;
}

async function round(o) {
  const t0 = Date.now();
  const log = (...a) => console.log(`[ui-round ${cs.stamp(t0)}]`, ...a);
  const result = { ok: false, steps: {}, vsix: o.vsix, file: o.file, fixTitles: o.fixTitles };
  const mark = (step) => {
    result.steps[step] = Date.now() - t0;
  };
  fs.rmSync(o.out, { recursive: true, force: true });
  fs.mkdirSync(o.out, { recursive: true });
  const dirs = cs.makeInstanceDirs('driftguard-ui', { settings: o.settings });
  const workspace = path.join(dirs.tmp, 'workspace', path.basename(o.workspace));
  fs.cpSync(o.workspace, workspace, { recursive: true });
  for (const [f, text] of o.writes) {
    fs.mkdirSync(path.dirname(path.join(workspace, f)), { recursive: true });
    fs.writeFileSync(path.join(workspace, f), text);
  }
  const target = path.join(workspace, o.file);
  const original = fs.readFileSync(target, 'utf8');
  const squiggle = `.editor-instance .monaco-editor .squiggly-${o.severity}`;
  let server;
  let context;
  let page;
  const errors = [];
  const shot = async (name) => {
    await page.screenshot({ path: path.join(o.out, name) });
    log('screenshot', name);
  };
  const must = (cond, msg) => {
    if (!cond) throw new Error(msg);
  };
  try {
    cs.ensureProvisioned();
    const env = cs.serverEnv(dirs);
    cs.installExtensions(dirs, env, [o.vsix]);
    mark('installed');
    log(
      'installed',
      path.basename(o.vsix),
      '->',
      fs
        .readdirSync(dirs.extensions)
        .filter((d) => !d.endsWith('.json'))
        .join(', '),
    );
    // Without the smoke-test driver, which hides notification toasts: the rounds read them.
    server = await cs.startCodeServer(dirs, env, { verbose: o.verbose, smokeTestDriver: false });
    live.server = server;
    log(`code-server pid ${server.pid} on ${server.url}`);
    context = await cs.launchBrowser(dirs, { viewport: { width: 1400, height: 900 } });
    live.context = context;
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (o.verbose) console.log('[page console]', m.text());
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
        errors.push(`console: ${m.text().split('\n')[0]}`);
    });
    await page.goto(cs.workbenchUrl(server, workspace));
    await page.waitForSelector('.monaco-workbench');
    await page.waitForSelector('.explorer-folders-view, .explorer-viewlet').catch(() => {});
    mark('workbench');
    log('workbench loaded');

    // Quick Open
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(o.file);
    await page.waitForSelector('.quick-input-list .monaco-list-row');
    await page.keyboard.press('Enter');
    await page.waitForFunction((name) => {
      const tab = document.querySelector('.tabs-container .tab.active');
      return tab && tab.textContent.includes(name);
    }, path.basename(o.file));
    await page.waitForSelector('.editor-instance .view-lines');
    mark('opened');
    log(`${o.file} opened`);

    // squiggle
    const sq = await page.waitForSelector(squiggle);
    mark('squiggle');
    log('squiggle visible');

    // hover: the squiggle sits under the text layer, so move the mouse to its centre (element.hover() is intercepted)
    const box = await sq.boundingBox();
    must(box, 'squiggle has no bounding box');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.waitForSelector('.monaco-hover .hover-contents', { state: 'visible' });
    await page
      .waitForFunction((texts) => {
        const h = document.querySelector('.monaco-hover');
        return h && texts.every((t) => h.innerText.includes(t));
      }, o.expectHover)
      .catch(() => {});
    result.hover = (await page.locator('.monaco-hover').first().innerText()).trim();
    log('hover:', JSON.stringify(result.hover));
    await shot('1-hover.png');
    for (const t of o.expectHover) must(result.hover.includes(t), `hover lacks ${JSON.stringify(t)}`);
    mark('hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');

    // Problems panel
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    await page
      .waitForFunction((texts) => {
        const p = document.querySelector('.markers-panel');
        return p && texts.every((t) => p.innerText.includes(t));
      }, o.expectProblem)
      .catch(() => {});
    result.problems = (await page.locator('.markers-panel').innerText()).trim();
    log('problems:', JSON.stringify(result.problems));
    await shot('2-problems.png');
    for (const t of o.expectProblem) must(result.problems.includes(t), `Problems panel lacks ${JSON.stringify(t)}`);
    for (const t of o.expectProblemAbsent)
      must(!result.problems.includes(t), `Problems panel shows ${JSON.stringify(t)}`);
    mark('problems');

    // Ctrl+. on the squiggle -> quick fix by title (re-opened until the preferred title is offered).
    // A keystroke that arrives while the editor is still busy (its hover says "Checking for quick
    // fixes…", or the server has not analysed the latest version) can open nothing: it is sent again.
    const rows = page.locator('.action-widget .monaco-list-row');
    const openMenu = async () => {
      for (let attempt = 1; ; attempt++) {
        await page.mouse.click(cx, cy);
        await page.keyboard.press('Control+.');
        const opened = await rows
          .first()
          .waitFor({ state: 'visible', timeout: QUICK_FIX_ATTEMPT_MS })
          .then(
            () => true,
            () => false,
          );
        if (opened) break;
        const shown = await page
          .evaluate(() =>
            [...document.querySelectorAll('.monaco-hover, .monaco-editor-overlaymessage')]
              .map((e) => e.innerText.trim())
              .filter(Boolean)
              .join(' | '),
          )
          .catch(() => '');
        log(`Ctrl+. (attempt ${attempt}) opened no quick-fix menu; the editor shows ${JSON.stringify(shown)}`);
        if (attempt * QUICK_FIX_ATTEMPT_MS >= STEP_TIMEOUT_MS)
          throw new Error('Ctrl+. never opened the quick-fix menu');
        await page.keyboard.press('Escape');
      }
      await rows
        .filter({ hasText: o.fixTitles[0] })
        .first()
        .waitFor({ timeout: o.fixTitles.length > 1 ? 1000 : 15000 })
        .catch(() => {});
      return (await rows.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    };
    const offered = (menu) => o.fixTitles.find((t) => menu.some((m) => m.includes(t)));
    let menu = await openMenu();
    for (
      const until = Date.now() + 10000;
      o.fixTitles.length > 1 && !menu.some((m) => m.includes(o.fixTitles[0])) && Date.now() < until;
    ) {
      log('quick fix menu (re-opening for the preferred title):', JSON.stringify(menu));
      await page.keyboard.press('Escape');
      await page.waitForSelector('.action-widget', { state: 'hidden' }).catch(() => {});
      menu = await openMenu();
    }
    result.quickFixMenu = menu;
    log('quick fix menu:', JSON.stringify(result.quickFixMenu));
    await shot('3-quickfix-menu.png');
    // a crop for docs: the quick-fix menu and the lines it points at
    try {
      const w = await page.locator('.action-widget').first().boundingBox();
      const ed = await page.locator('.editor-instance .monaco-editor').first().boundingBox();
      if (w && ed) {
        const x = ed.x;
        const y = Math.max(ed.y, Math.min(w.y, box.y) - 14);
        const right = Math.max(w.x + w.width, box.x + box.width) + 24;
        const bottom = w.y + w.height + 16;
        await page.screenshot({
          path: path.join(o.out, '3-quickfix-menu-crop.png'),
          clip: { x, y, width: right - x, height: bottom - y },
        });
        log('screenshot', '3-quickfix-menu-crop.png');
      }
    } catch (e) {
      log('no crop of the menu:', (e && e.message) || e);
    }
    const title = offered(menu);
    must(title, `none of the quick fixes ${JSON.stringify(o.fixTitles)} offered`);
    result.fixTitle = title;
    await rows.filter({ hasText: title }).first().click();
    mark('quickfix');
    log(`quick fix chosen: ${JSON.stringify(title)}`);

    if (o.expectNotification.length) {
      result.notification = await waitForNotification(page, o.expectNotification);
      log('notification:', JSON.stringify(result.notification));
      await shot('4-notification.png');
      must(fs.readFileSync(target, 'utf8') === original, 'the file on disk changed');
      mark('notification');
    } else {
      // the edit stays unsaved (files.autoSave is off) until Ctrl+S writes it
      await page.waitForFunction(() => document.querySelector('.tabs-container .tab.active.dirty'));
      must(fs.readFileSync(target, 'utf8') === original, 'the file on disk changed before Ctrl+S');
      log('editor dirty, file on disk unchanged');
      await page.keyboard.press('Control+S');
      // The editor marks the tab saved once the file is written.
      await page.waitForFunction(() => !document.querySelector('.tabs-container .tab.active.dirty'));
      const disk = fs.readFileSync(target, 'utf8');
      result.before = original;
      result.after = disk;
      log('file on disk:', JSON.stringify(disk));
      must(disk !== original, 'the file on disk did not change after Ctrl+S');
      for (const t of o.expectDisk) must(disk.includes(t), `saved file lacks ${JSON.stringify(t)}`);
      for (const t of o.expectDiskAbsent) must(!disk.includes(t), `saved file still contains ${JSON.stringify(t)}`);
      if (o.expectDiskExact !== undefined)
        must(
          disk === o.expectDiskExact,
          `saved file is ${JSON.stringify(disk)}, expected exactly ${JSON.stringify(o.expectDiskExact)}`,
        );
      mark('saved');
    }

    // squiggle gone
    await page
      .waitForFunction(([sel, n]) => document.querySelectorAll(sel).length <= n, [squiggle, o.squigglesAfter])
      .catch(() => {});
    const left = await page.locator(squiggle).count();
    await shot('4-after-fix.png');
    must(left <= o.squigglesAfter, `${left} squiggle(s) left after the fix, expected ${o.squigglesAfter}`);
    mark('squiggleGone');
    log('squiggle gone');

    if (o.command) {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(o.command);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: o.command }).first().waitFor();
      await page.keyboard.press('Enter');
      log(`command run: ${o.command}`);
      if (o.expectCommandNotification.length) {
        result.commandNotification = await waitForNotification(page, o.expectCommandNotification);
        log('notification:', JSON.stringify(result.commandNotification));
      }
      await shot('5-command.png');
      mark('command');
    }
    result.ok = true;
  } catch (e) {
    result.error = String((e && e.message) || e);
    log('FAILED:', (e && e.stack) || e);
    if (page) await page.screenshot({ path: path.join(o.out, 'failure.png') }).catch(() => {});
  } finally {
    try {
      if (context) await context.close();
    } catch {
      /* closed */
    }
    if (server) {
      await server.stop();
      if (!result.ok) {
        try {
          cs.copyLogs(server, path.join(o.out, 'logs'));
        } catch {
          /* none */
        }
        fs.writeFileSync(path.join(o.out, 'code-server.log'), server.output());
      }
    }
    fs.rmSync(dirs.tmp, { recursive: true, force: true });
    result.pageErrors = errors.slice(0, 20);
    result.ms = Date.now() - t0;
    fs.writeFileSync(path.join(o.out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (errors.length && (o.verbose || !result.ok)) log('page errors (first 10):', errors.slice(0, 10));
    log(result.ok ? 'UI ROUND PASSED' : 'UI ROUND FAILED', `in ${cs.stamp(t0)}; artifacts in ${o.out}`);
  }
  return result.ok ? 0 : 1;
}

let opts;
try {
  opts = parse(process.argv.slice(2));
} catch (e) {
  console.error(`uiRound: ${e.message}`);
  process.exit(2);
}
// On the global timeout close the browser (the pending step throws, the round cleans up and fails);
// if that does not finish within 20 s, stop code-server by PID and exit.
const guard = setTimeout(() => {
  console.error(`[ui-round] global timeout after ${opts.timeoutS}s`);
  if (live.context) live.context.close().catch(() => {});
  setTimeout(async () => {
    if (live.server) await live.server.stop();
    process.exit(1);
  }, 20000).unref();
}, opts.timeoutS * 1000);
guard.unref();
round(opts).then(
  (c) => {
    clearTimeout(guard);
    process.exit(c);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
