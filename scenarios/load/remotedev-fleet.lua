-- A fleet of apps streaming their Redux stores to the DevTools monitors watching them, and the
-- monitors talking back (protocol 002, RemoteDev over SocketCluster, docs/protocols/remotedev.md):
--   clients 1..MONITORS are monitors (lib/remotedev/monitor.lua), clients MONITORS+1 ..
--   MONITORS+APPS apps (lib/remotedev/app.lua), app i being client MONITORS+i; odd apps
--   relay with `log`, even ones with `log-noid` (NOID_EVERY).
--
--   drover fake remotedev --port 8000          # or --protocol v1, and then --env PROTOCOL=v1
--   drover run scenarios/load/remotedev-fleet.lua --target ws://127.0.0.1:8000/socketcluster/ \
--     --duration 30s --ramp-up 10s
--
-- The counts come from APPS and MONITORS (the number of clients follows from them: do not pass
-- --vus, or pass exactly APPS + MONITORS; fewer clients show as silent apps).
-- env: APPS (1000), MONITORS (10), ACTION_MS (1000: each app's ACTION period), STATE_EVERY (10:
--   a STATE after every 10th ACTION; 0: none), NOID_EVERY (2: every 2nd app uses log-noid;
--   0: none), DISPATCH_MS (2000: each monitor's DISPATCH period; 0: none), PAUSE_EVERY_MS (0:
--   off; else monitor 1 sends STOP this often and START PAUSE_MS (1000) later, pausing every
--   app), START_DELAY_MS (2000: apps wait this long after subscribing, so that the monitors are
--   there for their INIT), GRACE_MS (5000: how long monitors drain after the run stops; apps wait
--   half of it for the monitors' last messages), E2E_P99_MS (1000: the p99 threshold of
--   remotedev_e2e and remotedev_respond_e2e), PROTOCOL (v2 | v1 | auto: the SocketCluster
--   version, v2 as the fake's default, v1 for remotedev-server; it is also the schemas' dialect,
--   so auto, which learns the version from the first ping, turns validation off).
--
-- Accounting (see the personas): every message an app logs reaches every monitor once, in
-- order (remotedev_delivered = MONITORS x remotedev_logged when nothing is lost); every app is
-- heard from and announced DISCONNECTED when it leaves; every monitor message reaches every app
-- that was subscribed when it was sent. The counters below must stay 0 (thresholds).
local app = require("remotedev.app")
local monitor = require("remotedev.monitor")

local function num(name, default) return tonumber(env[name] or "") or default end

local apps = num("APPS", 1000)
local monitors = num("MONITORS", 10)
local grace_ms = num("GRACE_MS", 5000)
local noid_every = num("NOID_EVERY", 2)
local version = env.PROTOCOL or "v2"
if version ~= "v1" and version ~= "v2" and version ~= "auto" then
  error("remotedev-fleet: PROTOCOL must be v1, v2 or auto, not '" .. version .. "'")
end
local e2e_p99 = env.E2E_P99_MS or "1000"

options = {
  target = "ws://127.0.0.1:8000/socketcluster/",
  vus = apps + monitors,
  duration = "30s",
  ramp_up = "10s",
  -- Monitors drain for GRACE_MS after the stop; apps finish their wait and leave before that.
  graceful_stop = string.format("%ds", math.ceil(grace_ms / 1000) + 10),
  protocol = "remotedev",
  -- The pings and pongs are the version's (an empty frame is no message in v1's schemas).
  dialect = version ~= "auto" and version or nil,
  -- ~10,000 deliveries a second with the defaults: one message in 20 validated still catches a
  -- systematic schema breach without the validation's CPU showing in the latency.
  validate = version ~= "auto" and "sample:20" or "off",
  thresholds = {
    ["remotedev_e2e.p99"] = "< " .. e2e_p99,
    ["remotedev_respond_e2e.p99"] = "< " .. e2e_p99,
    remotedev_lost = "count == 0",
    remotedev_duplicates = "count == 0",
    remotedev_out_of_order = "count == 0",
    remotedev_unfinished = "count == 0",
    remotedev_silent_apps = "count == 0",
    remotedev_disconnected_missing = "count == 0",
    remotedev_id_conflicts = "count == 0",
    remotedev_respond_lost = "count == 0",
    remotedev_respond_duplicates = "count == 0",
    remotedev_respond_out_of_order = "count == 0",
    remotedev_respond_unfinished = "count == 0",
    checks = "rate == 1",
    ws_errors = "count == 0",
  },
}

function client()
  if vu.id <= monitors then
    monitor.run {
      number = vu.id, version = version, apps = apps,
      dispatch_ms = num("DISPATCH_MS", 2000),
      pause_every_ms = vu.id == 1 and num("PAUSE_EVERY_MS", 0) or 0,
      pause_ms = num("PAUSE_MS", 1000),
      grace_ms = grace_ms,
    }
  else
    local number = vu.id - monitors
    app.run {
      number = number, version = version, monitors = monitors,
      noid = noid_every > 0 and number % noid_every == 0,
      action_ms = num("ACTION_MS", 1000),
      state_every = num("STATE_EVERY", 10),
      start_delay_ms = num("START_DELAY_MS", 2000),
      end_wait_ms = grace_ms / 2,
    }
  end
  -- One session per client: the run's end stops the fleet, not an iteration count.
  while vu.running() do sleep(1000) end
end
