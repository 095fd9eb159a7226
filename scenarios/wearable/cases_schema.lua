-- 5.x Schema validity: the server's frames against schemas/wearable/server/*.schema.json.
-- The checks are structural ones in Lua (lib/wearable/proto.lua mirrors the schema rules);
-- a run with --protocol wearable also validates every frame in C++ and counts the invalid ones.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "5.1", group = "schema", title = "HELLO, READY, HEARTBEAT_ACK and DISPATCH match their schemas",
  description = "A producer and a consumer of one developer go through the handshake and heartbeat; the " ..
    "producer submits a scalar (HEART_RATE), a vector (GYROSCOPE) and a LOCATION reading. Every frame the " ..
    "case receives is checked against its schema.",
  expectation = "HELLO {op:2, d:{heartbeat_interval: integer > 0}}; READY {op:4, d?: object}; " ..
    "HEARTBEAT_ACK {op:1}; DISPATCH {op:5, d:{ts: date-time, val | d}, uid: string, seq: integer >= 0, t: string} " ..
    "with d's shape matching t.",
  reference = "docs/protocols/wearable.md §2 (opcode table), §3 (data); schemas/wearable/server/*.schema.json",
  run = function(t)
    local dev = S.developer(t)
    local seen = { [1] = 0, [2] = 0, [4] = 0, [5] = 0 }
    local failures = {}
    local function validate(msg, where)
      local op = proto.op_of(msg)
      if math.type(op) and seen[op] then seen[op] = seen[op] + 1 end
      local problems = proto.server_frame_problems(msg)
      if #problems > 0 then
        failures[#failures + 1] = string.format("%s %s: %s", where, proto.op_name[op] or tostring(op),
          table.concat(problems, "; "))
      end
    end

    local c = S.consumer(t, dev, "consumer")
    local p = S.producer(t, dev, "p", "producer")
    for _, l in ipairs({ c, p }) do
      validate(l.hello, l.name)
      validate(l.ready_msg, l.name)
    end

    p:beat()
    local ack = p:recv_until(function(m) return proto.is_op(m, S.op.HEARTBEAT_ACK) end, S.response_ms, { acks = true })
    if ack then validate(ack, "producer") end

    local samples = {
      { t = "HEART_RATE", d = { val = 88 } },
      { t = "GYROSCOPE", d = { d = { 0.01, 0.02, -0.03 } } },
      { t = "LOCATION", d = { d = { 51.5072, -0.1276 } } },
    }
    S.submit_all(p, samples)
    local got, other = c:collect(#samples, S.response_ms, { [p.user] = true })
    for _, m in ipairs(got) do validate(m, "consumer") end
    for _, m in ipairs(other) do validate(m, "consumer") end

    for op, name in pairs({ [2] = "HELLO", [4] = "READY", [1] = "HEARTBEAT_ACK", [5] = "DISPATCH" }) do
      if seen[op] == 0 then t:info("no " .. name .. " was received, so none was checked") end
    end
    if #failures == 0 then
      t:ok(string.format("%d HELLO, %d READY, %d HEARTBEAT_ACK and %d DISPATCH frames validate", seen[2], seen[4],
        seen[1], seen[5]))
    else
      for _, f in ipairs(failures) do t:fail(f) end
    end
  end,
}

return cases
