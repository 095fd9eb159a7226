-- Load benchmark, typical script: what a real scenario does per message. It builds a table and
-- sends it JSON-encoded (json.encode), decodes the answer (json.decode), checks it, and records
-- the round trip as a trend. Same env and modes as lean.lua (see there).
local mode = env.MODE or "closed"
local every = tonumber(env.EVERY_MS or "5000")
local messages = tonumber(env.MESSAGES or "3")
local pace = env.PACE ~= "0" -- 0 under an arrival-rate executor, which starts the sessions itself
-- PROTOCOL=wearable (run.sh's drover-validating, with --protocol wearable --validate all and a
-- target answering {"op":1}): the messages are wearable SUBMITs and HEARTBEAT_ACKs, so that
-- every message in and out is validated against the protocol's schemas.
local wearable = env.PROTOCOL == "wearable"

local function message(n)
  if wearable then return { op = 6, t = "HEART_RATE", d = { val = 60 + n % 100 } } end
  return { type = "msg", n = n, client = vu.id }
end
local function is_ack(ack)
  if wearable then return type(ack) == "table" and ack.op == 1 end
  return type(ack) == "table" and ack.type == "ack"
end

local function exchange(conn, n)
  -- conn:send(table) encodes and, under --validate, validates what it sends; send_raw does not.
  local sent_at
  if wearable then sent_at = conn:send(message(n)) else sent_at = conn:send_raw(json.encode(message(n))) end
  if not sent_at then return false end
  local text = conn:recv_raw(5000)
  if not text then return false end
  local ack = json.decode(text)
  if not check("ack", is_ack(ack), text) then return false end
  metrics.trend("ack_rtt", conn:last_recv_time() - sent_at)
  return true
end

function client()
  local started = now()
  local conn, _, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then sleep(1000) return end
  if mode == "churn" then
    for n = 1, messages do
      if not exchange(conn, n) then break end
    end
    conn:close(1000, "done")
    if pace then -- constant-vus: one session per client per second
      local left = 1000 - (now() - started)
      if left > 0 and vu.running() then sleep(left) end
    end
    return
  end
  local n, next_at = 0, now()
  while vu.running() do
    if mode == "interval" then
      local wait = next_at - now()
      if wait > 0 then sleep(wait) end
      next_at = next_at + every
      if not vu.running() then break end
    end
    n = n + 1
    if not exchange(conn, n) then break end
  end
  conn:close(1000, "done")
end
