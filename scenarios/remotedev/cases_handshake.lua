-- 1.x The handshake (docs/protocols/remotedev.md §2): first, answered with the socket's id and
-- pingTimeout; 4005 without one, 4009 for anything else first.
local S = require("support")

local cases = {}

-- Judges a handshake answer of peer p (sent with cid) against §2.2; returns the socket id.
local function judge_answer(t, p, cid, answer, expected_timeout)
  local name = p.name
  if answer.error ~= nil then
    t:fail(name .. ": the handshake was answered with an error: " .. S.describe(answer.error))
    return nil
  end
  t:check(answer.rid == cid, string.format("%s: the answer's rid is the handshake's cid %d", name, cid), answer.rid)
  local d = answer.data
  if type(d) ~= "table" then
    t:fail(name .. ": the answer has no data object: " .. S.describe(answer))
    return nil
  end
  t:check(type(d.id) == "string" and d.id ~= "", name .. ": data.id is a non-empty string", d.id)
  t:check(d.isAuthenticated == false, name .. ": data.isAuthenticated is false (authToken was null)", d.isAuthenticated)
  local pt = d.pingTimeout
  local integral = type(pt) == "number" and pt == math.floor(pt) and pt > 0
  if not integral then
    t:fail(name .. ": data.pingTimeout is not a positive integer (observed: " .. S.describe(pt) .. ")")
  elseif expected_timeout then
    t:check(pt == expected_timeout, string.format("%s: data.pingTimeout is %d ms", name, expected_timeout), pt)
  end
  return type(d.id) == "string" and d.id or nil
end

cases[#cases + 1] = {
  id = "1.1", group = "handshake", title = "The handshake is answered: rid, socket id, pingTimeout, isAuthenticated",
  description = "Two sockets connect and send {\"event\":\"#handshake\",\"data\":{\"authToken\":null},\"cid\":C}, " ..
    "the first with cid 1, the second with cid 7. The answers are timed (trend remotedev_handshake). With " ..
    "--protocol auto the case waits for the first socket's first ping to learn the version.",
  expectation = "Within RESPONSE_TIMEOUT_MS each socket gets {rid: its cid, data: {id: a non-empty string, " ..
    "pingTimeout: 20000 (v1) or 30000 (v2) (PING_TIMEOUT_MS when given), isAuthenticated: false}}, no error; " ..
    "the two ids differ.",
  reference = "docs/protocols/remotedev.md §2.1, §2.2",
  run = function(t)
    local ids = {}
    local expected
    for i, cid in ipairs({ 1, 7 }) do
      local p = S.peer(t, "socket " .. i, { handshake = false })
      p.cid = cid - 1  -- the next request takes this cid
      local sent = now()
      local answer, why = p:call("#handshake", { authToken = json.null }, S.response_ms)
      if not answer then
        local stray = p.last_stray and (", an answer with another rid came: " .. S.describe(p.last_stray)) or ""
        t:fail(string.format("%s: no answer with rid %d within %s (%s%s)", p.name, cid, S.ms(S.response_ms), why, stray))
      else
        t:measure("remotedev_handshake", (p.conn:last_recv_time() or now()) - sent, p.name)
        if i == 1 then
          local version = S.version_of(p)
          if version then
            expected = S.expected_ping_timeout(version)
            if S.version == "auto" then t:info("the server speaks " .. version .. " (from its first ping)") end
          else
            t:info("pingTimeout's value not judged: no ping within a ping interval showed the version " ..
              "(cases 2.1 and 2.2 judge pings)")
          end
        end
        ids[i] = judge_answer(t, p, cid, answer, expected)
      end
    end
    if ids[1] and ids[2] then
      t:check(ids[1] ~= ids[2], "the two sockets got different ids", ids[1] .. " twice")
    end
  end,
}

cases[#cases + 1] = {
  id = "1.2", group = "handshake", title = "No handshake within the timeout: close 4005; a late handshake is still answered",
  description = "Two sockets connect. The first sends nothing at all (it does not answer pings either, a pong " ..
    "would be a first packet). The second waits half of HANDSHAKE_TIMEOUT_MS (H, 10 s) without answering pings, " ..
    "then sends its handshake, then answers pings. The first socket's close is timed from its upgrade " ..
    "(trend remotedev_handshake_timeout).",
  expectation = "The first socket is closed with 4005 at H +- (0.2 x H + TIMING_SLACK_MS) (a #disconnect packet " ..
    "before the close is allowed); the second gets its handshake answered within RESPONSE_TIMEOUT_MS and is still " ..
    "open after H + tolerance. Before its close the first socket receives nothing but pings (and that packet).",
  reference = "docs/protocols/remotedev.md §2.3, §5.2, §9, §10",
  run = function(t)
    local H = S.handshake_timeout_ms
    local tol = S.tolerance(H)
    local silent = S.peer(t, "silent socket", { handshake = false, answer_pings = false })
    local late = S.peer(t, "late socket", { handshake = false, answer_pings = false })
    late:pump(math.max(0, late.opened_at + H * 0.5 - now()))
    local answer, why = late:handshake(S.response_ms)
    if answer and late.id then
      t:ok(string.format("late socket: the handshake sent %s after the upgrade was answered", S.ms(H * 0.5)))
    else
      t:fail(string.format("late socket: the handshake sent %s after the upgrade got no usable answer (%s)",
        S.ms(H * 0.5), S.describe(why or answer)))
    end
    late.answer_pings = true
    local deadline = silent.opened_at + H + tol + S.settle_ms
    S.pump_until({ silent, late }, deadline, function() return silent.closed end)
    if silent.closed then silent:wait_closed(1000) end
    S.judge_timed_close(t, "silent socket", 4005, silent.close_code, silent.closed_at, silent.opened_at, H)
    if silent.closed_at then metrics.trend("remotedev_handshake_timeout", silent.closed_at - silent.opened_at) end
    if silent.deliveries > 0 then
      t:fail(string.format("silent socket: before its close the server sent %d #publish deliveries (it subscribed " ..
        "to nothing)", silent.deliveries))
    end
    for _, e in ipairs(S.drain_events(silent)) do
      if type(e) == "table" and e.event == "#disconnect" then
        t:info("silent socket: a #disconnect packet came before the close: " .. S.describe(e) ..
          " (allowed: the v1 server sends one, the v2 server does not)")
      else
        t:fail("silent socket: before its close the server sent " .. S.describe(e) .. " (only pings and a " ..
          "#disconnect packet may come)")
      end
    end
    if answer then
      local until_at = late.opened_at + H + tol + S.settle_ms
      S.pump_until({ late }, until_at)
      t:check(late:is_open(), string.format("late socket: still open %s after the upgrade", S.ms(until_at - late.opened_at)),
        string.format("closed with %s %s", tostring(late.close_code), tostring(late.close_reason or "")))
    end
  end,
}

-- Sends `first` as the socket's first frame; judges the 4009 close and that nothing answered it.
local function judge_first_packet(t, p, what, send)
  local sent = now()
  local cid = send(p)
  local code = p:wait_closed(S.response_ms)
  if not code then
    t:fail(string.format("%s first: no close within %s, expected 4009", what, S.ms(S.response_ms)))
  elseif code ~= 4009 then
    t:fail(string.format("%s first: closed with %s %s, expected 4009", what, tostring(code), tostring(p.close_reason or "")))
  else
    t:ok(string.format("%s first: closed 4009 after %s", what, S.ms((p.closed_at or now()) - sent)))
  end
  local answered = (cid and p:answered(cid)) or p.last_stray
  if answered then t:fail(what .. " first: the server answered it: " .. S.describe(answered)) end
end

cases[#cases + 1] = {
  id = "1.3", group = "handshake", title = "An event or non-JSON text before the handshake: close 4009",
  description = "Three sockets connect; the first frame of each is, in turn: {\"event\":\"login\",\"data\":" ..
    "\"master\",\"cid\":1}, {\"event\":\"#subscribe\",\"data\":{\"channel\":\"log\"},\"cid\":1}, the text `hello`.",
  expectation = "Each socket is closed with 4009 within RESPONSE_TIMEOUT_MS, without an answer to what it sent.",
  reference = "docs/protocols/remotedev.md §2.4, §9",
  run = function(t)
    local firsts = {
      { "a login", function(p) return p:request("login", "master") end },
      { "a #subscribe", function(p) return p:request("#subscribe", { channel = "log" }) end },
      { "non-JSON text", function(p) p:send_raw("hello") end },
    }
    for i, f in ipairs(firsts) do
      local p = S.peer(t, "socket " .. i, { handshake = false, answer_pings = false })
      judge_first_packet(t, p, f[1], f[2])
    end
  end,
}

cases[#cases + 1] = {
  id = "1.4", group = "handshake", title = "A pong before the handshake: close 4009",
  description = "A socket connects and, before any handshake, sends the pong of the version (v1 `#2`, v2 an empty " ..
    "text frame). With --protocol auto it first waits for the server's first ping (at most " ..
    "min(ping interval + tolerance, 0.9 x HANDSHAKE_TIMEOUT_MS)) and answers it in kind.",
  expectation = "The socket is closed with 4009 within RESPONSE_TIMEOUT_MS.",
  reference = "docs/protocols/remotedev.md §2.4, §3.3, §9",
  run = function(t)
    local p = S.peer(t, "socket", { handshake = false, answer_pings = false })
    local version = p.version
    if not version then
      local wait = math.min(S.ping_interval_ms + S.tolerance(S.ping_interval_ms), S.handshake_timeout_ms * 0.9)
      version = p:wait_version(wait)
      S.require(t, version, string.format("no ping within %s told the version (cases 2.1 and 2.2 judge pings)",
        S.ms(wait)))
    end
    judge_first_packet(t, p, "a " .. version .. " pong", function(q) q:pong(version) end)
  end,
}

return cases
