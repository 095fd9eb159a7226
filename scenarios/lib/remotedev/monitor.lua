-- Persona: a RemoteDev monitor, the DevTools window (protocol 002, docs/protocols/remotedev.md):
-- handshake, `login` with data other than "master" (answered "log", §6.2), subscribed to `log`.
-- It records every message the apps of app.lua relay to it (§7.1 `log` as sent, §7.2 `log-noid`
-- wrapped as {id, data}) and the DISCONNECTED notice of each app that leaves (§8.1), and talks
-- back on `respond` (§7.3, §7.4): a START when it opens, a DISPATCH (JUMP_TO_STATE with the
-- state to jump to) to one app it has heard from every dispatch_ms, optionally a STOP and, after
-- pause_ms, a START every pause_every_ms, and a last STOP (last = true) when the run stops.
-- Its messages carry monitor (its number), seq (1, 2, 3 ..., the last one included) and
-- timestamp (now() at sending), for app.lua's accounting and latency.
--
-- Accounting, per app (keyed by the socket id the message names: M.id for log, the wrapper's id
-- for log-noid): seq from 1 must arrive once each, in order, up to the app's last message
-- (lib/remotedev/stream.lua); the app's instanceId is its number, so apps 1..apps that never
-- relayed anything are counted too. End-to-end latency = arrival (C++ stamp) - the ACTION's
-- action.timestamp: trend remotedev_e2e (one process, one run clock).
-- When the run stops it sends its last STOP and keeps receiving until every app it heard from
-- has sent its last message and been announced DISCONNECTED, every expected app was heard
-- from, and quiet_ms passed without a frame; or until grace_ms passed. Then it records
-- (always, so that thresholds "count == 0" hold on a clean run):
--   counters remotedev_delivered (app messages received), remotedev_actions_delivered,
--   remotedev_lost, remotedev_duplicates, remotedev_out_of_order, remotedev_unfinished (apps
--   without their last message), remotedev_silent_apps (expected apps never heard from),
--   remotedev_disconnected_seen, remotedev_disconnected_missing (apps heard from whose
--   DISCONNECTED never came), remotedev_id_conflicts (one socket id for two apps, or one app
--   under two ids), remotedev_foreign (messages on log that are not app.lua's), remotedev_respond_sent,
--   remotedev_dispatch_sent, remotedev_dispatch_answered; trends remotedev_e2e and
--   remotedev_dispatch_rtt (DISPATCH sent -> the app's STATE answer received);
--   checks "remotedev monitor connected", "... logged in", "... subscribed", "... stayed
--   connected", "remotedev monitor: heard from every app", "remotedev monitor: every app message
--   accounted for", "remotedev monitor: DISCONNECTED for every app".
local socketcluster = require("socketcluster")
local stream = require("remotedev.stream")

local monitor = {}

-- opts: number (this monitor's number, 1..; required), url (nil: the run's target), version
-- ("auto" | "v1" | "v2"), apps (app numbers 1..apps must all be heard from; 0: no such check),
-- dispatch_ms (2000; 0: no DISPATCH), pause_every_ms (0: never), pause_ms (1000), grace_ms
-- (5000), quiet_ms (300), timeout_ms (10000: handshake, login, subscribe).
function monitor.run(opts)
  local number = opts.number
  local apps = opts.apps or 0
  local timeout = opts.timeout_ms or 10000
  local sc, err, message = socketcluster.connect(opts.url, { version = opts.version or "auto", timeout = timeout })
  if not check("remotedev monitor connected", sc ~= nil, message or err) then return end
  local answer, why = sc:call("login", "monitor " .. number, timeout)
  if not check("remotedev monitor logged in", answer ~= nil and answer.data == "log",
      answer and json.encode(answer) or why) then
    sc:close(1000, "login failed")
    return
  end

  local streams, known, heard = {}, {}, {}  -- socket id -> stream; ids in order heard; app number -> id
  local heard_expected, done = 0, 0          -- expected apps heard from; streams with last message and notice
  local delivered, actions, foreign, conflicts, notices_unknown, notices_repeated = 0, 0, 0, 0, 0, 0
  local first_problem
  local dispatch_sent_at, answered = {}, 0

  local function finish_stream(s)
    if s.fin and s.gone then done = done + 1 end
  end

  local function on_log(d)
    if type(d) ~= "table" then
      foreign = foreign + 1
      return
    end
    local kind = d.type
    if kind == "DISCONNECTED" then
      local s = streams[d.id]
      if not s then
        notices_unknown = notices_unknown + 1  -- a socket we never heard from (§8.2: ignored)
      elseif s.gone then
        notices_repeated = notices_repeated + 1
      else
        s.gone = true
        finish_stream(s)
      end
      return
    end
    local id, m = d.id, d
    if kind == nil and type(d.data) == "table" then m = d.data end  -- log-noid: {id, data}
    local n, app_no = stream.integer(m.seq), stream.integer(m.instanceId)
    if type(id) ~= "string" or not n or not app_no then
      foreign = foreign + 1
      return
    end
    local s = streams[id]
    if not s then
      s = stream.new(1)
      s.number = app_no
      streams[id] = s
      known[#known + 1] = id
      local other = heard[app_no]
      if other then
        conflicts = conflicts + 1
        first_problem = first_problem or string.format("app %d relayed under two socket ids (%s, %s)", app_no, other, id)
      else
        heard[app_no] = id
        if app_no >= 1 and app_no <= apps then heard_expected = heard_expected + 1 end
      end
    elseif s.number ~= app_no then
      conflicts = conflicts + 1
      first_problem = first_problem or string.format("socket id %s relayed for apps %d and %d", id, s.number, app_no)
    end
    if not stream.seen(s, n) then
      foreign = foreign + 1
      return
    end
    delivered = delivered + 1
    if not first_problem and (s.gaps > 0 or s.dups > 0) then
      first_problem = string.format("app %d (%s): message %d arrived after message %d", app_no, id, n, s.last)
    end
    kind = m.type
    if kind == "ACTION" then
      actions = actions + 1
      local a = m.action
      local at = type(a) == "table" and a.timestamp or nil
      if type(at) == "number" then metrics.trend("remotedev_e2e", sc.conn:last_recv_time() - at) end
    elseif kind == "STOP" and m.last == true then
      if not s.fin then
        s.fin = n
        finish_stream(s)
      end
    elseif kind == "STATE" and m.answers_monitor == number then
      local asked = stream.integer(m.answers)
      local sent = asked and dispatch_sent_at[asked]
      if sent then
        dispatch_sent_at[asked] = nil
        answered = answered + 1
        metrics.trend("remotedev_dispatch_rtt", sc.conn:last_recv_time() - sent)
      end
    end
  end
  sc:on_publish("log", on_log)
  local subscribed, serr, sdetail = sc:subscribe("log", timeout)
  if not check("remotedev monitor subscribed", subscribed, tostring(serr) .. " " .. tostring(sdetail or "")) then
    sc:close(1000, "subscribe failed")
    return
  end

  -- One message table, refilled for every message (see app.lua).
  local seq, open, respond_sent, dispatches = 0, true, 0, 0
  local msg = { monitor = number }
  local jump = { type = "JUMP_TO_STATE", index = 0 }
  local function respond(kind)
    seq = seq + 1
    msg.type, msg.seq, msg.timestamp = kind, seq, now()
    if sc:emit("respond", msg) == nil then
      open = false
      return false
    end
    respond_sent = respond_sent + 1
    return true
  end
  local function dispatch()
    if #known == 0 then return end
    local id = known[math.random(#known)]
    local s = streams[id]
    if s.fin or s.gone then return end  -- that app has gone
    jump.index = math.random(0, 99)
    msg.id, msg.instanceId, msg.payload, msg.state = id, s.number, jump, string.format('{"counter":%d}', jump.index)
    if respond("DISPATCH") then
      dispatches = dispatches + 1
      dispatch_sent_at[seq] = msg.timestamp
    end
    msg.id, msg.instanceId, msg.payload, msg.state = nil, nil, nil, nil
  end

  respond("START")
  local dispatch_ms = opts.dispatch_ms or 2000
  local pause_every, pause_ms = opts.pause_every_ms or 0, opts.pause_ms or 1000
  local next_dispatch = dispatch_ms > 0 and now() + math.random() * dispatch_ms or math.huge
  local next_pause = pause_every > 0 and now() + pause_every or math.huge
  local resume_at = math.huge
  while open and vu.running() do
    local due = math.min(next_dispatch, next_pause, resume_at)
    local left = due - now()
    if left > 0 then
      if not sc:pump(math.min(left, 1000)) then open = false end
    elseif now() >= resume_at then
      respond("START")
      resume_at = math.huge
    elseif now() >= next_pause then
      respond("STOP")
      resume_at = now() + pause_ms
      next_pause = next_pause + pause_every
    else
      dispatch()
      next_dispatch = math.max(next_dispatch + dispatch_ms, now())
    end
  end

  -- The end: the apps learn that this monitor is done, then their last messages and
  -- DISCONNECTED notices come in.
  -- A pause still running is ended first, so that every STOP an app saw is followed by a START.
  if open and resume_at ~= math.huge then respond("START") end
  if open then
    msg.last = true
    respond("STOP")
  end
  local grace = opts.grace_ms or 5000
  local quiet = opts.quiet_ms or 300
  local stop_at, last_frame_at = now(), now()
  while open and now() - stop_at < grace do
    if heard_expected >= apps and done == #known and now() - last_frame_at > quiet then break end
    local ok, e = sc:step(100)
    if ok then
      last_frame_at = now()
    elseif e ~= "timeout" then
      open = false
    end
  end
  check("remotedev monitor stayed connected", open,
    string.format("closed %s %s", tostring(sc.close_code), tostring(sc.close_reason or "")))
  sc:close(1000, "monitor closed")

  local lost, dups, reordered, unfinished, seen_gone, missing_gone, worst = 0, 0, 0, 0, 0, 0, nil
  for _, id in ipairs(known) do
    local s = streams[id]
    local missing = stream.lost(s)
    if missing > 0 and (not worst or missing > worst.missing) then worst = { number = s.number, missing = missing } end
    lost, dups, reordered = lost + missing, dups + s.dups, reordered + s.reordered
    if not s.fin then unfinished = unfinished + 1 end
    if s.gone then seen_gone = seen_gone + 1 else missing_gone = missing_gone + 1 end
  end
  local silent = math.max(0, apps - heard_expected)
  metrics.counter("remotedev_delivered", delivered)
  metrics.counter("remotedev_actions_delivered", actions)
  metrics.counter("remotedev_lost", lost)
  metrics.counter("remotedev_duplicates", dups)
  metrics.counter("remotedev_out_of_order", reordered)
  metrics.counter("remotedev_unfinished", unfinished)
  metrics.counter("remotedev_silent_apps", silent)
  metrics.counter("remotedev_disconnected_seen", seen_gone)
  metrics.counter("remotedev_disconnected_missing", missing_gone)
  metrics.counter("remotedev_disconnected_unknown", notices_unknown)
  metrics.counter("remotedev_disconnected_repeated", notices_repeated)
  metrics.counter("remotedev_id_conflicts", conflicts)
  metrics.counter("remotedev_foreign", foreign)
  metrics.counter("remotedev_respond_sent", respond_sent)
  metrics.counter("remotedev_dispatch_sent", dispatches)
  metrics.counter("remotedev_dispatch_answered", answered)
  check("remotedev monitor: heard from every app", silent == 0 and #known > 0,
    string.format("monitor %d: %d app(s) heard from, %d of %d expected never", number, #known, silent, apps))
  check("remotedev monitor: every app message accounted for",
    lost == 0 and dups == 0 and reordered == 0 and unfinished == 0 and conflicts == 0,
    string.format("monitor %d: %d lost%s, %d repeated, %d out of order, %d app(s) without their last message, %d id conflict(s)%s",
      number, lost, worst and string.format(" (worst: app %d missing %d)", worst.number, worst.missing) or "",
      dups, reordered, unfinished, conflicts, first_problem and ("; first: " .. first_problem) or ""))
  check("remotedev monitor: DISCONNECTED for every app", missing_gone == 0,
    string.format("monitor %d: %d of %d app(s) left without a DISCONNECTED notice", number, missing_gone, #known))
end

return monitor
