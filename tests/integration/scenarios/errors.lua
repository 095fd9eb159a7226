-- Connects once per client and reports what happened; used with dead or rude servers.
options = { vus = 3, iterations = 1, connect_timeout = "1s" }

function client()
  local conn, err = ws.connect()
  if not conn then
    metrics.counter("connect_failed_" .. err)
    return
  end
  conn:send({ id = 1 })
  local msg, why = conn:recv(3000)
  if msg == nil then metrics.counter("recv_failed_" .. why) end
end
