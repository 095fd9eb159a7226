-- 6.x Close codes: every code of docs/protocols/wearable.md §10, provoked and checked (4005 is case 2.3).
local S = require("support")
local proto, tokens = S.proto, S.tokens

local cases = {}

local json_variant = { [1003] = "variant listed in docs/protocols/wearable.md §7.3" }

local function close_case(spec)
  cases[#cases + 1] = spec
end

-- One identified producer per text frame; each sends its frame, then each must be closed
-- with code (variants as in link:expect_close).
local function producers_send(t, frames, code, variants)
  local dev = S.developer(t)
  local links = {}
  for i, text in ipairs(frames) do
    local l = S.producer(t, dev, "p" .. i, "producer sending " .. text)
    l:send_raw(text)
    links[#links + 1] = l
  end
  for _, l in ipairs(links) do l:expect_close(code, nil, variants) end
end

close_case {
  id = "6.1", group = "close", title = "4000 when no IDENTIFY arrives in time",
  description = "Open a connection, keep heartbeating, never IDENTIFY. The identify timeout is not announced: " ..
    "docs/protocols/wearable.md §4.2 says 15 s, IDENTIFY_TIMEOUT_MS overrides it. Waits up to 1.5 x that " ..
    "(at least +2 s).",
  expectation = "Close 4000 about the identify timeout after HELLO (HEARTBEATs do not count as IDENTIFY); a " ..
    "close well before the timeout (< 75 %) is NON-STRICT.",
  reference = "docs/protocols/wearable.md §4.2 (no IDENTIFY within 15 s: 4000)",
  run = function(t)
    local l = S.connect(t, "client")
    local limit = S.identify_timeout_ms
    local code = l:expect_close(4000, limit + math.max(2000, limit * 0.5))
    if code then
      local after = now() - l.hello_at
      local text = string.format("closed %.0f ms after HELLO (identify timeout %d ms)", after, limit)
      if after < limit * 0.75 then t:non_strict(text .. ": earlier than the documented timeout") else t:ok(text) end
    end
  end,
}

close_case {
  id = "6.2", group = "close", title = "4001 for an unknown token",
  description = "IDENTIFY as a consumer with a token no server issued.",
  expectation = "Close 4001.",
  reference = "docs/protocols/wearable.md §4.4 (an unknown token: 4001)",
  run = function(t)
    local l = S.connect(t, "client")
    l:send(proto.identify(tokens.unknown(), proto.consumer))
    l:expect_close(4001)
  end,
}

close_case {
  id = "6.3", group = "close", title = "4001 for a token used before",
  description = "Connection A IDENTIFIES as a producer with a fresh token and gets READY; connection B then " ..
    "IDENTIFIES with the same token.",
  expectation = "B is closed 4001: tokens are single use.",
  reference = "docs/protocols/wearable.md §4.4 (tokens are single use: 4001)",
  run = function(t)
    local dev = S.developer(t)
    local user = S.user(t, dev, "p")
    local token = S.need(t, tokens.producer(dev, user))
    local a = S.connect(t, "A")
    S.require(t, a:identify(token, proto.producer), "A got READY with a fresh token (1.5 judges that)")
    local b = S.connect(t, "B")
    b:send(proto.identify(token, proto.producer))
    b:expect_close(4001)
  end,
}

close_case {
  id = "6.4", group = "close", title = "4001 when the token does not match the IDENTIFY type",
  description = "A consumer token sent with type 0 (producer), and a producer token sent with type 1 (consumer).",
  expectation = "Both connections are closed 4001.",
  reference = "docs/protocols/wearable.md §4.4 (a token of the other role: 4001); §2.1 (IDENTIFY type)",
  run = function(t)
    local dev = S.developer(t)
    local user = S.user(t, dev, "p")
    local a = S.connect(t, "consumer token as producer")
    a:send(proto.identify(S.need(t, tokens.consumer(dev)), proto.producer))
    local b = S.connect(t, "producer token as consumer")
    b:send(proto.identify(S.need(t, tokens.producer(dev, user)), proto.consumer))
    a:expect_close(4001)
    b:expect_close(4001)
  end,
}

close_case {
  id = "6.5", group = "close", title = "4002 when the developer's consumer limit is reached; the newest is closed",
  description = "Open consumers of one developer one after another until one is refused (at most " ..
    "CONSUMER_LIMIT + 1, default 8 connections).",
  expectation = "The first consumer over the limit is closed 4002; the older ones stay open. Without a refusal " ..
    "within the attempts the limit is above them (INFORMATIONAL).",
  reference = "docs/protocols/wearable.md §4.7 (consumer session limit: 4002, the newest is closed)",
  run = function(t)
    local dev = S.developer(t)
    local attempts = tonumber(env.CONSUMER_LIMIT) and (tonumber(env.CONSUMER_LIMIT) + 1) or 8
    local links, last_why = {}, nil
    for i = 1, attempts do
      local l, ready, why = S.consumer(t, dev, "consumer " .. i, { may_fail = true })
      links[i] = l
      if not ready then last_why = why break end
    end
    local newest = links[#links]
    if last_why and newest.conn:is_open() then
      t:fail(newest.name .. " got neither READY nor a close: " .. last_why)
      return
    end
    links[1]:pump(S.settle_ms) -- a refusal that comes after a READY shows up now
    local first_closed
    for i, l in ipairs(links) do
      if not l.conn:is_open() then first_closed = i break end
    end
    if not first_closed then
      t:info(string.format("no consumer was refused with %d open: the limit is higher (set CONSUMER_LIMIT)", #links))
      return
    end
    local l = links[first_closed]
    local code, reason = l.conn:close_code(), l.conn:close_reason()
    t:check(code == 4002, l.name .. " (the first over the limit) is closed 4002",
      code and (code .. " " .. (reason or "")) or "dropped without close frame")
    t:check(first_closed > 1, "the server allows at least one consumer", first_closed)
    t:ok(string.format("consumer limit found: %d", first_closed - 1))
  end,
}

close_case {
  id = "6.6", group = "close", title = "4003 for a second IDENTIFY",
  description = "IDENTIFY as a producer, get READY, then IDENTIFY again with another fresh token.",
  expectation = "Close 4003.",
  reference = "docs/protocols/wearable.md §4.3 (a second IDENTIFY: 4003)",
  run = function(t)
    local dev = S.developer(t)
    local l = S.producer(t, dev, "p", "producer")
    l:send(proto.identify(S.need(t, tokens.producer(dev, l.user)), proto.producer))
    l:expect_close(4003)
  end,
}

close_case {
  id = "6.7", group = "close", title = "4004 for SUBMIT from a consumer",
  description = "A consumer, after READY, sends a well-formed SUBMIT.",
  expectation = "Close 4004 (SUBMIT is for producers).",
  reference = "docs/protocols/wearable.md §6.1 (SUBMIT from a consumer: 4004)",
  run = function(t)
    local l = S.consumer(t, S.developer(t), "consumer")
    l:send_raw(json.encode(proto.submit("HEART_RATE", { val = 70 })))
    l:expect_close(4004)
  end,
}

close_case {
  id = "6.8", group = "close", title = "4004 for REPLAY from a producer",
  description = "A producer, after READY, sends a well-formed REPLAY.",
  expectation = "Close 4004 (REPLAY is for consumers).",
  reference = "docs/protocols/wearable.md §6.2 (REPLAY from a producer: 4004)",
  run = function(t)
    local l = S.producer(t, S.developer(t), "p", "producer")
    l:send_raw(json.encode(proto.replay(0)))
    l:expect_close(4004)
  end,
}

local server_frames = { -- HEARTBEAT_ACK, HELLO, READY, DISPATCH
  '{"op":1}',
  '{"op":2,"d":{"heartbeat_interval":1000}}',
  '{"op":4}',
  '{"op":5,"d":{"ts":"2022-05-04T10:26:11.268507+01:00","val":95},"uid":"u","seq":1,"t":"HEART_RATE"}',
}

close_case {
  id = "6.9", group = "close", title = "4004 for a server opcode sent by a client",
  description = "Four producers, after READY, each send one server opcode: HEARTBEAT_ACK (1), HELLO (2), READY " ..
    "(4), DISPATCH (5).",
  expectation = "Each connection is closed 4004.",
  reference = "docs/protocols/wearable.md §6.3 (a server opcode from a client: 4004)",
  run = function(t)
    producers_send(t, server_frames, 4004)
  end,
}

close_case {
  id = "6.10", group = "close", title = "4004 for an unknown opcode",
  description = "Two producers, after READY, send {\"op\":42} and {\"op\":8}.",
  expectation = "Both are closed 4004.",
  reference = "docs/protocols/wearable.md §6.4 (an unknown opcode: 4004)",
  run = function(t)
    producers_send(t, { '{"op":42}', '{"op":8}' }, 4004)
  end,
}

close_case {
  id = "6.11", group = "close", title = "1007 for text that is not JSON",
  description = "A producer, after READY, sends the text frame `this is not json {`.",
  expectation = "Close 1007; 1003 is a known variant (NON-STRICT).",
  reference = "docs/protocols/wearable.md §7.1 (text that is not JSON: 1007), §7.3 (variant 1003)",
  run = function(t)
    producers_send(t, { "this is not json {" }, 1007, json_variant)
  end,
}

close_case {
  id = "6.12", group = "close", title = "1007 for JSON without a numeric op",
  description = "Three producers, after READY, send {\"op\":\"0\"}, {\"d\":{}} and [0].",
  expectation = "Each is closed 1007; 1003 is a known variant (NON-STRICT).",
  reference = "docs/protocols/wearable.md §7.2 (JSON without a numeric op: 1007), §7.3 (variant 1003)",
  run = function(t)
    producers_send(t, { '{"op":"0"}', '{"d":{}}', '[0]' }, 1007, json_variant)
  end,
}

close_case {
  id = "6.13", group = "close", title = "1001 when the server shuts down",
  description = "Needs SHUTDOWN_CMD, a shell command that stops the server under test (e.g. `kill PID`), and " ..
    "this case run alone (--case 6.13): a client cannot make a server shut down, and the shutdown ends " ..
    "every other case's connections too.",
  expectation = "With SHUTDOWN_CMD: an identified producer and consumer are both closed 1001. Without it: " ..
    "INFORMATIONAL, not tested.",
  reference = "docs/protocols/wearable.md §4.8 (shutdown: 1001)",
  run = function(t)
    if not env.SHUTDOWN_CMD or env.SHUTDOWN_CMD == "" then
      t:info("not provoked: a client cannot shut the server down; give SHUTDOWN_CMD and run --case 6.13 alone")
      return
    end
    local dev = S.developer(t)
    local c = S.consumer(t, dev, "consumer")
    local p = S.producer(t, dev, "p", "producer")
    t:note("running SHUTDOWN_CMD: " .. env.SHUTDOWN_CMD)
    local ok, how, status = os.execute(env.SHUTDOWN_CMD)
    if not ok then t:note(string.format("SHUTDOWN_CMD ended %s %s", tostring(how), tostring(status))) end
    c:expect_close(1001, S.response_ms + 2000)
    p:expect_close(1001, S.response_ms + 2000)
  end,
}

return cases
