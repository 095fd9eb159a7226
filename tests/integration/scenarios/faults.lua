-- One client, one message: counts what the (possibly faulty) echo fake did, so the test can
-- see each fault through the script API.
options = { vus = 1, iterations = 1, connect_timeout = "1s" }

function client()
  local conn, err, message, info = ws.connect()
  if not conn then
    metrics.counter("status_" .. tostring(info.status))
    return
  end
  conn:send({ id = 1 })
  local answer, why = conn:recv(1500)
  if answer == nil then
    metrics.counter("recv_" .. why)
  elseif type(answer) == "string" then
    metrics.counter("string_answer")
  else
    metrics.counter("table_answer")
  end
  -- Pings (fault `ping`, every 200 ms): wait for two, however slow the machine; a server that
  -- has sent none within a second sends none.
  local started = now()
  while #conn:server_pings() < 2 and now() - started < 10000 do
    if #conn:server_pings() == 0 and now() - started > 1000 then break end
    sleep(50)
  end
  metrics.counter("server_pings", #conn:server_pings())
end
