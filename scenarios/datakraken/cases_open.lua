-- 2.x Opening the socket with a ticket (docs/protocols/datakraken.md §4): single use, missing
-- and unknown tickets, the ttl on both sides, and a session that outlives its ttl. A refusal is
-- HTTP 401 on the upgrade (OK) or an accepted socket closed 4001 (NON-STRICT, §4.6).
local S = require("support")
local proto = S.proto

local cases = {}

-- Sleeps until the run clock reaches at (ms); false when the run is being stopped.
local function sleep_until(at)
  local left = at - now()
  if left <= 0 then return true end
  return sleep(left)
end

cases[#cases + 1] = {
  id = "2.1", group = "open", title = "A ticket is single use",
  description = "A ticket opens a socket and sends start; the same ticket is used again while that socket is " ..
    "open, and once more after it closed (end, 1000).",
  expectation = "Both reuses are refused: HTTP 401 on the upgrade (accepted, then closed 4001: NON-STRICT). A " ..
    "reuse that stays open or is closed otherwise is FAILED.",
  reference = S.doc .. "§4.2, §4.6",
  run = function(t)
    local answer = S.ticket(t)
    local first = S.open_fresh(t, answer)
    t:send(first, proto.start("Linux", "drover", ""))
    S.judge_refused(t, "the ticket again while its socket is open", S.open(t, answer))
    t:send(first, proto.finish())
    first:close(1000, "page closed", S.response_ms)
    t:note("the first socket closed")
    S.judge_refused(t, "the ticket again after its socket closed", S.open(t, answer))
  end,
}

cases[#cases + 1] = {
  id = "2.2", group = "open", title = "A missing or empty ticket is refused",
  description = "The socket path of a ticket answer is opened without a ticket parameter, and with ticket= " ..
    "(empty).",
  expectation = "Each is refused with HTTP 401 (accepted, then closed 4001: NON-STRICT).",
  reference = S.doc .. "§4.5, §4.6",
  run = function(t)
    local answer = S.ticket(t)
    S.judge_refused(t, "no ticket parameter", S.open(t, answer, false))
    S.judge_refused(t, "an empty ticket", S.open(t, answer, ""))
  end,
}

cases[#cases + 1] = {
  id = "2.3", group = "open", title = "An unknown ticket is refused",
  description = "The socket path is opened with a ticket the server never issued, and with a fresh ticket " ..
    "whose last character is changed.",
  expectation = "Each is refused with HTTP 401 (accepted, then closed 4001: NON-STRICT).",
  reference = S.doc .. "§4.5, §4.6",
  run = function(t)
    local answer = S.ticket(t)
    S.judge_refused(t, "a ticket never issued",
      S.open(t, answer, string.format("drover-unknown-%08d", math.random(0, 99999999))))
    local last = answer.ticket:sub(-1)
    local altered = answer.ticket:sub(1, -2) .. (last == "a" and "b" or "a")
    S.judge_refused(t, "the fresh ticket with its last character changed", S.open(t, answer, altered))
  end,
}

cases[#cases + 1] = {
  id = "2.4", group = "open", title = "A ticket opens a socket only within its ttl",
  description = "Two tickets are fetched. The first opens a socket ttl - tol after its request was sent; the " ..
    "second is used ttl + tol after its answer arrived (tol = max(10 % of ttl, 500 ms), env TTL_TOLERANCE_MS).",
  expectation = "The first opens (and stays open); the second is refused with HTTP 401 (accepted, then closed " ..
    "4001: NON-STRICT). With the default ttl of 15 s the case takes about 17 s.",
  reference = S.doc .. "§4.3, §4.6, §9",
  run = function(t)
    local a = S.ticket(t)
    local b = S.ticket(t)
    local ttl_ms = S.ttl_ms(t, a)
    local tol = S.ttl_tolerance_ms(a.ttl)
    t:note(string.format("ttl %d s, tolerance %s", a.ttl, S.ms(tol)))

    if not sleep_until(a.sent_at + ttl_ms - tol) then return t:info("not judged: the run was stopped") end
    local started = now()
    local conn, err, message, info = S.open(t, a)
    local what = string.format("a ticket used %s after its request was sent (ttl %d s - %s)", S.ms(started - a.sent_at),
      a.ttl, S.ms(tol))
    if not conn then
      t:fail(string.format("%s was refused: %s%s: it expired early", what, tostring(message or err),
        info and info.status and info.status > 0 and (" (HTTP " .. info.status .. ")") or ""))
    else
      -- A pong proves the server had not closed the socket when it answered (frames come in
      -- order); the socket is closed right after, as it is this close to its ticket's ttl.
      t:send(conn, proto.start("Linux", "drover", ""))
      local rtt = conn:ping(S.response_ms)
      if rtt then
        t:ok(what .. " opened a socket")
      else
        t:fail(string.format("%s was accepted, then closed %s %s: it expired early", what,
          tostring(conn:close_code()), tostring(conn:close_reason() or "")))
      end
      if conn:is_open() then
        t:send(conn, proto.finish())
        conn:close(1000, "page closed", S.response_ms)
      end
    end

    local late = S.ttl_ms(t, b) + S.ttl_tolerance_ms(b.ttl)
    if not sleep_until(b.got_at + late) then return t:info("not judged: the run was stopped") end
    S.judge_refused(t, string.format("a ticket used %s after its answer arrived (ttl %d s + %s)",
      S.ms(now() - b.got_at), b.ttl, S.ms(S.ttl_tolerance_ms(b.ttl))), S.open(t, b))
  end,
}

cases[#cases + 1] = {
  id = "2.5", group = "open", title = "A session outlives its ticket's ttl",
  description = "A ticket opens a socket at once; the browser sends start and a click, waits until ttl + tol " ..
    "after the ticket's answer, checks the socket, sends a click and a mouse move, and checks it again.",
  expectation = "The socket stays open through the ttl: no close, pings answered, events after the ttl accepted.",
  reference = S.doc .. "§4.4, §9",
  run = function(t)
    local s = S.session(t)
    local allowed = proto.allowed_types(s.answer)
    if allowed[0] then t:send(s.conn, proto.click(10, 20, "#before-ttl")) end
    local hold = S.ttl_ms(t, s.answer) + S.ttl_tolerance_ms(s.answer.ttl)
    -- Watched while waiting: a close at the ttl shows when it happened.
    local code, reason = t:wait_close(s.conn, math.max(1, s.answer.got_at + hold - now()))
    if code then
      return t:fail(string.format("the server closed the session %s after the ticket's answer (%s %s), before ttl " ..
        "+ tolerance (%s)", S.ms(now() - s.answer.got_at), tostring(code), reason or "", S.ms(hold)))
    end
    if not S.expect_open(t, s.conn, string.format("%s after the ticket's answer", S.ms(now() - s.answer.got_at))) then
      return
    end
    if allowed[0] then t:send(s.conn, proto.click(11, 21, "#after-ttl")) end
    if allowed[1] then t:send(s.conn, proto.move(12, 22, 40)) end
    S.expect_open(t, s.conn, "events sent after the ttl")
    S.close_session(t, s, true)
  end,
}

return cases
