-- Drives a headless Neovim configured with the README's snippet (tests/test_neovim.py):
-- waits for uelint's diagnostics on the open buffer, writes them to $UELINT_NVIM_OUT, applies
-- the code action titled $UELINT_NVIM_ACTION through Neovim's own workspace-edit code, waits
-- for the buffer to be checked again, and writes the buffer and its diagnostics once more.
local out = {}
local function finish(failure)
  out.error = failure
  local file = io.open(os.getenv("UELINT_NVIM_OUT"), "w")
  file:write(vim.fn.json_encode(out))
  file:close()
  vim.cmd(failure and "cquit!" or "qall!")
end

local function shown()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(found, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
                          end_col = d.end_col, severity = d.severity, message = d.message,
                          source = d.source, code = d.code or lsp.code })
  end
  return found
end

local ok, failure = pcall(function()
  local timeout = tonumber(os.getenv("UELINT_NVIM_TIMEOUT") or "30000")
  if not vim.wait(timeout, function() return #vim.diagnostic.get(0) > 0 end, 20) then
    error("no diagnostics within " .. timeout .. " ms")
  end
  out.before = shown()
  local client = vim.lsp.get_active_clients()[1]
  local wanted = os.getenv("UELINT_NVIM_ACTION")
  local line = tonumber(os.getenv("UELINT_NVIM_ACTION_LINE"))
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = line, character = 0 },
                   ["end"] = { line = line, character = #vim.fn.getline(line + 1) } }
  params.context = { diagnostics = {} }
  local replies = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, timeout)
  local action
  for _, reply in pairs(replies or {}) do
    for _, candidate in ipairs(reply.result or {}) do
      if candidate.title == wanted then action = candidate end
    end
  end
  if not action then error("no code action titled " .. wanted) end
  local count = #out.before
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  if not vim.wait(timeout, function() return #vim.diagnostic.get(0) < count end, 20) then
    error("the diagnostics did not change after the code action")
  end
  out.after = shown()
  out.lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
end)
finish(not ok and tostring(failure) or nil)
