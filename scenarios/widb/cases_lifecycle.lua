-- 1.x Phone lifecycle (docs/protocols/widb.md §3, §4.1): the server never replies to a phone,
-- handles messages before startSession without a drop, keeps the socket after endSession,
-- answers pings, and takes dumps and metrics in any order.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "1.1", group = "lifecycle", title = "The server sends nothing to a phone",
  description = "A phone sends startSession, a two-line logDump, deviceMetrics and endSession, then listens " ..
    "for a while.",
  expectation = "No frame at all reaches the phone: no acknowledgement, no heartbeat, no error message. " ..
    "(A close is not judged here; case 1.3 judges the socket after endSession.)",
  reference = S.doc .. "§3.4",
  run = function(t)
    local phone = S.phone(t, S.nonce(t, "key"), "Android")
    local nonce = S.nonce(t)
    local texts = S.texts(nonce, 2, "hello")
    S.dump(t, phone, { proto.threadtime_line(texts[1], 1), proto.threadtime_line(texts[2], 2) }, "Android")
    t:send(phone, S.metrics(t, "Android", 1))
    t:send(phone, proto.end_session())
    local got = {}
    local deadline = now() + S.settle_ms * 3
    while now() < deadline do
      local msg, err = t:recv(phone, math.max(1, deadline - now()))
      if msg == nil then
        if err ~= "timeout" then t:note("phone connection ended: " .. tostring(err)) end
        break
      end
      got[#got + 1] = phone:last_raw()
    end
    t:check(#got == 0, "the phone received no frame in " .. math.floor(S.settle_ms * 3) .. " ms",
      #got > 0 and (#got .. " frame(s), the first: " .. got[1]) or nil)
  end,
}

cases[#cases + 1] = {
  id = "1.2", group = "lifecycle", title = "A message before startSession does not drop the connection",
  description = "A phone's first message is a logDump (no startSession yet). If the server ignores it, the " ..
    "phone then sends startSession and another logDump.",
  expectation = "The server closes with 1003 or 1007, or ignores the dump and accepts the session that " ..
    "follows (the connection stays open, pings are answered). A drop without a close frame is FAILED.",
  reference = S.doc .. "§4.1, §3.1",
  run = function(t)
    local phone = t:connect({ timeout = S.response_ms + 2000 })
    local nonce = S.nonce(t)
    local texts = S.texts(nonce, 2, "too early")
    S.dump(t, phone, { proto.threadtime_line(texts[1], 1) }, "Android")
    if S.judge_bad_input(t, phone, "logDump before startSession", { ping = false }) ~= "open" then return end
    t:send(phone, proto.start_session(S.nonce(t, "key"), "Android"))
    S.dump(t, phone, { proto.threadtime_line(texts[2], 2) }, "Android")
    S.expect_open(t, phone, "startSession and logDump after the early dump")
  end,
}

cases[#cases + 1] = {
  id = "1.3", group = "lifecycle", title = "The socket stays open after endSession",
  description = "A phone sends startSession, a logDump and endSession, waits, pings, then closes with 1000 " ..
    "itself.",
  expectation = "The server does not close the connection after endSession; it answers the ping and " ..
    "completes the phone's closing handshake.",
  reference = S.doc .. "§3.5, §3.3",
  run = function(t)
    local phone = S.phone(t, S.nonce(t, "key"), "Android")
    S.dump(t, phone, { proto.threadtime_line(S.nonce(t) .. " last words", 1) }, "Android")
    t:send(phone, proto.end_session())
    local wait = math.max(S.settle_ms * 3, 1000)
    local code, reason = t:wait_close(phone, wait)
    if code then
      return t:fail(string.format("the server closed %d ms after endSession or sooner (%s %s)", math.floor(wait),
        tostring(code), reason or ""))
    end
    t:ok("still open " .. math.floor(wait) .. " ms after endSession")
    S.expect_open(t, phone, "after endSession")
    if phone:is_open() then
      t:check(phone:close(1000, "phone done", S.response_ms) == true,
        "the server completes the phone's closing handshake", phone:close_code())
    end
  end,
}

cases[#cases + 1] = {
  id = "1.4", group = "lifecycle", title = "Pings are answered",
  description = "A connection pings before it sends anything, and again after startSession and a logDump.",
  expectation = "Each ping gets its pong within the response timeout (3 s).",
  reference = S.doc .. "§3.6",
  run = function(t)
    local phone = t:connect({ timeout = S.response_ms + 2000 })
    local rtt, err = phone:ping(S.response_ms)
    t:check(rtt ~= nil, "ping before startSession answered", err)
    if rtt then t:measure("widb_ping", rtt, "before startSession") end
    t:send(phone, proto.start_session(S.nonce(t, "key"), "iOS"))
    S.dump(t, phone, { proto.ios_line(S.nonce(t) .. " ping me", 1) })
    rtt, err = phone:ping(S.response_ms)
    t:check(rtt ~= nil, "ping during the session answered", err)
    if rtt then t:measure("widb_ping", rtt, "during the session") end
  end,
}

cases[#cases + 1] = {
  id = "1.5", group = "lifecycle", title = "Dumps and metrics in any order after startSession",
  description = "A phone sends startSession, then logDump, deviceMetrics, logDump, deviceMetrics, logDump " ..
    "(one line each) back to back; a dashboard of its apiKey watches.",
  expectation = "The dashboard receives the three dumps' lines in order and both deviceMetrics.",
  reference = S.doc .. "§3.2, §7.2, §7.5",
  run = function(t)
    local key = S.nonce(t, "key")
    local dash = S.dashboard(t, key)
    local phone = S.phone(t, key, "Android")
    local nonce = S.nonce(t)
    local texts = S.texts(nonce, 3, "interleaved")
    local stamps = {}
    for k = 1, 3 do
      S.dump(t, phone, { proto.threadtime_line(texts[k], k) }, "Android")
      if k < 3 then
        local m = S.metrics(t, "Android", k)
        stamps[m.timeStamp] = true
        t:send(phone, m)
      end
    end
    local st = S.collect(t, dash, nonce, stamps, S.response_ms, function(st)
      return #st.metrics == 2 and proto.find_in_order(proto.haystack(st.log_data), texts) == 3
    end)
    local found, problems = proto.find_in_order(proto.haystack(st.log_data), texts)
    t:check(found == 3, "the three dumps' lines arrived in order", #problems > 0 and table.concat(problems, "; ") or found)
    t:check(#st.metrics == 2, "both deviceMetrics arrived", #st.metrics .. " of 2")
  end,
}

return cases
