-- Session churn for the memory test (tests/integration/session_memory_test.cpp): every
-- iteration opens a session, exchanges one message and closes it. The script records its own
-- resident memory after the first 5,000 sessions and every 1,000 after, and teardown() checks
-- that no connection object outlived the run.
options = { vus = 100, iterations = 550 }

local sessions = 0

local function rss_kb()
  local f = assert(io.open("/proc/self/status"))
  for line in f:lines() do
    local kb = line:match("^VmRSS:%s+(%d+)")
    if kb then
      f:close()
      return tonumber(kb)
    end
  end
  f:close()
end

function client()
  local conn, err = ws.connect()
  if not check("connected", conn ~= nil, err) then return end
  conn:send({ type = "echo", id = vu.id })
  check("echoed", conn:recv(5000) ~= nil)
  conn:close(1000, "bye")
  sessions = sessions + 1
  if sessions == 5000 then metrics.gauge("rss_kb_after_5000_sessions", rss_kb()) end
  if sessions % 1000 == 0 then
    metrics.gauge("rss_kb_latest", rss_kb())
    metrics.gauge("sessions_counted", sessions)
  end
end

function teardown()
  collectgarbage()
  local live = ws.live_connections()
  if live ~= 0 then error(live .. " connection object(s) still alive after the run") end
end
