-- 1.x The HTTP call before the socket (docs/protocols/datakraken.md §3.1-§3.3, §4.1, §4.7): the
-- ticket answer and the dk_visitor cookie.
local S = require("support")
local proto = S.proto

local cases = {}

local function headers_text(v)
  if type(v) == "table" then return table.concat(v, " | ") end
  return tostring(v)
end

cases[#cases + 1] = {
  id = "1.1", group = "ticket", title = "The ticket answer",
  description = "GET /api/session twice; the first answer's ticket then opens a socket at the answer's ws path.",
  expectation = "200 with a JSON body (Content-Type application/json): ticket a non-empty string, ttl an integer " ..
    "from 1 to 60 s (15 by default; another value is reported and used), session a string or integer id, listeners an " ..
    "array of distinct strings, ws a path. The two answers differ in ticket and session. The socket opens " ..
    "(101) at the ws path with the ticket.",
  reference = S.doc .. "§3.1, §4.1, §4.7, §3.3, §1.1",
  run = function(t)
    local res, answer = S.get_ticket(t)
    if not res then return t:fail(answer) end
    if not t:check(res.status == 200, "GET /api/session answered 200", res.status) then return end
    local ctype = res.headers["content-type"] or ""
    t:check(res.json ~= nil, "the answer is JSON (Content-Type: " .. ctype .. ")",
      res.json_error or ("Content-Type " .. ctype))
    if answer == nil then answer = json.decode(res.body or "") end
    local problems = proto.answer_problems(answer)
    if #problems > 0 then
      for _, p in ipairs(problems) do t:fail("ticket answer: " .. p) end
      return
    end
    t:ok("the answer has ticket, ttl, session, listeners and ws as §4.1 says")
    local ttl_problem = proto.ttl_problem(answer)
    if ttl_problem then
      t:fail(ttl_problem)
    elseif answer.ttl == proto.default_ttl_s then
      t:ok("ttl is " .. answer.ttl .. " s")
    else
      t:info(string.format("ttl is %d s, not the default %d s; the suite uses the answer's", answer.ttl,
        proto.default_ttl_s))
    end
    local allowed = proto.allowed_types(answer)
    t:note(string.format("listeners: %s (event types allowed: %s)", table.concat(answer.listeners, ", "),
      (allowed[0] and "0 " or "") .. (allowed[1] and "1" or "")))

    local res2, answer2 = S.get_ticket(t)
    if res2 and res2.status == 200 and type(answer2) == "table" then
      t:check(answer2.ticket ~= answer.ticket, "a second answer has a ticket of its own", answer2.ticket)
      t:check(answer2.session ~= answer.session, "a second answer has a session id of its own", answer2.session)
    else
      t:fail("a second GET /api/session did not answer 200 with JSON (" .. tostring(res2 and res2.status or answer2) .. ")")
    end

    local conn, err, message, info = S.open(t, answer)
    if not conn then
      return t:fail(string.format("the ticket did not open a socket at %s: %s%s", answer.ws, tostring(message or err),
        info and info.status and info.status > 0 and (" (HTTP " .. info.status .. ")") or ""))
    end
    t:send(conn, proto.start("Linux", "drover", ""))
    local code, reason = t:wait_close(conn, S.settle_ms)
    if code then
      t:fail(string.format("the socket opened at %s with the ticket, then the server closed it (%s %s)", answer.ws,
        tostring(code), reason or ""))
    else
      t:ok("the ticket opened a socket at " .. answer.ws)
    end
  end,
}

cases[#cases + 1] = {
  id = "1.2", group = "ticket", title = "The dk_visitor cookie is set when absent and kept when present",
  description = "A browser without cookies calls GET /api/session, then again with the cookie it got; then a new " ..
    "browser (an empty cookie jar) calls it.",
  expectation = "The first answer sets dk_visitor to a non-empty value that the browser sends back on the next " ..
    "call; the second answer sets no dk_visitor or the same value again (never another); the new browser gets " ..
    "a value of its own.",
  reference = S.doc .. "§3.2",
  run = function(t)
    local url = proto.session_url(S.endpoints(t))
    http.clear_cookies()
    local res1, why1 = S.get_ticket(t)
    if not res1 then return t:fail(why1) end
    local set1 = proto.visitor_cookies_set(res1)
    if not t:check(#set1 >= 1 and set1[#set1] ~= "", "a request without cookies gets Set-Cookie dk_visitor",
        res1.headers["set-cookie"]) then
      return
    end
    local visitor = set1[#set1]
    t:check(http.cookies(url)[proto.cookie] == visitor, "the browser will send dk_visitor back to /api/session",
      "its attributes keep it from /api/session: " .. headers_text(res1.headers["set-cookie"]))

    local res2, why2 = S.get_ticket(t)
    if not res2 then return t:fail(why2) end
    local set2 = proto.visitor_cookies_set(res2)
    local replaced = nil
    for _, v in ipairs(set2) do
      if v ~= visitor then replaced = v end
    end
    if replaced then
      t:fail("a request carrying dk_visitor got it replaced (Set-Cookie dk_visitor=" .. replaced .. ")")
    else
      t:ok(#set2 == 0 and "a request carrying dk_visitor gets no new one"
        or "a request carrying dk_visitor gets the same value again")
    end
    t:check(http.cookies(url)[proto.cookie] == visitor, "the browser still has its first dk_visitor",
      http.cookies(url)[proto.cookie])

    http.clear_cookies()
    local res3, why3 = S.get_ticket(t)
    if not res3 then return t:fail(why3) end
    local set3 = proto.visitor_cookies_set(res3)
    if #set3 == 0 or set3[#set3] == "" then
      t:fail("a new browser (no cookies) got no dk_visitor")
    else
      t:check(set3[#set3] ~= visitor, "a new browser gets a dk_visitor of its own", set3[#set3])
    end
  end,
}

return cases
