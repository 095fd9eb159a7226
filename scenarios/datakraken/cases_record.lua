-- 4.x What the server recorded (docs/protocols/datakraken.md §7, §3.7, §3.8), read from the
-- optional verification endpoint GET /api/session/{id}. A server without it (404 for every id)
-- gets INFORMATIONAL "not judged" here, never FAILED.
local S = require("support")
local proto = S.proto

local cases = {}

-- 4.1 pauses before `end`: a server that stops the clock at the last event is then outside the
-- §9 tolerance. 4.2's session stays short: it judges the record of a session without end, and
-- a session that outlived its ticket's ttl is 2.5's business.
local pause_ms = 1000

local function not_judged(t, res)
  t:info(string.format("not judged: GET /api/session/{id} answered HTTP %d: the server has no verification " ..
    "endpoint (it is optional)", res.status))
end

cases[#cases + 1] = {
  id = "4.1", group = "record", title = "Nothing lost: the record of a session with end",
  description = "A browser sends start, 5 clicks and 100 mouse moves at 60 Hz (about 1.7 s), waits 1 s, sends end " ..
    "and closes with 1000; then reads GET /api/session/{id} (polling up to RESPONSE_TIMEOUT_MS for the record " ..
    "to be final).",
  expectation = "The record counts exactly 5 events of type 0 and 100 of type 1 (types the listeners do not allow " ..
    "are not sent), ended_cleanly is true, and duration_ms lies between the browser's start-to-end and " ..
    "connect-to-closed times, widened by max(250 ms, 10 %). No endpoint (404): INFORMATIONAL.",
  reference = S.doc .. "§7.1, §7.2, §7.3, §7.4, §3.8, §9",
  run = function(t)
    local s = S.session(t, { os = "Windows", browser = "Firefox", referrer = "https://www.example.org/" })
    local allowed = proto.allowed_types(s.answer)
    S.require(t, allowed[0] or allowed[1], "the listeners allow neither clicks nor mouse moves")
    local counts = S.send_events(t, s, allowed[0] and 5 or 0, allowed[1] and 100 or 0)
    sleep(pause_ms)
    S.close_session(t, s, true)
    local kind, r = S.poll_record(t, s.answer.session, function(rec) return S.record_matches(rec, counts, true) end)
    if kind == "absent" then return not_judged(t, r) end
    if kind == "broken" then return t:fail(r) end
    S.judge_record(t, "a session with end", r, s, counts, true)
  end,
}

cases[#cases + 1] = {
  id = "4.2", group = "record", title = "A session closed without end is still recorded",
  description = "A browser runs a short session with end (the control); another sends start, 3 clicks and 30 " ..
    "mouse moves at 60 Hz, waits 0.2 s and closes with 1001 (a tab closing) without end. Both records are read.",
  expectation = "The session without end is recorded: 3 and 30 events, ended_cleanly false, duration_ms within " ..
    "the §9 tolerance. Both records absent (404): INFORMATIONAL; the control recorded but not the session " ..
    "without end: FAILED.",
  reference = S.doc .. "§3.7, §7.3, §7.2, §3.8",
  run = function(t)
    local control = S.session(t)
    local allowed = proto.allowed_types(control.answer)
    S.require(t, allowed[0] or allowed[1], "the listeners allow neither clicks nor mouse moves")
    local control_counts = S.send_events(t, control, allowed[0] and 1 or 0, allowed[1] and 1 or 0)
    S.close_session(t, control, true)

    local s = S.session(t)
    local counts = S.send_events(t, s, allowed[0] and 3 or 0, allowed[1] and 30 or 0)
    sleep(200)
    S.close_session(t, s, false)
    local kind, r = S.poll_record(t, s.answer.session, function(rec) return S.record_matches(rec, counts, false) end)
    if kind == "broken" then return t:fail(r) end
    if kind == "absent" then
      local control_kind, control_r = S.poll_record(t, control.answer.session,
        function(rec) return S.record_matches(rec, control_counts, true) end)
      if control_kind == "absent" then return not_judged(t, control_r) end
      return t:fail(string.format("the session closed without end has no record (HTTP %d) while the session " ..
        "with end has one (%s)", r.status, control_kind == "record" and "HTTP 200" or tostring(control_r)))
    end
    S.judge_record(t, "a session closed without end (1001)", r, s, counts, false)
  end,
}

cases[#cases + 1] = {
  id = "4.3", group = "record", title = "An unknown session id answers 404",
  description = "GET /api/session/{id} for an id no ticket answer ever gave.",
  expectation = "HTTP 404 (also what a server without the endpoint answers). A record for it is FAILED.",
  reference = S.doc .. "§7.1",
  run = function(t)
    local id = string.format("drover-never-issued-%08d", math.random(0, 99999999))
    local res, why = S.get_record(t, id)
    if not res then return t:fail("GET /api/session/{id} failed: " .. why) end
    t:log("received", string.format("GET /api/session/%s: HTTP %d %s", id, res.status, (res.body or ""):sub(1, 200)))
    if res.status == 404 then return t:ok("an id never issued answers 404") end
    if S.no_endpoint(res) then
      return t:info(string.format("HTTP %d: taken as a server without the verification endpoint", res.status))
    end
    t:fail(string.format("an id never issued answered HTTP %d, not 404", res.status))
  end,
}

return cases
