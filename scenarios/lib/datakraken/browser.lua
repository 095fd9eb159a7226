-- Persona: a visitor's browser on pages that carry the DataKraken script (protocol 003,
-- docs/protocols/datakraken.md). One visit is one session:
--   GET /api/session with the browser's cookie jar (dk_visitor comes back on every later
--   visit and must be kept, §3.2) -> open the socket with the ticket -> start with the device
--   and referrer -> until the visit's length: a 60 Hz burst of mouse moves every burst_every_ms,
--   now and then a click (only the types the listeners allow) -> `end` and close 1000, or, in a
--   share of visits, the tab closes: 1001 and no `end` (§3.6).
-- After each visit the browser reads GET /api/session/{id} until the record counts what it sent
-- (or says it is final, or record_timeout_ms passes) and accounts for it:
--   counters dk_visits, dk_visits_abandoned, dk_clicks_sent, dk_moves_sent, dk_events_sent,
--   dk_events_recorded, dk_lost (sent but not counted), dk_extra (counted but never sent),
--   dk_unverified (visits without a readable record), dk_ended_cleanly_wrong, dk_visitor_changed
--   (a returning visitor whose dk_visitor was replaced); trends dk_ticket (the ticket answer's
--   HTTP duration), dk_record_wait (close -> matching record), dk_visit (connect -> closed),
--   dk_duration_error (|duration_ms - the browser's view|); checks "dk ...".
-- dk_lost and friends are always recorded (0 included) so that "count == 0" thresholds hold
-- them. verify = false skips the record (a server without the optional endpoint).
local proto = require("datakraken.proto")

local browser = {}

local devices = {
  { os = "Windows", browser = "Chrome" }, { os = "Windows", browser = "Edge" },
  { os = "Macintosh", browser = "Safari" }, { os = "Macintosh", browser = "Chrome" },
  { os = "Linux", browser = "Firefox" }, { os = "Android", browser = "Chrome Mobile" },
  { os = "iOS", browser = "Mobile Safari" },
}
local referrers = { "", "https://www.google.com/", "https://duckduckgo.com/", "https://news.ycombinator.com/",
  "https://www.example.org/blog" }
local targets = { "#signup-button", ".nav-link", "#search", "a.product-card", "button.add-to-cart", "#logo" }

local function count_all(metric, n) metrics.counter(metric, n or 0) end

-- Reads the record until it matches (counts, clean) or says it is final, or timeout_ms passes.
-- Returns record | nil, why.
local function final_record(e, id, counts, clean, timeout_ms)
  local url = proto.record_url(e, id)
  local deadline = now() + timeout_ms
  local last, why
  -- Once the run is stopping, sleep() returns at once: a few more reads, then give up.
  local reads_after_stop = 0
  for _ = 1, 1000 do
    local res, err, msg = http.get(url, { timeout = math.max(1000, timeout_ms) })
    if not res then
      why = "GET /api/session/{id}: " .. tostring(msg or err)
    elseif res.status ~= 200 or type(res.json) ~= "table" then
      why = "GET /api/session/{id}: HTTP " .. res.status
    elseif #proto.record_problems(res.json) > 0 then
      why = "malformed record: " .. table.concat(proto.record_problems(res.json), "; ")
    else
      last = res.json
      local matches = proto.count(last, 0) == counts[0] and proto.count(last, 1) == counts[1]
        and last.ended_cleanly == clean
      if matches or last.final == true then return last end
      why = nil
    end
    if now() >= deadline then break end
    if not sleep(math.min(100, math.max(1, deadline - now()))) then
      reads_after_stop = reads_after_stop + 1
      if reads_after_stop > 20 then break end
    end
  end
  if last then return last end
  return nil, why or "no record"
end

-- One visit. opts: endpoints (proto.endpoints), visit_ms, burst_every_ms (2000), burst_ms (500),
-- click_chance (0.3 per burst), abandon (share of visits without end, 0..1), verify (true),
-- record_timeout_ms (5000).
function browser.visit(opts)
  local e = opts.endpoints
  local session_url = proto.session_url(e)
  local visitor_before = http.cookies(session_url)[proto.cookie]
  local res, err, msg = http.get(session_url, { timeout = 10000 })
  if not check("dk ticket", res ~= nil and res.status == 200 and type(res.json) == "table",
      res and ("HTTP " .. res.status .. " " .. (res.body or ""):sub(1, 200)) or tostring(msg or err)) then
    return
  end
  metrics.trend("dk_ticket", res.timings.duration)
  local answer = res.json
  local problems = proto.answer_problems(answer)
  if not check("dk ticket answer", #problems == 0, table.concat(problems, "; ")) then return end
  local kept = true
  for _, v in ipairs(proto.visitor_cookies_set(res)) do
    if visitor_before and v ~= visitor_before then kept = false end
  end
  count_all("dk_visitor_changed", kept and 0 or 1)

  local connect_at = now()
  local conn, cerr, cmsg = ws.connect(proto.socket_url(e, answer.ws), { query = { ticket = answer.ticket } })
  if not check("dk socket open", conn ~= nil, tostring(cmsg or cerr)) then return end
  local device = devices[math.random(#devices)]
  conn:send(proto.start(device.os, device.browser, referrers[math.random(#referrers)]))

  local allowed = proto.allowed_types(answer)
  local sent = { [0] = 0, [1] = 0 }
  local open = true
  local x, y = math.random(0, 1280), math.random(0, 720)
  local rest_since = now()
  local visit_end = connect_at + opts.visit_ms
  local burst_every, burst_ms = opts.burst_every_ms or 2000, opts.burst_ms or 500
  -- Bursts start at a random phase, so that browsers that arrived together do not move together.
  local next_burst = now() + math.random() * burst_every
  while open and vu.running() and now() < visit_end do
    local wait = math.min(next_burst, visit_end) - now()
    if wait > 0 and not sleep(wait) then break end
    if now() >= visit_end then break end
    if allowed[1] then
      local moves = math.max(1, math.floor(burst_ms * 60 / 1000))
      for i = 1, moves do
        x, y = math.max(0, x + math.random(-6, 6)), math.max(0, y + math.random(-6, 6))
        local t = now()
        open = conn:send(proto.move(x, y, i == 1 and (t - rest_since) or 1000 / 60)) ~= nil
        if not open then break end
        sent[1] = sent[1] + 1
        if i < moves and not sleep(1000 / 60) then break end  -- the run stops: end the visit now
      end
      rest_since = now()
    end
    if open and allowed[0] and math.random() < (opts.click_chance or 0.3) then
      open = conn:send(proto.click(x, y, targets[math.random(#targets)])) ~= nil
      if open then sent[0] = sent[0] + 1 end
    end
    next_burst = next_burst + burst_every
  end

  local clean = math.random() >= (opts.abandon or 0)
  check("dk socket stays open", open and conn:is_open(),
    string.format("closed %s %s", tostring(conn:close_code()), tostring(conn:close_reason())))
  if conn:is_open() then
    if clean then
      conn:send(proto.finish())
      conn:close(1000, "page closed", 5000)
    else
      conn:close(1001, "tab closed", 5000)
    end
  end
  local closed_at = now()
  metrics.counter("dk_visits")
  count_all("dk_visits_abandoned", clean and 0 or 1)
  metrics.counter("dk_clicks_sent", sent[0])
  metrics.counter("dk_moves_sent", sent[1])
  metrics.counter("dk_events_sent", sent[0] + sent[1])
  metrics.trend("dk_visit", closed_at - connect_at)
  if opts.verify == false then return end

  local record, why = final_record(e, answer.session, sent, clean, opts.record_timeout_ms or 5000)
  if not check("dk record readable", record ~= nil, why) then
    count_all("dk_unverified", 1)
    count_all("dk_lost", 0)
    count_all("dk_extra", 0)
    count_all("dk_ended_cleanly_wrong", 0)
    return
  end
  count_all("dk_unverified", 0)
  metrics.trend("dk_record_wait", now() - closed_at)
  local lost, extra = 0, 0
  for n = 0, 1 do
    local got = proto.count(record, n)
    if got < sent[n] then lost = lost + sent[n] - got else extra = extra + got - sent[n] end
  end
  metrics.counter("dk_events_recorded", (proto.count(record, 0) or 0) + (proto.count(record, 1) or 0))
  count_all("dk_lost", lost)
  count_all("dk_extra", extra)
  count_all("dk_ended_cleanly_wrong", record.ended_cleanly == clean and 0 or 1)
  check("dk every event recorded", lost == 0 and extra == 0,
    string.format("session %s: sent %d+%d, recorded %s+%s", tostring(answer.session), sent[0], sent[1],
      tostring(proto.count(record, 0)), tostring(proto.count(record, 1))))
  metrics.trend("dk_duration_error", math.abs(record.duration_ms - (closed_at - connect_at)))
end

-- Visits until the run stops, with think_ms (random 0..think_ms) between them; the cookie
-- jar lasts across visits (and iterations), so every visit after the first is a returning
-- visitor. opts as browser.visit, plus think_ms (2000).
function browser.run(opts)
  while vu.running() do
    browser.visit(opts)
    if not vu.running() or not sleep(math.random() * (opts.think_ms or 2000)) then break end
  end
end

return browser
