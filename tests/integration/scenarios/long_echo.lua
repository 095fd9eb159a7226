-- Runs until stopped; used to interrupt a run with SIGINT.
options = { vus = 4, duration = "60s" }

function client()
  local conn = assert(ws.connect())
  while vu.running() do
    conn:send({ id = vu.id })
    conn:recv(2000)
    sleep(50)
  end
end
