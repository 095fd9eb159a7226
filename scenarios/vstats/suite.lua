-- Conformance suite for protocol 004, vStats server monitoring (see README.md here and
-- docs/protocols/vstats.md):
--   drover conform vstats --target ws://HOST:PORT [--env PING_INTERVAL_MS=..] [--env REPORT_INTERVAL_MS=..]
--   drover conform vstats --dialect real --target ws://HOST:PORT [--env DELTA_INTERVAL_MS=..]
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local dialect = env.DIALECT or "documented"
local files = { "cases_token", "cases_metrics", "cases_status", "cases_servers", "cases_envelope", "cases_ping" }
if dialect == "real" then
  files = { "cases_real_auth", "cases_real_stream" }
elseif dialect ~= "documented" then
  error("vstats: unknown dialect '" .. dialect .. "' (documented or real)")
end

local cases = {}
for _, file in ipairs(files) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

conform.suite { protocol = "vstats", dialect = dialect, cases = cases }
