-- What every persona's session needs (protocol 001): the start (connect, HELLO, IDENTIFY, READY,
-- with a check for each step and the trend wearable_ready, IDENTIFY -> READY from C++ stamps)
-- and the heartbeat.
local proto = require("wearable.proto")

local session = {}

-- open(role, token, connect_opts) with role "producer" or "consumer"
--   -> conn, heartbeat_interval_ms, ready_at_ms | nil (the failed check says why)
function session.open(role, token, connect_opts)
  local conn, err, detail = ws.connect(connect_opts or {})
  if not check("wearable " .. role .. " connected", conn ~= nil, detail or err) then return nil end
  local hello = conn:recv(10000)
  local interval = proto.usable_interval(hello)
  if not check("wearable " .. role .. " got HELLO", interval ~= nil, hello) then
    conn:close()
    return nil
  end
  local identify_at = conn:send(proto.identify(token, role == "producer" and proto.producer or proto.consumer))
  local ready = conn:recv(10000)
  while proto.is_op(ready, proto.op.HEARTBEAT_ACK) do ready = conn:recv(10000) end
  if not check("wearable " .. role .. " got READY", proto.is_op(ready, proto.op.READY), ready) then
    conn:close()
    return nil
  end
  local ready_at = conn:last_recv_time()
  metrics.trend("wearable_ready", ready_at - (identify_at or ready_at))
  return conn, interval, ready_at
end

-- Heartbeats at the announced interval, the first after a random fraction of it
-- (docs/protocols/wearable.md §5.1), and times each ACK (trend wearable_ack).
local beater = {}
beater.__index = beater

function session.beater(conn, interval)
  return setmetatable({ conn = conn, interval = interval, due = now() + interval * math.random() }, beater)
end

-- Sends the HEARTBEAT when due; returns false when the send failed (the connection is gone).
function beater:tick(t_now)
  if t_now < self.due then return true end
  self.sent = self.conn:send(proto.heartbeat())
  self.due = t_now + self.interval
  return self.sent ~= nil
end

-- Call for every message received: records the ACK latency when msg is the awaited ACK.
function beater:saw(msg)
  if self.sent and proto.is_op(msg, proto.op.HEARTBEAT_ACK) then
    metrics.trend("wearable_ack", self.conn:last_recv_time() - self.sent)
    self.sent = nil
  end
end

return session
