-- Hostile-server probe (tests/integration/hostile_*_test.cpp): odd clients talk to the hostile
-- server (--target), even clients to a correct echo server (env.ECHO). The echo half checks
-- every round trip, so the run's exit code says whether a hostile server hurt the clients that
-- never went near it; the hostile half checks nothing and counts what it saw
-- (`hostile_<step>_<outcome>` counters), while drover's own error kinds land in `errors`.
--
-- env: ECHO (url), SENDS (messages per hostile client, 3), SEND_BYTES (their padding, 100),
--      RECV_MS (recv timeout, 1000; 0: do not read, send as fast as sends complete),
--      HOLD_MS (wait before closing, 0), CLOSE_MS (close handshake timeout, 1000)
options = { iterations = 1 }

local sends = tonumber(env.SENDS) or 3
local pad = string.rep("x", tonumber(env.SEND_BYTES) or 100)
local recv_ms = tonumber(env.RECV_MS) or 1000
local hold_ms = tonumber(env.HOLD_MS) or 0
local close_ms = tonumber(env.CLOSE_MS) or 1000

local function count(step, outcome) metrics.counter("hostile_" .. step .. "_" .. tostring(outcome)) end

local function hostile()
  local conn, err = ws.connect()
  if not conn then return count("connect", err) end
  count("connect", "ok")
  for i = 1, sends do
    local at, send_err = conn:send({ type = "probe", id = i, pad = pad })
    if not at then
      count("send", send_err)
      break
    end
    if recv_ms > 0 then
      local text, binary_or_err = conn:recv_raw(recv_ms)
      if text == nil then
        count("recv", binary_or_err)
        if binary_or_err ~= "timeout" then break end
      else
        count("recv", binary_or_err and "binary" or "text")
      end
    end
  end
  if hold_ms > 0 then sleep(hold_ms) end
  local pings = #conn:server_pings()
  if pings > 0 then metrics.counter("hostile_server_pings", pings) end
  local ok, close_err = conn:close(1000, "bye", close_ms)
  count("close", ok and "ok" or close_err)
end

-- Always 3 small round trips, whatever the hostile half is told.
local function echo()
  local conn, err = ws.connect(env.ECHO)
  if not check("echo connected", conn ~= nil, err) then return end
  for i = 1, 3 do
    conn:send({ type = "probe", id = i, pad = "x" })
    local ack, why = conn:recv(5000)
    check("echo round trip", type(ack) == "table" and ack.id == i, why)
  end
  check("echo closed", conn:close(1000, "bye", 5000) == true)
end

function client()
  if vu.id % 2 == 1 then hostile() else echo() end
end
