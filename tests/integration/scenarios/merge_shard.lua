-- For tests/integration/report_merge_test.cpp: a fixed amount of work per iteration, so that N
-- shards with a share of the clients each do, together, exactly what one process with all the
-- clients does. Each iteration opens a session, sends MESSAGES echo messages of a fixed size,
-- waits for each answer, records the real round trip (echo_rtt) and a value that depends only
-- on the message's position (position_ms: the same multiset of values in every layout, so its
-- percentiles must agree to the histogram's precision).
local messages = tonumber(env.MESSAGES or "10")

options = {
  iterations = 5,
  thresholds = {
    ["position_ms.p99"] = "< 1000",
    -- Every shard alone is short of the total: only the merged data meets it.
    ["ws_msgs_sent"] = "count >= " .. (env.TOTAL_MESSAGES or "600"),
    checks = "rate == 1",
  },
}

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then return end
  for k = 1, messages do
    local sent_at = conn:send({ type = "echo", id = string.format("%08d", k), payload = "xxxxxxxxxxxxxxxx" })
    local ack, why = conn:recv(5000)
    if not check("ack received", ack ~= nil, why) then break end
    metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
    metrics.trend("position_ms", k * 37.5)
  end
  conn:close(1000, "done")
end
