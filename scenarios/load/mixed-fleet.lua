-- A mixed fleet in one run (options.scenarios, see scenarios/README.md "Mixed fleets"):
--   wearables   wearable producers and their consumers (protocol 001, lib/wearable/), against
--               the wearable fake; clients 1..W_CONSUMERS of this scenario are consumers;
--   phones      WiDB phones streaming logs (protocol 000, lib/widb/; odd ids Android, even iOS);
--   dashboards  the WiDB dashboards watching them (one per apiKey), started first.
-- Each scenario carries its own target (two servers), model, function and tags; vu.id counts
-- from 1 within each scenario. Every metric is also reported per scenario, e.g.
-- widb_e2e{protocol:widb,scenario:dashboards}, and the thresholds below are judged per scenario.
--
--   drover fake wearable --port 9100 --consumer-limit 8 &
--   drover fake widb --port 9200 &
--   drover run scenarios/load/mixed-fleet.lua --env WEARABLE_URL=ws://127.0.0.1:9100/ \
--     --env WIDB_URL=ws://127.0.0.1:9200/ws
--
-- env: WEARABLE_URL (ws://127.0.0.1:9100/), WIDB_URL (ws://127.0.0.1:9200/ws), DURATION (30s),
--   WEARABLES (100 clients, consumers included), W_CONSUMERS (2), PHONES (200), DASHBOARDS (4),
--   START_DELAY_MS (2000: senders wait for the receivers to subscribe), GRACE_MS (5000: how
--   long receivers drain after the stop), E2E_P99_MS (500: both e2e p99 thresholds).
-- No `protocol` is set: message validation takes one protocol per run, and this run speaks two.
local tokens = require("wearable.tokens")
local producer = require("wearable.producer")
local consumer = require("wearable.consumer")
local android = require("widb.android")
local ios = require("widb.ios")
local dashboard = require("widb.dashboard")

local duration = env.DURATION or "30s"
local w_consumers = tonumber(env.W_CONSUMERS or "2")
local dashboards = tonumber(env.DASHBOARDS or "4")
local grace_ms = tonumber(env.GRACE_MS or "5000")
local start_delay_ms = tonumber(env.START_DELAY_MS or "2000")
local e2e = "< " .. (env.E2E_P99_MS or "500")
-- Receivers drain for GRACE_MS after their scenario stops; senders end within a second.
local receiver_grace = string.format("%ds", math.ceil(grace_ms / 1000) + 10)

options = {
  scenarios = {
    wearables = {
      executor = "constant-vus", vus = tonumber(env.WEARABLES or "100"), duration = duration,
      exec = "wearable", target = env.WEARABLE_URL or "ws://127.0.0.1:9100/",
      graceful_stop = receiver_grace, tags = { protocol = "wearable" },
    },
    phones = {
      executor = "constant-vus", vus = tonumber(env.PHONES or "200"), duration = duration, ramp_up = "1s",
      exec = "phone", target = env.WIDB_URL or "ws://127.0.0.1:9200/ws", tags = { protocol = "widb" },
    },
    dashboards = {
      executor = "constant-vus", vus = dashboards, duration = duration, exec = "watch",
      target = env.WIDB_URL or "ws://127.0.0.1:9200/ws", graceful_stop = receiver_grace,
      tags = { protocol = "widb" },
    },
  },
  thresholds = {
    ["wearable_e2e{protocol:wearable,scenario:wearables}.p99"] = e2e,
    ["wearable_lost{scenario:wearables}"] = "count == 0",
    ["widb_e2e{scenario:dashboards}.p99"] = e2e,
    ["widb_lost{scenario:dashboards}"] = "count == 0",
    ["widb_duplicates{scenario:dashboards}"] = "count == 0",
    -- A tag subset: every widb scenario (phones and dashboards) together.
    ["ws_errors{protocol:widb}"] = "count == 0",
    checks = "rate == 1",
    ws_errors = "count == 0",
  },
}

function wearable()
  if vu.id <= w_consumers then
    local token, err = tokens.nth_consumer("mixed", vu.id)
    if not check("wearable token", token ~= nil, err) then return end
    consumer.run { token = token, grace_ms = grace_ms }
  else
    local user, token, err = tokens.nth_producer("mixed", vu.id - w_consumers)
    if not check("wearable token", token ~= nil, err) then return end
    producer.run { token = token, hr_ms = 1000, steps_ms = 5000, accel_hz = 0, start_delay_ms = start_delay_ms }
  end
  while vu.running() do sleep(1000) end
end

local function key_of(i) return string.format("drover-mixed-key-%d", i % dashboards) end

function phone()
  local opts = { id = "p" .. vu.id, api_key = key_of(vu.id), lines = 2, metrics_ms = 5000,
                 start_delay_ms = start_delay_ms }
  if vu.id % 2 == 1 then
    opts.dump_ms = 200
    android.run(opts)
  else
    opts.dump_ms = 100
    ios.run(opts)
  end
  while vu.running() do sleep(1000) end
end

function watch()
  dashboard.run { api_key = key_of(vu.id), grace_ms = grace_ms }
  while vu.running() do sleep(1000) end
end
