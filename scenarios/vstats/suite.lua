-- Conformance suite for protocol 004, vStats server monitoring (documented dialect; see
-- README.md here and docs/protocols/vstats.md):
--   drover conform vstats --target ws://HOST:PORT [--env PING_INTERVAL_MS=..] [--env REPORT_INTERVAL_MS=..]
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_token", "cases_metrics", "cases_status", "cases_servers", "cases_envelope",
                        "cases_ping" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

conform.suite { protocol = "vstats", cases = cases }
