-- 3.x The session on the socket (docs/protocols/datakraken.md §5, §6): start first (4003),
-- listener gating (4004), bad JSON (1007), the documented events taken, and a server that
-- sends nothing but pings.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "3.1", group = "socket", title = "An event before start closes 4003",
  description = "A fresh ticket opens a socket whose first message is a click (a mouse move when the listeners " ..
    "do not allow clicks).",
  expectation = "The server closes the socket with 4003 within the response timeout (3 s).",
  reference = S.doc .. "§6.1, §3.4",
  run = function(t)
    local answer = S.ticket(t)
    local conn = S.open_fresh(t, answer)
    local allowed = proto.allowed_types(answer)
    t:send(conn, allowed[0] == nil and allowed[1] and proto.move(5, 5, 100) or proto.click(5, 5, "#too-early"))
    t:expect_close(conn, 4003, S.response_ms)
  end,
}

cases[#cases + 1] = {
  id = "3.2", group = "socket", title = "An event of a type the listeners do not allow closes 4004",
  description = "After start, the browser sends an event of a type no listener of its session allows: a mouse " ..
    "move when 'mousemove' is not listed, else a click when 'click' is not listed, else type 2 (no listener " ..
    "names it).",
  expectation = "The server closes the socket with 4004 within the response timeout (3 s).",
  reference = S.doc .. "§5.2, §5.1",
  run = function(t)
    local s = S.session(t)
    local allowed = proto.allowed_types(s.answer)
    local event, what
    if not allowed[1] then
      event, what = proto.move(7, 7, 100), "a mouse move (type 1; 'mousemove' is not listed)"
    elseif not allowed[0] then
      event, what = proto.click(7, 7, "#unlisted"), "a click (type 0; 'click' is not listed)"
    else
      event, what = proto.event_of_type(2, 7, 7), "type 2 (listeners " .. table.concat(s.answer.listeners, ", ") .. ")"
    end
    t:note("sending " .. what)
    -- Unvalidated: type 2 is no message of the protocol's schemas, on purpose.
    t:send_raw(s.conn, json.encode(event))
    t:expect_close(s.conn, 4004, S.response_ms)
  end,
}

cases[#cases + 1] = {
  id = "3.3", group = "socket", title = "Bad JSON closes 1007",
  description = "After start, the browser sends the text frame '{not json'.",
  expectation = "The server closes the socket with 1007 within the response timeout (3 s).",
  reference = S.doc .. "§6.2",
  run = function(t)
    local s = S.session(t)
    t:send_raw(s.conn, "{not json")
    t:expect_close(s.conn, 1007, S.response_ms)
  end,
}

cases[#cases + 1] = {
  id = "3.4", group = "socket", title = "The documented events are taken",
  description = "After start, the browser sends each listed event type in its documented shape: clicks " ..
    "{X, Y, target}, then mouse moves {X, Y, ellapsed} (the misspelt key, with ellapsed 0 and 250), with epoch-ms " ..
    "timestamps; it checks the socket after each type.",
  expectation = "The socket stays open after each type (no close, pings answered).",
  reference = S.doc .. "§6.4, §5.3, §5.4, §5.5",
  run = function(t)
    local s = S.session(t)
    local allowed = proto.allowed_types(s.answer)
    S.require(t, allowed[0] or allowed[1], "the listeners allow neither clicks nor mouse moves")
    if allowed[0] then
      t:send(s.conn, proto.click(120, 48, "#signup-button"))
      t:send(s.conn, proto.click(0, 0, "nav.menu"))
      if not S.expect_open(t, s.conn, "after two clicks") then return end
    end
    if allowed[1] then
      t:send(s.conn, proto.move(121, 49, 0))
      t:send(s.conn, proto.move(130, 60, 250))
      if not S.expect_open(t, s.conn, "after two mouse moves") then return end
    end
    S.close_session(t, s, true)
  end,
}

cases[#cases + 1] = {
  id = "3.5", group = "socket", title = "The server sends nothing but pings",
  description = "A browser sends start, clicks and a burst of mouse moves, then listens for max(3 x SETTLE_MS, " ..
    "1 s) and pings.",
  expectation = "No text or binary frame arrives on the socket (server pings are allowed and counted); the " ..
    "browser's ping is answered.",
  reference = S.doc .. "§6.3",
  run = function(t)
    local s = S.session(t)
    local allowed = proto.allowed_types(s.answer)
    S.send_events(t, s, allowed[0] and 3 or 0, allowed[1] and 20 or 0)
    local got = {}
    local deadline = now() + math.max(S.settle_ms * 3, 1000)
    for _ = 1, 1000 do
      local left = deadline - now()
      if left <= 0 then break end
      local text, is_binary = s.conn:recv_raw(math.max(1, left))
      if text == nil then
        if is_binary ~= "timeout" then t:note("the socket ended: " .. tostring(is_binary)) end
        break
      end
      t:log("received", is_binary and ("binary frame, " .. #text .. " bytes") or text)
      got[#got + 1] = is_binary and "(binary)" or text
    end
    t:check(#got == 0, "no frame arrived from the server", #got > 0 and (#got .. " frame(s), the first: " .. got[1]) or nil)
    local pings = #s.conn:server_pings()
    if pings > 0 then t:info(string.format("the server pinged %d time(s)", pings)) end
    S.expect_open(t, s.conn, "after the events")
  end,
}

return cases
