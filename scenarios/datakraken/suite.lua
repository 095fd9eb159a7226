-- Conformance suite for protocol 003, DataKraken browser analytics (see README.md here and
-- docs/protocols/datakraken.md):
--   drover conform datakraken --target ws://HOST:PORT/ws
-- The target names the server; the suite calls GET /api/session on its HTTP side and opens
-- the socket at the path the ticket answer names (README.md: "The target").
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_ticket", "cases_open", "cases_socket", "cases_record" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

conform.suite { protocol = "datakraken", cases = cases, max_duration = "5m" }
