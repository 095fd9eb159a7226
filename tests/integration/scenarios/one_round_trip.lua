-- One client, one message and its answer: enough to see a connection succeed (or fail) and
-- what its upgrade request carried.
options = { vus = 1, iterations = 1, connect_timeout = "5s" }

function client()
  local conn, err = ws.connect()
  if not conn then
    metrics.counter("connect_failed")
    return
  end
  conn:send({ id = 1 })
  local answer = conn:recv(5000)
  check("answered", answer ~= nil, answer)
  conn:close(1000, "done")
end
