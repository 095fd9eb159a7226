-- 6.x Close codes: every code of docs/protocols/wearable.md §10, provoked and checked (4005 is case 2.3).
local S = require("support")
local proto, tokens = S.proto, S.tokens

local cases = {}

local json_variant = { [1003] = "variant listed in docs/protocols/wearable.md §7.3" }

local function close_case(spec)
  cases[#cases + 1] = spec
end

-- One identified producer per text frame; each sends its frame, then each must be closed
-- with code (variants as in link:expect_close) and get nothing but HEARTBEAT_ACKs before it.
local function producers_send(t, frames, code, variants)
  local dev = S.developer(t)
  local links = {}
  for i, text in ipairs(frames) do
    local l = S.producer(t, dev, "p" .. i, "producer sending " .. text)
    l.sent_at = l:send_raw(text)
    links[#links + 1] = l
  end
  for _, l in ipairs(links) do l:expect_close(code, nil, variants, { sent_at = l.sent_at, quiet = true }) end
end

close_case {
  id = "6.1", group = "close", title = "4000 when no IDENTIFY arrives in time",
  description = "Open a connection, keep heartbeating, never IDENTIFY; time the close from HELLO. The identify " ..
    "timeout T is not announced: docs/protocols/wearable.md §4.2 says 15 s, IDENTIFY_TIMEOUT_MS overrides it. " ..
    "Tolerance: tol = 0.2 x T + TIMING_SLACK_MS on either side, judged after subtracting the connection's " ..
    "longest HEARTBEAT round trip (at most T / 4); waits up to T + 2 tol + SETTLE_MS.",
  expectation = "Close 4000 at T +- tol after HELLO (HEARTBEATs do not count as IDENTIFY). Earlier is FAILED (a " ..
    "client identifying within the documented time would be cut off), later or no close is FAILED.",
  reference = "docs/protocols/wearable.md §4.2 (no IDENTIFY within 15 s: 4000; HEARTBEATs do not count)",
  run = function(t)
    local l = S.connect(t, "client")
    local limit = S.identify_timeout_ms
    local tol = S.tolerance(limit)
    local code = l:expect_close(4000, math.max(0, l.hello_at + limit + 2 * tol + S.settle_ms - now()))
    if code then
      local measured = now() - l.hello_at
      local allowance = S.delay_allowance(l, limit)
      local after = measured - allowance
      local text = string.format("closed %.0f ms after HELLO (%.0f ms less the HEARTBEAT round trip %.0f ms; " ..
        "identify timeout %d +- %.0f ms)", after, measured, allowance, limit, tol)
      if after < limit - tol then
        t:fail(text .. ": earlier than the tolerance")
      elseif after > limit + tol then
        t:fail(text .. ": later than the tolerance")
      else
        t:ok(text)
      end
    end
  end,
}

close_case {
  id = "6.2", group = "close", title = "4001 for an unknown, missing or non-string token",
  description = "Three consumers IDENTIFY: with a token no server issued, without a token, and with the number " ..
    "42 as token.",
  expectation = "Each is closed 4001 and gets no READY.",
  reference = "docs/protocols/wearable.md §4.4 (a token unknown, missing or not a string: 4001), §4.5 (no READY " ..
    "after a refused IDENTIFY)",
  run = function(t)
    local frames = {
      { "unknown token", proto.identify(tokens.unknown(), proto.consumer) },
      { "no token", { op = 3, d = { type = proto.consumer } } },
      { "numeric token", proto.identify(42, proto.consumer) },
    }
    local links = {}
    for i, f in ipairs(frames) do
      links[i] = S.connect(t, f[1])
      links[i]:send(f[2])
    end
    for _, l in ipairs(links) do l:expect_close(4001, nil, nil, { readies = 0 }) end
  end,
}

close_case {
  id = "6.3", group = "close", title = "4001 for a token used before",
  description = "Connection A IDENTIFIES as a producer with a fresh token and gets READY; connection B then " ..
    "IDENTIFIES with the same token; A closes, and connection C tries the token once more.",
  expectation = "B and C are closed 4001 without READY: tokens are single use, also after the first connection " ..
    "closed.",
  reference = "docs/protocols/wearable.md §4.4 (tokens are single use: 4001, for good)",
  run = function(t)
    local dev = S.developer(t)
    local user = S.user(t, dev, "p")
    local token = S.need(t, tokens.producer(dev, user))
    local a = S.connect(t, "A")
    S.require(t, a:identify(token, proto.producer), "A got READY with a fresh token (1.5 judges that)")
    local b = S.connect(t, "B")
    b:send(proto.identify(token, proto.producer))
    if b:expect_close(4001, nil, nil, { readies = 0 }) ~= 4001 then return end
    a.conn:close(1000, "done")
    a.conn:wait_close(S.response_ms)
    local c = S.connect(t, "C (after A closed)")
    c:send(proto.identify(token, proto.producer))
    c:expect_close(4001, nil, nil, { readies = 0 })
  end,
}

close_case {
  id = "6.4", group = "close", title = "4001 when the token does not match the IDENTIFY type, or the type is unknown",
  description = "A consumer token sent with type 0 (producer), a producer token sent with type 1 (consumer), " ..
    "and a consumer token with type 2.",
  expectation = "All three connections are closed 4001, none gets READY.",
  reference = "docs/protocols/wearable.md §4.4 (a token of the other role, a type not 0 or 1: 4001); §2.1 " ..
    "(IDENTIFY type)",
  run = function(t)
    local dev = S.developer(t)
    local user = S.user(t, dev, "p")
    local a = S.connect(t, "consumer token as producer")
    a:send(proto.identify(S.need(t, tokens.consumer(dev)), proto.producer))
    local b = S.connect(t, "producer token as consumer")
    b:send(proto.identify(S.need(t, tokens.producer(dev, user)), proto.consumer))
    local c = S.connect(t, "type 2")
    c:send(proto.identify(S.need(t, tokens.consumer(dev)), 2))
    a:expect_close(4001, nil, nil, { readies = 0 })
    b:expect_close(4001, nil, nil, { readies = 0 })
    c:expect_close(4001, nil, nil, { readies = 0 })
  end,
}

close_case {
  id = "6.5", group = "close", title = "4002 when the developer's consumer limit is reached; the newest is closed",
  description = "Open consumers of one developer one after another until one is refused (at most " ..
    "CONSUMER_LIMIT + 1, default 8 connections).",
  expectation = "The first consumer over the limit is closed 4002 without READY; the older ones stay open; once " ..
    "the oldest closes, a new consumer is accepted; as many producers of the developer are all accepted. Without " ..
    "a refusal within the attempts the limit is above them (INFORMATIONAL).",
  reference = "docs/protocols/wearable.md §4.7 (consumer session limit: 4002, the newest is closed, a closed " ..
    "consumer frees its place, producers have no limit)",
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
    t:check(not l.ready, l.name .. " got no READY before its 4002", l.ready_msg)
    t:check(first_closed > 1, "the server allows at least one consumer", first_closed)
    S.require(t, first_closed > 1, "no consumer was accepted")
    t:ok(string.format("consumer limit found: %d", first_closed - 1))
    -- A consumer that closes frees its place: close the oldest, then one more must be accepted.
    links[1].conn:close(1000, "freeing a place")
    links[1].conn:wait_close(S.response_ms)
    local _, ready, why = S.consumer(t, dev, "consumer after one closed", { may_fail = true })
    t:check(ready ~= nil, "after the oldest consumer closed, a new one gets READY", why)
    for i = 2, first_closed - 1 do
      t:check(links[i].conn:is_open(), links[i].name .. " (older) is still open", links[i].conn:close_code())
    end
    -- Producers have no such limit: as many producers of the developer as consumers were tried.
    local user = S.user(t, dev, "p")
    for i = 1, first_closed do
      local token = S.need(t, tokens.producer(dev, user))
      local p = S.connect(t, "producer " .. i)
      local ready, why = p:identify(token, proto.producer)
      t:check(ready ~= nil, string.format("producer %d of the developer gets READY (no producer limit)", i), why)
    end
  end,
}

close_case {
  id = "6.6", group = "close", title = "4003 for a second IDENTIFY",
  description = "IDENTIFY as a producer, get READY, then IDENTIFY again with another fresh token.",
  expectation = "Close 4003, no second READY.",
  reference = "docs/protocols/wearable.md §4.3 (a second IDENTIFY: 4003), §4.5 (READY only for an accepted IDENTIFY)",
  run = function(t)
    local dev = S.developer(t)
    local l = S.producer(t, dev, "p", "producer")
    l:send(proto.identify(S.need(t, tokens.producer(dev, l.user)), proto.producer))
    l:expect_close(4003, nil, nil, { readies = 1 })
  end,
}

close_case {
  id = "6.7", group = "close", title = "4004 for SUBMIT from a consumer",
  description = "A consumer, after READY, sends a well-formed SUBMIT.",
  expectation = "Close 4004 (SUBMIT is for producers), nothing else in answer (no DISPATCH of it).",
  reference = "docs/protocols/wearable.md §6.1 (SUBMIT from a consumer: 4004)",
  run = function(t)
    local l = S.consumer(t, S.developer(t), "consumer")
    local at = l:send_raw(json.encode(proto.submit("HEART_RATE", { val = 70 })))
    l:expect_close(4004, nil, nil, { sent_at = at, quiet = true })
  end,
}

close_case {
  id = "6.8", group = "close", title = "4004 for REPLAY from a producer",
  description = "A producer, after READY, sends a well-formed REPLAY.",
  expectation = "Close 4004 (REPLAY is for consumers), nothing else in answer (no DISPATCH).",
  reference = "docs/protocols/wearable.md §6.2 (REPLAY from a producer: 4004)",
  run = function(t)
    local l = S.producer(t, S.developer(t), "p", "producer")
    local at = l:send_raw(json.encode(proto.replay(0)))
    l:expect_close(4004, nil, nil, { sent_at = at, quiet = true })
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
  expectation = "Each connection is closed 4004, with nothing but HEARTBEAT_ACK before the close.",
  reference = "docs/protocols/wearable.md §6.3 (a server opcode from a client: 4004)",
  run = function(t)
    producers_send(t, server_frames, 4004)
  end,
}

close_case {
  id = "6.10", group = "close", title = "4004 for an unknown opcode",
  description = "Three producers, after READY, send {\"op\":42}, {\"op\":8} and {\"op\":2.5}.",
  expectation = "Each is closed 4004, with nothing but HEARTBEAT_ACK before the close.",
  reference = "docs/protocols/wearable.md §6.4 (an unknown opcode: 4004)",
  run = function(t)
    producers_send(t, { '{"op":42}', '{"op":8}', '{"op":2.5}' }, 4004)
  end,
}

close_case {
  id = "6.11", group = "close", title = "1007 for text that is not JSON",
  description = "A producer, after READY, sends the text frame `this is not json {`.",
  expectation = "Close 1007 and no other answer; 1003 is a known variant (NON-STRICT).",
  reference = "docs/protocols/wearable.md §7.1 (text that is not JSON: 1007), §7.3 (variant 1003)",
  run = function(t)
    producers_send(t, { "this is not json {" }, 1007, json_variant)
  end,
}

close_case {
  id = "6.12", group = "close", title = "1007 for JSON without a numeric op",
  description = "Three producers, after READY, send {\"op\":\"0\"}, {\"d\":{}} and [0].",
  expectation = "Each is closed 1007 and gets no other answer; 1003 is a known variant (NON-STRICT).",
  reference = "docs/protocols/wearable.md §7.2 (JSON without a numeric op: 1007), §7.3 (variant 1003)",
  run = function(t)
    producers_send(t, { '{"op":"0"}', '{"d":{}}', '[0]' }, 1007, json_variant)
  end,
}

-- The user's command: env_command where the Lua sandbox provides it, os.execute before that.
local function run_shutdown_cmd(t)
  t:note("running SHUTDOWN_CMD: " .. env.SHUTDOWN_CMD)
  if env_command then
    local _, status = env_command("SHUTDOWN_CMD")
    if status ~= 0 then t:note("SHUTDOWN_CMD ended with " .. tostring(status)) end
  else
    local ok, how, status = os.execute(env.SHUTDOWN_CMD)
    if not ok then t:note(string.format("SHUTDOWN_CMD ended %s %s", tostring(how), tostring(status))) end
  end
end

close_case {
  id = "6.13", group = "close", title = "1001 when the server shuts down",
  description = "Needs SHUTDOWN_CMD, a shell command that stops the server under test (e.g. `kill PID`): a " ..
    "client cannot make a server shut down. The case waits until every other case of its worker has finished " ..
    "(all of them with the default --workers 1), then opens an identified consumer, an identified producer and " ..
    "a connection that has not identified, and runs the command.",
  expectation = "With SHUTDOWN_CMD: all three connections are closed 1001 (a drop without a close frame is " ..
    "FAILED). Without it: INFORMATIONAL, not tested.",
  reference = "docs/protocols/wearable.md §4.8 (shutdown: 1001 to every open connection)",
  run = function(t)
    if not env.SHUTDOWN_CMD or env.SHUTDOWN_CMD == "" then
      t:info("not provoked: a client cannot shut the server down; give SHUTDOWN_CMD")
      return
    end
    local dev = S.developer(t)
    local c = S.consumer(t, dev, "consumer")
    local p = S.producer(t, dev, "p", "producer")
    -- Every case of the worker has started by now (they all start at once); c and p keep
    -- beating while the others finish.
    repeat c:pump(20) until S.running <= 1 or not c.conn:is_open()
    local u = S.connect(t, "not identified") -- now, so that the identify timeout cannot close it first
    run_shutdown_cmd(t)
    for _, l in ipairs({ c, p, u }) do l:expect_close(1001, S.response_ms + 2000) end
  end,
}

return cases
