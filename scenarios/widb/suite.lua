-- Conformance suite for protocol 000, WiDB mobile log streaming (see README.md here and
-- docs/protocols/widb.md):
--   drover conform widb --target ws://HOST:PORT/ws
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_lifecycle", "cases_formats", "cases_metrics", "cases_input", "cases_dashboard" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

conform.suite { protocol = "widb", cases = cases, max_duration = "60s" }
