-- One client through the wearable handshake: HELLO, IDENTIFY (a self-describing producer token),
-- READY. Declares no protocol: the test sets --protocol and --validate on the command line.
options = { vus = 1, iterations = 1 }

function client()
  local conn = assert(ws.connect())
  local hello = conn:recv(5000)
  check("hello", type(hello) == "table" and hello.op == 2, hello)
  conn:send({ op = 3, d = { token = "user:flags:u1:" .. tostring(now()), type = 0 } })
  local ready = conn:recv(5000)
  check("ready", type(ready) == "table" and ready.op == 4, ready)
  conn:close(1000, "done")
end
