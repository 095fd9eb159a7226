-- A fleet of phones streaming their logs and the dashboards watching them (protocol 000,
-- docs/protocols/widb.md):
--   clients 1..DASHBOARDS are dashboards (lib/widb/dashboard.lua); the rest are phones, odd
--   ones Android (lib/widb/android.lua: a dump every 200 ms), even ones iOS (lib/widb/ios.lua:
--   every 100 ms, no osType in dumps); everyone sends deviceMetrics every METRICS_MS.
--   Phones and dashboards are spread over KEYS apiKeys (phone i and dashboard i share key
--   i mod KEYS), so with the defaults each dashboard watches a quarter of the fleet.
--
--   drover fake widb --port 9200
--   drover run scenarios/load/widb-fleet.lua --target ws://127.0.0.1:9200/ws \
--     --vus 2004 --duration 30s --ramp-up 10s
--
-- env: DASHBOARDS (4), KEYS (= DASHBOARDS; fewer keys: several dashboards per key, each
--   sees all of its key's phones), LINES (2 per dump), ANDROID_MS (200), IOS_MS (100),
--   METRICS_MS (5000), START_DELAY_MS (2000: phones wait before the first dump so that the
--   dashboards associate first), GRACE_MS (5000: how long dashboards drain after the stop),
--   E2E_P99_MS (500: the widb_e2e p99 threshold), PHONES (the number of phones, i.e. --vus minus
--   DASHBOARDS: when given, each dashboard also checks that every phone of its key was heard
--   from; a Lua scenario cannot see --vus, so pass it for a run whose phones must all count).
--
-- Every line is accounted for by the dashboards (see dashboard.lua): widb_lost,
-- widb_duplicates, widb_out_of_order and widb_unfinished must stay 0. widb_lines_sent vs widb_lines_delivered
-- (= sent x dashboards per key when nothing is lost) are in the report for the record.
local android = require("widb.android")
local ios = require("widb.ios")
local dashboard = require("widb.dashboard")

local dashboards = tonumber(env.DASHBOARDS or "4")
local keys = tonumber(env.KEYS or tostring(dashboards))
local grace_ms = tonumber(env.GRACE_MS or "5000")

options = {
  target = "ws://127.0.0.1:9200/ws",
  vus = 2004,
  duration = "30s",
  ramp_up = "10s",
  -- Dashboards drain for GRACE_MS after the stop; phones finish their current wait (<= 200 ms).
  graceful_stop = string.format("%ds", math.ceil(grace_ms / 1000) + 10),
  protocol = "widb",
  -- 15,000 dumps/s in and as many logData out: validating every one would cost more CPU than
  -- the clients; one in 20 still catches a systematic schema breach.
  validate = "sample:20",
  thresholds = {
    ["widb_e2e.p99"] = "< " .. (env.E2E_P99_MS or "500"),
    widb_lost = "count == 0",
    widb_duplicates = "count == 0",
    widb_out_of_order = "count == 0",
    widb_unfinished = "count == 0",
    widb_metrics_lost = "count == 0",
    widb_silent_phones = "count == 0",
    checks = "rate == 1",
    ws_errors = "count == 0",
  },
}

local function key_of(i) return string.format("drover-fleet-key-%d", i % keys) end

function client()
  if vu.id <= dashboards then
    local expect_ids
    if env.PHONES then
      expect_ids = {}
      for i = 1, tonumber(env.PHONES) do
        if i % keys == vu.id % keys then expect_ids[#expect_ids + 1] = "p" .. i end
      end
    end
    dashboard.run { api_key = key_of(vu.id), grace_ms = grace_ms, expect_ids = expect_ids }
  else
    local phone_no = vu.id - dashboards
    local opts = {
      id = "p" .. phone_no, api_key = key_of(phone_no), lines = tonumber(env.LINES or "2"),
      metrics_ms = tonumber(env.METRICS_MS or "5000"), start_delay_ms = tonumber(env.START_DELAY_MS or "2000"),
    }
    if phone_no % 2 == 1 then
      opts.dump_ms = tonumber(env.ANDROID_MS or "200")
      android.run(opts)
    else
      opts.dump_ms = tonumber(env.IOS_MS or "100")
      ios.run(opts)
    end
  end
  -- One session per client: the run's end stops the fleet, not an iteration count.
  while vu.running() do sleep(1000) end
end
