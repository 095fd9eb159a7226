-- WebSocket-level behaviour of a server: ping round trips, an upgrade with a token in the
-- query and a header, and a clean closing handshake. Works against `drover fake echo`.
--
--   drover run scenarios/examples/ping_and_close.lua --target ws://127.0.0.1:9001/ --env TOKEN=secret
options = {
  vus = 5,
  iterations = 3,
  thresholds = { ["ws_ping.p99"] = "< 100", checks = "rate == 1" },
}

function setup()
  -- Runs once, before the clients; what it returns (plain data) reaches every client.
  return { pings = 10, started = os.date("!%Y-%m-%dT%H:%M:%SZ") }
end

function client(data)
  local conn, err, message = ws.connect({
    query = { token = env.TOKEN or "demo", client = vu.id },
    headers = { ["X-Drover-Iteration"] = tostring(vu.iteration) },
  })
  if not check("upgrade accepted", conn ~= nil, message) then return end
  check("upgrade status is 101", conn:status() == 101, conn:status())
  for _ = 1, data.pings do
    local rtt, why = conn:ping(2000) -- also recorded as the ws_ping trend
    if not check("pong received", rtt ~= nil, why) then break end
  end
  local ok, why = conn:close(1000, "done")
  check("closing handshake completed", ok, why)
  check("close code recorded", conn:close_code() == 1000, conn:close_code())
end

function teardown(data)
  log("run started at " .. data.started)
end
