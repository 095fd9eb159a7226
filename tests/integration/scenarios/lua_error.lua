-- Client 3 dies of a Lua error; the others finish their work.
options = { vus = 5, iterations = 1 }

local function broken(t)
  return t.missing.field -- line 5: attempt to index a nil value
end

function client()
  local conn = assert(ws.connect())
  if vu.id == 3 then broken({}) end
  conn:send({ id = vu.id })
  local ack = conn:recv(3000)
  check("ack received", ack ~= nil and ack.id == vu.id, ack)
end
