-- Conformance suite for protocol 001, the wearable health stream (see README.md here):
--   drover conform wearable --target ws://HOST:PORT/
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_handshake", "cases_heartbeat", "cases_routing", "cases_replay", "cases_schema",
                        "cases_close" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

conform.suite { protocol = "wearable", cases = cases }
