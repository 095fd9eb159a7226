-- Conformance suite for protocol 001, the wearable health stream (see README.md here):
--   drover conform wearable --target ws://HOST:PORT/
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases.
local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_handshake", "cases_heartbeat", "cases_routing", "cases_replay", "cases_schema",
                        "cases_close" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

-- Counts the cases running on this worker: 6.13 shuts the server down only after the others.
local S = require("support")
for _, case in ipairs(cases) do
  local run = case.run
  case.run = function(t)
    S.running = S.running + 1
    local ok, err = pcall(run, t)
    S.running = S.running - 1
    if not ok then error(err, 0) end
  end
end

conform.suite { protocol = "wearable", cases = cases }
