-- What every DataKraken case needs (docs/protocols/datakraken.md): the endpoints derived from
-- the target, ticket answers, sockets opened with a ticket, the §4.6 judgement of a refused
-- opening, the §9 tolerances and reading the verification endpoint of §7.
--
-- Each case makes sessions of its own (every ticket answer is a new session, §4.7), so cases
-- running at the same time never judge each other's traffic.
local proto = require("datakraken.proto")
local describe = require("conform").describe

local S = { proto = proto }

local function env_ms(name, default)
  local v = tonumber(env[name])
  if v and v >= 0 then return v end
  return default
end

S.response_ms = env_ms("RESPONSE_TIMEOUT_MS", 3000) -- an HTTP answer, a close that is due, a final record
S.settle_ms = env_ms("SETTLE_MS", 300)              -- quiet time that shows nothing (more) comes
S.doc = "docs/protocols/datakraken.md "

function S.ms(v) return string.format("%.0f ms", v) end

-- The answer's ttl in ms for a case that waits on it; out of range (§4.1, case 1.1 judges it) the
-- case ends "not judged" rather than wait for hours.
function S.ttl_ms(t, answer)
  local problem = proto.ttl_problem(answer)
  S.require(t, problem == nil, tostring(problem))
  return answer.ttl * 1000
end

-- §9: the tolerance around the ttl, in ms (env TTL_TOLERANCE_MS replaces it).
function S.ttl_tolerance_ms(ttl_s)
  return env_ms("TTL_TOLERANCE_MS", math.max(ttl_s * 1000 * 0.1, 500))
end

-- §9: the tolerance around a session's duration, in ms, for a session the browser saw last outer_ms.
function S.duration_tolerance_ms(outer_ms) return math.max(250, outer_ms * 0.1) end

function S.endpoints(t)
  if not env.TARGET then
    t:unimplemented("not run: env.TARGET is not set (drover conform sets it from --target; drover run needs " ..
      "--target or --env TARGET=ws://HOST:PORT/ws)")
    t:stop()
  end
  local e, err = proto.endpoints(env.TARGET, env.API_BASE)
  if not e then t:abort(err) end
  return e
end

-- A precondition another case judges: stop here without a verdict of our own.
function S.require(t, cond, what)
  if not cond then
    t:info("not judged: " .. what .. " (another case judges that rule)")
    t:stop()
  end
  return cond
end

local function http_note(t, what, res, err, msg)
  if res then
    local body = res.body or ""
    if #body > 200 then body = body:sub(1, 200) .. "..." end
    t:log("received", string.format("%s: HTTP %d %s", what, res.status, body))
  else
    t:note(string.format("%s: %s %s", what, tostring(err), tostring(msg or "")))
  end
end

-- GET /api/session -> res, answer, sent_at, got_at | nil, why. Never judges.
function S.get_ticket(t)
  local e = S.endpoints(t)
  local url = proto.session_url(e)
  t:log("sent", "GET " .. url)
  local sent_at = now()
  local res, err, msg = http.get(url, { timeout = S.response_ms + 2000 })
  local got_at = now()
  http_note(t, "GET /api/session", res, err, msg)
  if not res then return nil, "GET /api/session failed: " .. tostring(msg or err) end
  return res, res.json, sent_at, got_at
end

-- A ticket answer this case can use, with sent_at/got_at (run clock) added. Without one the
-- case ends "not judged": case 1.1 judges the answer (a failed request is FAILED here).
function S.ticket(t)
  local res, answer, sent_at, got_at = S.get_ticket(t)
  if not res then t:abort(answer) end
  S.require(t, res.status == 200, string.format("GET /api/session answered HTTP %d", res.status))
  local problems = proto.answer_problems(answer)
  S.require(t, #problems == 0, "the ticket answer cannot be used: " .. table.concat(problems, "; "))
  answer.sent_at, answer.got_at = sent_at, got_at
  return answer
end

-- Opens the answer's socket with `ticket` (the answer's own unless given; false: no ticket
-- parameter at all). Returns conn | nil, err, message, info (a refusal is not judged here).
function S.open(t, answer, ticket)
  local e = S.endpoints(t)
  local opts = { timeout = S.response_ms + 2000, allow_failure = true }
  if ticket == nil then ticket = answer and answer.ticket end
  if ticket ~= false then opts.query = { ticket = ticket } end
  return t:connect(proto.socket_url(e, answer and answer.ws), opts)
end

-- Opens a fresh ticket's socket; a refusal ends the case "not judged" (case 1.1 judges it).
function S.open_fresh(t, answer)
  local conn, err, message, info = S.open(t, answer)
  S.require(t, conn ~= nil, string.format("a fresh ticket was refused: %s%s", tostring(message or err),
    info and info.status and info.status > 0 and (" (HTTP " .. info.status .. ")") or ""))
  return conn
end

-- A session ready for events: a ticket, an accepted socket, start sent.
-- Returns { conn, answer, connect_at, opened_at, start_at }. A refused ticket aborts.
function S.session(t, meta)
  local answer = S.ticket(t)
  local connect_at = now()
  local conn = S.open_fresh(t, answer)
  local s = { conn = conn, answer = answer, connect_at = connect_at, opened_at = now() }
  meta = meta or {}
  s.start_at = t:send(conn, proto.start(meta.os or "Linux", meta.browser or "drover", meta.referrer or ""))
  return s
end

-- §4.6: judges an opening that must be refused. conn | nil, err, message, info as S.open returns.
-- HTTP 401: OK; accepted then closed 4001: NON-STRICT; anything else: FAILED.
function S.judge_refused(t, what, conn, err, message, info)
  if not conn then
    local status = info and info.status or 0
    if err == "handshake_rejected" and status == 401 then
      return t:ok(what .. ": refused with HTTP 401")
    end
    if err == "handshake_rejected" then
      return t:fail(string.format("%s: refused with HTTP %d, the document says 401", what, status))
    end
    return t:fail(string.format("%s: the opening failed without an HTTP answer (%s)", what, tostring(message or err)))
  end
  local code, reason = t:wait_close(conn, S.response_ms)
  if code == 4001 then
    t:non_strict(what .. ": accepted, then closed 4001 (variant; the document refuses the upgrade with 401)")
  elseif code == 1006 then
    t:fail(what .. ": accepted, then dropped without a close frame (1006), expected HTTP 401")
  elseif code then
    t:fail(string.format("%s: accepted, then closed %s %s; expected HTTP 401 (or close 4001)", what, tostring(code),
      reason or ""))
  else
    t:fail(string.format("%s: accepted and still open after %s; expected HTTP 401 (or close 4001)", what,
      S.ms(S.response_ms)))
  end
end

-- The connection is open: not closed, and a ping is answered (frames the server sent meanwhile
-- are case 3.5's to judge, §6.3).
-- Returns true when it is; FAILED findings say why not.
function S.expect_open(t, conn, what)
  if conn:is_open() then
    local rtt, perr = conn:ping(S.response_ms)
    if rtt then
      t:ok(what .. ": the connection is open (ping answered)")
      return true
    end
    if conn:is_open() then
      t:fail(what .. ": ping not answered within " .. S.ms(S.response_ms) .. " (" .. tostring(perr) .. ")")
      return false
    end
  end
  local code = conn:close_code()
  t:fail(string.format("%s: the connection was closed (by %s, code %s %s)", what,
    conn:closed_by_server() and "the server" or "drover", tostring(code), tostring(conn:close_reason() or "")))
  return false
end

-- Closes s.conn the browser's way: with `end` then 1000 when clean, else 1001 with no end
-- (a tab closing). Sets s.last_sent_at and s.closed_at (the end of the closing handshake).
function S.close_session(t, s, clean)
  if clean then
    s.last_sent_at = t:send(s.conn, proto.finish()) or s.last_sent_at
    s.conn:close(1000, "page closed", S.response_ms)
  else
    s.conn:close(1001, "tab closed", S.response_ms)
  end
  s.closed_at = now()
  t:note(string.format("closed (%s), %s after the connection started", clean and "end, 1000" or "no end, 1001",
    S.ms(s.closed_at - s.connect_at)))
end

-- GET /api/session/{id} -> res | nil, why (transport failure).
function S.get_record(t, id)
  local url = proto.record_url(S.endpoints(t), id)
  local res, err, msg = http.get(url, { timeout = S.response_ms + 2000 })
  if not res then return nil, tostring(msg or err) end
  return res
end

-- Is a record answer "this server has no verification endpoint" (§7: 404 for every id)? A
-- page served for every path (200 text/html) is taken as no endpoint too.
function S.no_endpoint(res)
  if res.status == 404 or res.status == 405 or res.status == 410 or res.status == 501 then return true end
  return res.status == 200 and res.json == nil and (res.headers["content-type"] or ""):find("html") ~= nil
end

-- Polls the record of session id until done(record) holds, the record says it is final, or
-- S.response_ms passes (§7.5).
-- Returns "record", record | "absent", res | "broken", why. Logs the last answer.
function S.poll_record(t, id, done)
  local deadline = now() + S.response_ms
  local res, why
  for _ = 1, 1000 do
    res, why = S.get_record(t, id)
    if res and res.status == 200 and type(res.json) == "table" and (done(res.json) or res.json.final == true) then
      break
    end
    if now() >= deadline then break end
    sleep(math.min(100, math.max(1, deadline - now())))
  end
  if not res then
    t:note("GET /api/session/{id}: " .. why)
    return "broken", "GET /api/session/{id} failed: " .. why
  end
  http_note(t, "GET /api/session/{id}", res)
  if S.no_endpoint(res) then return "absent", res end
  if res.status ~= 200 then return "broken", string.format("GET /api/session/{id} answered HTTP %d", res.status) end
  if type(res.json) ~= "table" then
    return "broken", "GET /api/session/{id} answered 200 without a JSON object (" ..
      tostring(res.headers["content-type"]) .. ")"
  end
  return "record", res.json
end

-- Whether record matches what the browser sent: counts = {[0]=n, [1]=m}, ended_cleanly.
function S.record_matches(r, counts, clean)
  if #proto.record_problems(r) > 0 then return false end
  for n, want in pairs(counts) do
    if proto.count(r, n) ~= want then return false end
  end
  return r.ended_cleanly == clean
end

-- §7.2-§7.4: judges a final record against session s (counts sent, clean or not, the times the
-- browser saw). what: a short description for the findings.
function S.judge_record(t, what, r, s, counts, clean)
  local problems = proto.record_problems(r)
  if #problems > 0 then
    return t:fail(what .. ": the record is malformed: " .. table.concat(problems, "; ") .. " " .. describe(r))
  end
  for n = 0, 1 do
    local want, got = counts[n] or 0, proto.count(r, n)
    if got == want then
      t:ok(string.format("%s: %d events of type %d sent, %d recorded", what, want, n, got))
    else
      t:fail(string.format("%s: %d events of type %d sent, %s recorded (%s)", what, want, n, tostring(got),
        got < want and "lost" or "counted twice or invented"))
    end
  end
  for k, v in pairs(r.events) do
    local n = tonumber(k)
    if n ~= 0 and n ~= 1 and v ~= 0 then t:fail(string.format("%s: %s events of type %s recorded, none sent", what, v, k)) end
  end
  t:check(r.ended_cleanly == clean, string.format("%s: ended_cleanly is %s", what, tostring(clean)), r.ended_cleanly)
  local outer = s.closed_at - s.connect_at
  local inner = (s.last_sent_at or s.start_at) - s.start_at
  local tol = S.duration_tolerance_ms(outer)
  local low, high = inner - tol, outer + tol
  local text = string.format("%s: duration_ms %s, the browser saw %s (start to last message) to %s (connect to " ..
    "closed), tolerance %s", what, tostring(r.duration_ms), S.ms(inner), S.ms(outer), S.ms(tol))
  if r.duration_ms >= low and r.duration_ms <= high then
    t:ok(text)
  else
    t:fail(text .. (r.duration_ms < low and ": too short" or ": too long"))
  end
  metrics.trend("datakraken_duration_error", math.abs(r.duration_ms - (inner + outer) / 2))
end

-- Sends `clicks` clicks, then `moves` mouse moves as a 60 Hz burst (one every 16.7 ms) on s.
-- Returns counts {[0]=clicks, [1]=moves} of what was sent; sets s.last_sent_at.
function S.send_events(t, s, clicks, moves)
  local sent = { [0] = 0, [1] = 0 }
  for i = 1, clicks do
    local at = t:send(s.conn, proto.click(100 + i, 200 + i, "#drover-button-" .. i))
    if at then sent[0] = sent[0] + 1; s.last_sent_at = at end
  end
  local x, y = 300, 300
  for i = 1, moves do
    x, y = x + math.random(-4, 4), y + math.random(-4, 4)
    local at = s.conn:send(proto.move(x, y, i == 1 and 800 or 16))
    if at then sent[1] = sent[1] + 1; s.last_sent_at = at end
    if i < moves then sleep(1000 / 60) end
  end
  if moves > 0 then t:note(string.format("sent %d mouse moves at 60 Hz", sent[1])) end
  return sent
end

return S
