-- Neovim headless as an LSP client of `fmx server` (Neovim 0.7: vim.lsp.start_client):
-- attach to the buffer, wait for the diagnostics, print them as LINE:COL CODE MESSAGE.
local fmx = os.getenv("FMX")
local id = vim.lsp.start_client({ cmd = { fmx, "server" }, root_dir = vim.fn.getcwd(), name = "fmx" })
vim.lsp.buf_attach_client(0, id)
-- N: how many diagnostics `fmx check` reports for this post.
local want = tonumber(os.getenv("N"))
local ok = vim.wait(10000, function() return #vim.diagnostic.get(0) >= want end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  -- Neovim keeps byte columns (it converted the server's UTF-16 ones); fmx counts characters.
  local line = vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1] or ""
  local chars = vim.str_utfindex(line, math.min(d.col, #line))
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(out, string.format("%d:%d %s %s", d.lnum + 1, chars + 1, tostring(code), d.message))
end
table.sort(out)
io.stdout:write((ok and "ok\n" or "timeout\n") .. table.concat(out, "\n") .. "\n")
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.client_is_stopped(id) end, 50)
vim.cmd("qa!")
