-- Round-trip latency against the echo fake (`drover fake echo --port 9001`):
-- every client sends a message with an id, waits for the ack carrying the same id,
-- and records the time between the two as the trend `echo_rtt`.
--
--   drover run scenarios/examples/echo.lua --target ws://127.0.0.1:9001/ --vus 1000 --duration 20s

options = {
  target = "ws://127.0.0.1:9001/",
  vus = 10,
  duration = "10s",
  ramp_up = "2s",
  thresholds = {
    ["echo_rtt.p99"] = "< 250",
    ["ws_connecting.p99"] = "< 1000",
    checks = "rate > 0.99",
  },
}

local interval_ms = tonumber(env.INTERVAL_MS or "100")

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then
    sleep(1000) -- do not hammer a target that refuses us
    return
  end
  local n = 0
  while vu.running() do
    n = n + 1
    local id = vu.id .. "-" .. n
    local sent_at = conn:send({ type = "echo", id = id, payload = "hello from client " .. vu.id })
    if not sent_at then break end
    local ack, why = conn:recv(5000)
    if not check("ack received", ack ~= nil, why) then break end
    check("ack has the same id", type(ack) == "table" and ack.id == id, ack)
    metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
    sleep(interval_ms)
  end
  conn:close(1000, "done")
end
