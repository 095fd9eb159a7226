-- A fleet of wearables and the dashboards watching them (protocol 001):
--   clients 1..CONSUMERS are consumers of one developer (lib/wearable/consumer.lua), the rest
--   are producers of that developer (lib/wearable/producer.lua).
--
--   drover fake wearable --port 9100 --consumer-limit 8 --heartbeat-interval 5000
--   drover run scenarios/load/wearable-fleet.lua --target ws://127.0.0.1:9100/ \
--     --vus 2004 --duration 30s --ramp-up 10s
--
-- env: CONSUMERS (4; the server's consumer limit must allow them), DEVELOPER ("fleet"),
--   HR_MS (1000), STEPS_MS (5000), ACCEL_HZ (0 = no ACCELERATION), START_DELAY_MS (2000:
--   producers wait this long after READY so that the consumers subscribe first), GRACE_MS
--   (5000: how long consumers may keep draining after the run stops), E2E_P99_MS (500: the
--   wearable_e2e p99 threshold), TOKEN_FILE / TOKEN_CMD (see lib/wearable/tokens.lua).
--
-- Every DISPATCH is accounted for by the consumers themselves (each knows, from the producers'
-- end markers, how many SUBMITs each producer made): wearable_lost must stay 0. Counters
-- wearable_submitted and wearable_delivered (= CONSUMERS x submitted when nothing is lost) are
-- in the report for the record.
local tokens = require("wearable.tokens")
local producer = require("wearable.producer")
local consumer = require("wearable.consumer")

local consumers = tonumber(env.CONSUMERS or "4")
local developer = env.DEVELOPER or "fleet"
local grace_ms = tonumber(env.GRACE_MS or "5000")

options = {
  vus = 2004,
  duration = "30s",
  ramp_up = "10s",
  -- Consumers drain for GRACE_MS after the stop; producers finish their current wait (<= 1 s).
  graceful_stop = string.format("%ds", math.ceil(grace_ms / 1000) + 10),
  protocol = "wearable",
  -- Validating all ~10,000 messages/s costs more CPU than the clients themselves on a small
  -- machine (and inflates wearable_e2e); one in 20 still catches a systematic schema breach.
  validate = "sample:20",
  thresholds = {
    ["wearable_e2e.p99"] = "< " .. (env.E2E_P99_MS or "500"),
    ["wearable_ready.p99"] = "< 2000",
    wearable_lost = "count == 0",
    wearable_duplicates = "count == 0",
    wearable_unfinished = "count == 0",
    checks = "rate == 1",
    ws_errors = "count == 0",
  },
}

function client()
  if vu.id <= consumers then
    local token, err = tokens.nth_consumer(developer, vu.id)
    if not check("wearable token", token ~= nil, err) then return end
    consumer.run { token = token, grace_ms = grace_ms }
  else
    local user, token, err = tokens.nth_producer(developer, vu.id - consumers)
    if not check("wearable token", token ~= nil, err) then return end
    producer.run {
      token = token,
      hr_ms = tonumber(env.HR_MS or "1000"),
      steps_ms = tonumber(env.STEPS_MS or "5000"),
      accel_hz = tonumber(env.ACCEL_HZ or "0"),
      start_delay_ms = tonumber(env.START_DELAY_MS or "2000"),
    }
  end
  -- One session per client: the run's end stops the fleet, not an iteration count.
  while vu.running() do sleep(1000) end
end
