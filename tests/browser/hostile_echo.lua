-- The browser test's run (tests/browser/report_test.sh): the echo fake sends back a message
-- without an "id" as it is, so with HOSTILE set to markup the server's answers carry it, and a
-- check that fails on each answer puts the server's text in report.html (the check's first
-- failure), where it must stay text. Two clients for 4 s (several intervals of the results over
-- time), each iteration three messages and a pause; echo_rtt gives the page a chart to draw.
options = {
  vus = 2,
  duration = "4s",
  thresholds = {
    ["echo_rtt.p99"] = "< 5000",
    ["ws_connecting.p99"] = "< 5000",
  },
}

local hostile = env.HOSTILE or "<b>no HOSTILE given</b>"

function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then return end
  for i = 1, 3 do
    local sent_at = conn:send({ type = "echo", n = i, payload = hostile })
    if not sent_at then break end
    local answer, why = conn:recv(5000)
    if not check("answered", answer ~= nil, why) then break end
    metrics.trend("echo_rtt", conn:last_recv_time() - sent_at)
    -- Fails on purpose: its detail is the server's answer, hostile text included.
    check("answer is plain text", false, answer)
  end
  conn:close(1000, "done")
  sleep(250)
end
