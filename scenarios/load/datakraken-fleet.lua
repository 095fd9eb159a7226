-- A crowd of browsers on pages with the DataKraken analytics script (protocol 003,
-- docs/protocols/datakraken.md): every client is one browser (lib/datakraken/browser.lua)
-- that visits page after page until the run stops. A visit is a ticket over HTTP (with the
-- browser's cookie jar), a socket, start, 60 Hz mouse-move bursts and clicks, then end, or, in a
-- share of visits, a tab closed without it; after each visit the browser reads the session's
-- record (GET /api/session/{id}) and accounts for every event it sent.
--
--   drover fake datakraken --port 9400
--   drover run scenarios/load/datakraken-fleet.lua --target ws://127.0.0.1:9400/ws \
--     --vus 2000 --duration 30s --ramp-up 10s
--
-- env: VISIT_MS (10000: one visit's length), BURST_EVERY_MS (2000: a mouse-move burst this
--   often), BURST_MS (500: its length, at 60 Hz: 30 moves), CLICK_CHANCE (0.3: a click after a
--   burst), ABANDON (0.3: share of visits closed like a tab, 1001 and no end), THINK_MS (2000:
--   up to this long between visits), VERIFY (1; 0 for a server without the optional record
--   endpoint: no accounting then), RECORD_TIMEOUT_MS (5000: how long a record may take to
--   count what was sent), API_BASE (see scenarios/datakraken/README.md), TICKET_P99_MS (1000:
--   the dk_ticket p99 threshold).
--
-- Accounting: dk_events_sent = dk_events_recorded when nothing is lost; dk_lost, dk_extra,
-- dk_unverified, dk_ended_cleanly_wrong and dk_visitor_changed must stay 0 (thresholds), as
-- must HTTP and WebSocket errors. HTTP timings are the built-in http_* metrics, the socket's
-- the ws_* ones.
local proto = require("datakraken.proto")
local browser = require("datakraken.browser")

local function num(name, default) return tonumber(env[name] or "") or default end
local verify = env.VERIFY ~= "0"

local thresholds = {
  ["dk_ticket.p99"] = "< " .. (env.TICKET_P99_MS or "1000"),
  dk_visitor_changed = "count == 0",
  checks = "rate == 1",
  ws_errors = "count == 0",
  http_req_failed = "rate == 0",
}
if verify then
  thresholds.dk_lost = "count == 0"
  thresholds.dk_extra = "count == 0"
  thresholds.dk_unverified = "count == 0"
  thresholds.dk_ended_cleanly_wrong = "count == 0"
end

options = {
  vus = 2000,
  duration = "30s",
  ramp_up = "10s",
  -- A browser stopped mid-visit sends end, closes and reads its record.
  graceful_stop = string.format("%ds", math.ceil(num("RECORD_TIMEOUT_MS", 5000) / 1000) + 15),
  protocol = "datakraken",
  -- ~30,000 events/s at the default rates: validating one in 20 still catches a systematic
  -- breach of the schemas by the persona without costing the clients' CPU.
  validate = "sample:20",
  thresholds = thresholds,
}

function client()
  if not check("dk fleet target", env.TARGET ~= nil, "pass --target ws://HOST:PORT/ws (or --env TARGET=...)") then
    return
  end
  local endpoints, err = proto.endpoints(env.TARGET, env.API_BASE)
  if not check("dk fleet target", endpoints ~= nil, err) then return end
  browser.run {
    endpoints = endpoints,
    visit_ms = num("VISIT_MS", 10000),
    burst_every_ms = num("BURST_EVERY_MS", 2000),
    burst_ms = num("BURST_MS", 500),
    click_chance = num("CLICK_CHANCE", 0.3),
    abandon = num("ABANDON", 0.3),
    think_ms = num("THINK_MS", 2000),
    verify = verify,
    record_timeout_ms = num("RECORD_TIMEOUT_MS", 5000),
  }
end
