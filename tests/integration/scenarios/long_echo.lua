-- Runs until stopped; used to interrupt a run with SIGINT.
options = { vus = 4, duration = "60s" }

-- Prints "echoing" once the first answer came, so the test interrupts a run that is under way.
function client()
  local conn = assert(ws.connect())
  local told = false
  while vu.running() do
    conn:send({ id = vu.id })
    local answer = conn:recv(2000)
    if answer and vu.id == 1 and not told then
      io.stdout:write("echoing\n")
      io.stdout:flush()
      told = true
    end
    sleep(50)
  end
end
