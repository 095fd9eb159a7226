-- An open model against the echo fake (`drover fake echo --port 9001`): 50 iterations a second
-- whatever the server's latency. Each iteration is one call of client() on an idle client of
-- the pool; it opens a connection, sends one message, waits for the ack and leaves.
--
--   drover run scenarios/examples/arrival-rate.lua --target ws://127.0.0.1:9001/
--   drover fake echo --port 9001 --fault slow-ack    # 500 ms answers: the rate holds, the pool grows
--   drover run scenarios/examples/arrival-rate.lua --max-vus 10   # too small a pool: dropped_iterations
--
-- iteration_duration is measured from each iteration's intended start, so a late start (a
-- generator behind schedule) shows in it; iteration_start_lag is that lateness alone.

options = {
  target = "ws://127.0.0.1:9001/",
  executor = "constant-arrival-rate",
  rate = 50,               -- iterations per time_unit
  time_unit = "1s",
  duration = "20s",
  pre_allocated_vus = 10,  -- clients made before the start
  max_vus = 100,           -- the pool grows up to this when every client is busy
  thresholds = {
    ["iteration_duration.p99"] = "< 1000",
    ["dropped_iterations.count"] = "< 1",
    checks = "rate > 0.99",
  },
}

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail or err) then return end
  local id = vu.id .. "-" .. vu.iteration
  local sent_at = conn:send({ type = "echo", id = id })
  local ack, why = conn:recv(5000)
  if check("ack received", ack ~= nil, why) then
    check("ack has the same id", type(ack) == "table" and ack.id == id, ack)
    metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
  end
  conn:close(1000, "done")
end
