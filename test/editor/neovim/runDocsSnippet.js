#!/usr/bin/env node
// Proves the Neovim 0.7 configuration documented in docs/editors.md: the first ```lua block of the
// "Neovim 0.7" section is loaded as init.lua (the server command swapped for this checkout's
// dist/server.js), then a Dockerfile, a Compose file and a shell script are opened in headless Neovim
// and each must get its expected diagnostics from one shared client.
//
// Usage: node test/editor/neovim/runDocsSnippet.js --workspace <fixture folder>
//            [--expect <file>=<code>[,<code>...]]...   (default: the editor-workspace fixture's findings)
//            [--timeout <seconds, default 15>]
// Exit code: 0 passed, 1 failed, 2 bad arguments.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const cp = require('child_process');

const REPO = path.resolve(__dirname, '..', '..', '..');
const DOC = path.join(REPO, 'docs', 'editors.md');

function parse(argv) {
  const o = { expect: {}, timeoutS: 15 };
  for (let i = 0; i < argv.length; i++) {
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
      case '--expect': {
        const [f, codes] = val().split(/=(.*)/s);
        o.expect[f] = codes.split(',');
        break;
      }
      case '--timeout':
        o.timeoutS = Number(val());
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!o.workspace || !fs.existsSync(o.workspace)) throw new Error('--workspace <existing folder> is required');
  if (!Object.keys(o.expect).length) {
    o.expect = {
      Dockerfile: ['image-untagged', 'image-latest-tag'],
      'compose.yaml': ['image-untagged', 'compose-pull-always-mutable', 'image-unpinned-digest'],
      'scripts/deploy.sh': ['ignore-unknown-rule'],
    };
  }
  return o;
}

/** The first ```lua block after the "### Neovim 0.7" heading. */
function snippet() {
  const text = fs.readFileSync(DOC, 'utf8');
  const at = text.search(/^### Neovim 0\.7/m);
  if (at < 0) throw new Error(`${DOC} has no "### Neovim 0.7" section`);
  const m = /```lua\n([\s\S]*?)```/.exec(text.slice(at));
  if (!m) throw new Error(`no lua block in the Neovim 0.7 section of ${DOC}`);
  const cmd = "{ 'driftguard-language-server', '--stdio' }";
  if (!m[1].includes(cmd)) throw new Error(`the documented snippet does not start ${cmd}`);
  const argv = [process.execPath, path.join(REPO, 'dist', 'server.js'), '--stdio'];
  return m[1].replace(cmd, `{ ${argv.map((s) => JSON.stringify(s)).join(', ')} }`);
}

function driver(expect, timeoutMs) {
  return `
function DG_RUN()
  local expect = vim.fn.json_decode(${JSON.stringify(JSON.stringify(expect))})
  local bufs = {}
  for file, _ in pairs(expect) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    bufs[file] = vim.api.nvim_get_current_buf()
  end
  local function code_of(d)
    return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  end
  local function missing()
    local out = {}
    for file, codes in pairs(expect) do
      local have = {}
      for _, d in ipairs(vim.diagnostic.get(bufs[file])) do
        have[tostring(code_of(d))] = true
      end
      for _, c in ipairs(codes) do if not have[c] then table.insert(out, file .. ':' .. c) end end
    end
    return out
  end
  vim.wait(${timeoutMs}, function() return #missing() == 0 end, 50)
  for file, b in pairs(bufs) do
    for _, d in ipairs(vim.diagnostic.get(b)) do
      io.stdout:write(string.format('diagnostic %s %d:%d %s\\n', file, d.lnum + 1, d.col, tostring(code_of(d))))
    end
  end
  local clients = {}
  for _, c in ipairs(vim.lsp.get_active_clients()) do if c.name == 'driftguard' then table.insert(clients, c) end end
  local m = missing()
  local ok = #m == 0 and #clients == 1
  local verdict = ok and 'PASS' or 'FAIL'
  io.stdout:write(string.format('%s driftguard clients=%d missing=[%s]\\n', verdict, #clients, table.concat(m, ', ')))
  for _, c in ipairs(clients) do c.stop() end
  vim.wait(3000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end
`;
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`runDocsSnippet: ${e.message}`);
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-nvim-doc-'));
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(o.workspace, ws, { recursive: true });
  const init = path.join(tmp, 'init.lua');
  try {
    fs.writeFileSync(init, `${snippet()}\n${driver(o.expect, o.timeoutS * 1000)}`);
  } catch (e) {
    console.error(`[nvim docs] ${e.message}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    return 1;
  }
  const env = { ...process.env };
  for (const x of ['CONFIG', 'DATA', 'CACHE', 'STATE']) env[`XDG_${x}_HOME`] = path.join(tmp, `xdg-${x.toLowerCase()}`);
  delete env.NVIM_LISTEN_ADDRESS;
  delete env.VIMINIT;
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    // -u init.lua and no --noplugin: filetype detection runs as for a user, after init.lua
    const child = cp.spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', init, '-c', 'lua DG_RUN()'], {
      cwd: ws,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const hard = setTimeout(
      () => {
        output += '\nFAIL killed: nvim did not exit in time';
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      },
      (o.timeoutS + 15) * 1000,
    );
    child.on('error', (e) => {
      output += `\nFAIL cannot start nvim: ${e.message}`;
    });
    child.on('close', (c, s) => {
      clearTimeout(hard);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* nothing left */
      }
      for (const line of output.trimEnd().split('\n')) console.log(`[nvim docs] ${line}`);
      resolve(c === 0 && /^PASS /m.test(output) ? 0 : (console.log(`[nvim docs] nvim exited ${c ?? s}`), 1));
    });
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(
    `[nvim docs] docs/editors.md Neovim 0.7 snippet ${code === 0 ? 'passed' : 'FAILED'} in ${Date.now() - t0} ms`,
  );
  return code;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
