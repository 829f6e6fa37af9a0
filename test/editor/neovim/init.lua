-- Headless Neovim (0.7.2 API) as an LSP client test driver. Started by runNeovim.js:
--   nvim --headless -n -i NONE --noplugin -u init.lua
-- Environment:
--   DG_TARGET       absolute path of the file to open (required)
--   DG_SERVER_CMD   JSON array: the language server command, e.g. ["node","/abs/dist/server.js","--stdio"] (required)
--   DG_FIX_TITLE    title of the code action to apply (required)
--   DG_ROOT         workspace root sent to the server (default: the file's folder)
--   DG_EXPECT_CODE  a diagnostic with this code must be published (optional)
--   DG_MODE         request: textDocument/codeAction via request_sync, context.diagnostics as the server
--                   published them, vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding);
--                   buf: vim.lsp.buf.code_action() as a user runs it (context from
--                   vim.lsp.diagnostic.get_line_diagnostics, i.e. byte columns), vim.ui.select answered
--                   with the action of that title (default: request)
--   DG_TIMEOUT_MS   per-step timeout (default 10000); the whole run is capped at 3x that
-- Output: one line per event on stdout; the last line is "PASS ..." or "FAIL ...".
-- Exit status: 0 = fix applied and written to disk, 1 = anything else.
local target = os.getenv('DG_TARGET')
local server_cmd = os.getenv('DG_SERVER_CMD')
local fix_title = os.getenv('DG_FIX_TITLE')
local root = os.getenv('DG_ROOT')
local expect_code = os.getenv('DG_EXPECT_CODE')
local mode = os.getenv('DG_MODE') or 'request'
local timeout = tonumber(os.getenv('DG_TIMEOUT_MS') or '10000')
local t0 = vim.loop.hrtime()

local function out(fmt, ...) io.stdout:write(string.format(fmt, ...) .. '\n') end
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local done = false
local client_id
local function finish(ok, msg)
  if done then return end
  done = true
  if client_id then
    -- graceful shutdown/exit, so a server that mishandles it shows up as a non-zero exit below
    vim.lsp.stop_client(client_id)
    vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  end
  out('%s %s (%d ms)', ok and 'PASS' or 'FAIL', msg, ms())
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

if not (target and server_cmd and fix_title) then
  out('FAIL DG_TARGET, DG_SERVER_CMD and DG_FIX_TITLE are required')
  vim.cmd('cquit! 1')
  return
end
local ok_cmd, cmd = pcall(vim.fn.json_decode, server_cmd)
if not ok_cmd or type(cmd) ~= 'table' or #cmd == 0 then
  out('FAIL DG_SERVER_CMD is not a JSON array: %s', server_cmd)
  vim.cmd('cquit! 1')
  return
end
-- never hang (a server that crashes before publishing, a request that never answers)
vim.defer_fn(function() finish(false, 'global timeout') end, timeout * 3)

-- Keep the diagnostics exactly as the server published them (for request mode and the report), and
-- count publishes: an empty publish ("clean file") differs from "not analysed yet".
local published = {}
local publishes = 0
local orig_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  publishes = publishes + 1
  if result and vim.uri_to_fname(result.uri) == target then published = result.diagnostics or {} end
  return orig_publish(err, result, ctx, config)
end

vim.cmd('edit ' .. vim.fn.fnameescape(target))
local bufnr = vim.api.nvim_get_current_buf()
local before_text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')

-- 0.7.2 has no vim.lsp.start(): start_client + buf_attach_client (initialize, initialized, didOpen)
client_id = vim.lsp.start_client({
  name = 'driftguard',
  cmd = cmd,
  root_dir = root or vim.fn.fnamemodify(target, ':p:h'),
  on_exit = function(code, signal) out('server exited code=%s signal=%s', tostring(code), tostring(signal)) end,
})
if not client_id then return finish(false, 'start_client failed') end
vim.lsp.buf_attach_client(bufnr, client_id)

-- 1. diagnostics
local got = vim.wait(timeout, function()
  if vim.lsp.get_client_by_id(client_id) == nil then return true end -- server died: stop waiting
  if publishes == 0 then return false end
  if not expect_code then return true end
  for _, d in ipairs(published) do if tostring(d.code) == expect_code then return true end end
  return false
end, 20)
local client = vim.lsp.get_client_by_id(client_id)
if not client then return finish(false, 'server stopped before publishing diagnostics') end
out('offset_encoding=%s', tostring(client.offset_encoding))
for _, d in ipairs(published) do
  out('diagnostic %d:%d-%d:%d [%s] %s: %s', d.range.start.line + 1, d.range.start.character,
    d.range['end'].line + 1, d.range['end'].character, tostring(d.code), tostring(d.source), d.message)
end
if not got or (expect_code and not (function()
  for _, d in ipairs(published) do if tostring(d.code) == expect_code then return true end end
end)()) or publishes == 0 then
  return finish(false, publishes == 0 and 'no publishDiagnostics received'
    or ('no diagnostic with code ' .. expect_code))
end
out('diagnostics after %d ms', ms())

-- the diagnostic the fix is for: the expected code, else the first
local diag = published[1]
for _, d in ipairs(published) do
  if expect_code and tostring(d.code) == expect_code then diag = d break end
end
if not diag then return finish(false, 'no diagnostic to fix') end
-- cursor on it (code_action and make_range_params use the cursor); columns are in the client's encoding
local line_text = vim.api.nvim_buf_get_lines(bufnr, diag.range.start.line, diag.range.start.line + 1, false)[1] or ''
local byteindex = vim.lsp.util._str_byteindex_enc
local ok_col, byte_col = pcall(byteindex, line_text, diag.range.start.character, client.offset_encoding)
if not ok_col then byte_col = math.min(diag.range.start.character, #line_text) end
vim.api.nvim_win_set_cursor(0, { diag.range.start.line + 1, byte_col })
-- the token under the diagnostic as Neovim sees it: proves the server's columns are in the declared encoding
if diag.range['end'].line == diag.range.start.line then
  local ok_end, byte_end = pcall(byteindex, line_text, diag.range['end'].character, client.offset_encoding)
  if ok_end and ok_col then out('token %s', vim.fn.json_encode(line_text:sub(byte_col + 1, byte_end))) end
end

local function titles(actions)
  local t = {}
  for _, a in ipairs(actions) do table.insert(t, a.title) end
  return table.concat(t, ' | ')
end

-- 2. the code action, 3. applied
local changedtick = vim.api.nvim_buf_get_changedtick(bufnr)
if mode == 'request' then
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  local ctx_diags = {}
  for _, d in ipairs(published) do
    if d.range.start.line <= diag.range.start.line and d.range['end'].line >= diag.range.start.line then
      table.insert(ctx_diags, d)
    end
  end
  params.context = { diagnostics = ctx_diags }
  local resp, err = client.request_sync('textDocument/codeAction', params, timeout, bufnr)
  if not resp or resp.err then return finish(false, 'codeAction failed: ' .. vim.inspect(err or resp.err)) end
  local actions = resp.result or {}
  out('%d code action(s): %s', #actions, titles(actions))
  local action
  for _, a in ipairs(actions) do if a.title == fix_title then action = a break end end
  if not action then return finish(false, 'no code action titled "' .. fix_title .. '"') end
  local caps = client.resolved_capabilities.code_action
  if not action.edit and type(caps) == 'table' and caps.resolveProvider then
    local r = client.request_sync('codeAction/resolve', action, timeout, bufnr)
    if not r or r.err then return finish(false, 'codeAction/resolve failed: ' .. vim.inspect(r and r.err)) end
    action = r.result
  end
  if not action.edit then return finish(false, 'code action has no edit') end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
else
  -- 0.7.2: vim.lsp.buf.code_action(context) takes the CodeActionContext itself and always asks through
  -- vim.ui.select (inputlist() blocks headless): answer it with the action of the wanted title.
  local chose = nil
  vim.ui.select = function(items, opts, on_choice)
    local names = {}
    for i, item in ipairs(items) do
      local name = opts.format_item(item)
      table.insert(names, name)
      if name == fix_title and not chose then chose = i end
    end
    out('%d code action(s): %s', #items, table.concat(names, ' | '))
    if chose then on_choice(items[chose], chose) else chose = false; on_choice(nil, nil) end
  end
  vim.lsp.buf.code_action() -- async: context.diagnostics from the cursor line
  vim.wait(timeout, function() return chose ~= nil end, 20)
  if chose == nil then return finish(false, 'no code actions offered') end
  if chose == false then return finish(false, 'no code action titled "' .. fix_title .. '"') end
end
if not vim.wait(timeout, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= changedtick end, 20) then
  return finish(false, 'the code action did not change the buffer')
end
out('buffer changed after %d ms', ms())

-- 4. written to disk
vim.cmd('silent write')
local f = io.open(target, 'r')
if not f then return finish(false, 'cannot read ' .. target) end
local disk = f:read('*a')
f:close()
if disk == before_text or disk == before_text .. '\n' then return finish(false, 'file on disk unchanged') end
out('disk: %s', vim.fn.json_encode(disk))
finish(true, 'fix "' .. fix_title .. '" applied and written')
