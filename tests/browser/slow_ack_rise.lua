-- The browser test's third run (tests/browser/report_test.sh): against `drover fake echo --fault
-- slow-ack --fault-after 3s` the answers become 500 ms late 3 s after the fake started, so the
-- chart of echo_rtt over time must rise there (report_check.mjs --expect-rise). Four clients
-- send an echo message, wait for its answer and record the round trip, in a loop for 6 s.
-- No thresholds: the rise is the point, not a failure.
options = {
  vus = 4,
  duration = "6s",
}

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then
    sleep(500) -- do not hammer a fake that refuses us
    return
  end
  local n = 0
  while vu.running() do
    n = n + 1
    local id = vu.id .. "-" .. n
    local sent_at = conn:send({ type = "echo", id = id })
    if not sent_at then break end
    local ack, why = conn:recv(5000)
    if not check("answered", ack ~= nil, why) then break end
    metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
    sleep(50)
  end
  conn:close(1000, "done")
end
