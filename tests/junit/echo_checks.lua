-- junit_xsd_test.sh's load run against `drover fake echo`: three checks and three thresholds,
-- so junit.xml has a testcase for each. RTT_LIMIT_MS=0 makes the echo_rtt threshold fail and
-- FAIL_CHECK=1 adds a check that fails on every answer, for a junit.xml with failures.
options = {
  vus = 2,
  iterations = 2,
  duration = "20s",
  thresholds = {
    ["echo_rtt.p99"] = "< " .. (env.RTT_LIMIT_MS or "5000"),
    ["ws_connecting.p99"] = "< 5000",
    checks = "rate > 0.5",
  },
}

local fail_check = env.FAIL_CHECK == "1"

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then return end
  local id = "vu-" .. vu.id
  local sent_at = conn:send({ type = "echo", id = id })
  if sent_at then
    local ack, why = conn:recv(5000)
    if check("ack received", ack ~= nil, why) then
      check("ack has the same id", type(ack) == "table" and ack.id == id, ack)
      metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
      if fail_check then check("answer is rejected on purpose", false, ack) end
    end
  end
  conn:close(1000, "done")
end
