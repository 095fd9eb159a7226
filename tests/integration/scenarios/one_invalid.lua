-- Sends valid wearable messages and exactly one invalid SUBMIT (val is a string) to the echo
-- fake. Only what the script sends is validated: the echo's answers are not wearable messages.
options = { vus = 1, iterations = 1, protocol = "wearable" }

function client()
  local conn = assert(ws.connect({ validate = "sent" }))
  conn:send({ op = 0 })
  conn:send({ op = 3, d = { token = "user:dev1:u1:n1", type = 0 } })
  for i = 1, 5 do
    conn:send({ op = 6, t = "HEART_RATE", d = { val = 60 + i } })
  end
  conn:send({ op = 6, t = "HEART_RATE", d = { val = "fast" } })  -- the one invalid message
  conn:send({ op = 6, t = "ACCELERATION", d = { d = { 0.1, 0.2, 9.8 } } })
  for _ = 1, 9 do conn:recv(2000) end
  conn:close()
end
