-- Persona: an app with the Remote Redux DevTools client (protocol 002,
-- docs/protocols/remotedev.md): handshake, `login` "master" (answered "respond", §6.1),
-- subscribed to `respond`; it logs an INIT, then an ACTION every action_ms (every state_every-th
-- one followed by a STATE), on `log` (its socket id in each message, §7.1) or `log-noid` (the
-- server adds the id, §7.2), and obeys what monitors send on `respond` (§7.4):
--   STOP      stops logging actions (the store goes on without being watched)
--   START     starts logging again after a STOP
--   DISPATCH  addressed to this app (id = its socket id): takes the state the monitor sent
--             (a jump to another state) and logs it as a STATE that names the DISPATCH it answers
-- When the run stops it waits (at most end_wait_ms) for the last message of each of the
-- `monitors` monitors, logs its own last message (a STOP with last = true) and closes with
-- 1000, which makes the server announce it DISCONNECTED (§8.1).
--
-- What monitor.lua accounts with, in fields a RemoteDev message may carry besides its own
-- (§1.4: extra fields are allowed): seq numbers every message this app logs (1, 2, 3 ...,
-- the last one included); instanceId is the app's number; an ACTION's action.timestamp is when
-- it was sent (now(), run clock, ms): monitors in the same drover process compute end-to-end
-- latency from it.
--
-- What it accounts for itself: each monitor's messages (monitor.lua numbers them the same way,
-- one stream per monitor), from the first one it sees (it may have subscribed after a
-- monitor began) to that monitor's last one.
--
-- Metrics (counters): remotedev_logged (every message logged, the last one included),
--   remotedev_actions_sent, remotedev_states_sent, remotedev_actions_paused (actions not logged
--   because a monitor said STOP); remotedev_respond_received, remotedev_dispatch_received,
--   remotedev_dispatch_applied, remotedev_stop_received, remotedev_start_received,
--   remotedev_respond_lost, remotedev_respond_duplicates, remotedev_respond_out_of_order,
--   remotedev_respond_unfinished (monitors whose last message never came), remotedev_respond_foreign
--   (messages on respond that are not a monitor.lua message: other clients, notices);
--   trend remotedev_respond_e2e (monitor's send -> this app's receipt, ms).
-- Checks: "remotedev app connected", "remotedev app logged in", "remotedev app subscribed",
--   "remotedev app stayed connected", "remotedev app: every monitor message accounted for".
local socketcluster = require("socketcluster")
local stream = require("remotedev.stream")

local app = {}

local function state_text(counter) return string.format('{"counter":%d}', counter) end

-- opts: number (this app's number, 1..; required), url (nil: the run's target), version
-- ("auto" | "v1" | "v2"), noid (true: log-noid instead of log), action_ms (1000), state_every
-- (10; 0: no periodic STATE), start_delay_ms (2000: monitors subscribe before the first INIT),
-- monitors (how many monitors to wait for at the end, 0: none), end_wait_ms (2500),
-- timeout_ms (10000: handshake, login, subscribe).
function app.run(opts)
  local number = opts.number
  local action_ms = opts.action_ms or 1000
  local state_every = opts.state_every or 10
  local monitors = opts.monitors or 0
  local event = opts.noid and "log-noid" or "log"
  local timeout = opts.timeout_ms or 10000

  local sc, err, message = socketcluster.connect(opts.url, { version = opts.version or "auto", timeout = timeout })
  if not check("remotedev app connected", sc ~= nil, message or err) then return end
  local answer, why = sc:call("login", "master", timeout)
  if not check("remotedev app logged in", answer ~= nil and answer.data == "respond",
      answer and json.encode(answer) or why) then
    sc:close(1000, "login failed")
    return
  end

  -- One message table, refilled for every message: at 1,000 apps a table per message would be
  -- garbage the worker's collector has to chase while it also runs the monitors.
  local counter, seq = 0, 0
  local msg = { instanceId = number, name = "drover app " .. number, id = nil }
  local action_wrapper = { timestamp = 0, action = { type = "INCREMENT" } }
  local open = true

  local function log_message(kind, payload)
    seq = seq + 1
    msg.type, msg.seq, msg.payload = kind, seq, payload
    if kind == "ACTION" then
      action_wrapper.timestamp = now()
      msg.action = action_wrapper
    else
      msg.action = nil
    end
    if sc:emit(event, msg) == nil then
      open = false
      return false
    end
    metrics.counter("remotedev_logged")
    return true
  end

  -- Monitor messages, handled as they arrive (inside whichever sc method is waiting).
  local streams, fins = {}, 0
  local received, dispatches, applied, stops, starts, foreign = 0, 0, 0, 0, 0, 0
  local paused, started = false, false
  local function on_respond(m)
    if type(m) ~= "table" then
      foreign = foreign + 1
      return
    end
    local k, n = stream.integer(m.monitor), stream.integer(m.seq)
    if not k or not n then
      foreign = foreign + 1  -- e.g. the server's notice that a monitor left (§8.2)
      return
    end
    received = received + 1
    local sent_at = m.timestamp
    if type(sent_at) == "number" then metrics.trend("remotedev_respond_e2e", sc.conn:last_recv_time() - sent_at) end
    local s = streams[k]
    if not s then
      s = stream.new(n)
      streams[k] = s
    end
    if not stream.seen(s, n) then
      foreign = foreign + 1
      return
    end
    local kind = m.type
    if kind == "DISPATCH" then
      dispatches = dispatches + 1
      if m.id == sc.id and m.id ~= nil and type(m.state) == "string" and open then
        -- A jump: the monitor's state becomes the app's, and the app logs the state it now
        -- has, naming what it answers so the monitor can time the round trip.
        local c = tonumber(m.state:match('"counter":(%-?%d+)'))
        if c then counter = c end
        if started and not paused then
          msg.answers = n
          msg.answers_monitor = k
          if log_message("STATE", m.state) then
            applied = applied + 1
            metrics.counter("remotedev_states_sent")
          end
          msg.answers, msg.answers_monitor = nil, nil
        end
      end
    elseif kind == "STOP" then
      if m.last == true then
        if not s.fin then fins = fins + 1 end
        s.fin = n
      else
        stops = stops + 1
        paused = true
      end
    elseif kind == "START" then
      starts = starts + 1
      paused = false
    end
  end
  sc:on_publish("respond", on_respond)
  local subscribed, serr, sdetail = sc:subscribe("respond", timeout)
  if not check("remotedev app subscribed", subscribed, tostring(serr) .. " " .. tostring(sdetail or "")) then
    sc:close(1000, "subscribe failed")
    return
  end
  if not opts.noid then msg.id = sc.id end

  -- Waits in slices of at most a second, so that the end of the run is noticed within one
  -- (every wake-up of 1,000 apps costs the worker; the run's end can wait that long).
  local function wait_until(t, while_running)
    while open do
      local left = t - now()
      if left <= 0 or (while_running and not vu.running()) then return end
      if not sc:pump(math.min(left, 1000)) then open = false end
    end
  end

  -- A random phase, so that apps that connected together do not log together.
  wait_until(now() + (opts.start_delay_ms or 2000) + math.random() * action_ms, true)
  started = true
  if open then log_message("INIT", state_text(counter)) end
  local next_at, actions = now() + action_ms, 0
  while open and vu.running() do
    wait_until(next_at, true)
    if not open or not vu.running() then break end
    if paused then
      metrics.counter("remotedev_actions_paused")
    else
      counter = counter + 1
      actions = actions + 1
      if log_message("ACTION", state_text(counter)) then metrics.counter("remotedev_actions_sent") end
      if open and state_every > 0 and actions % state_every == 0 and log_message("STATE", state_text(counter)) then
        metrics.counter("remotedev_states_sent")
      end
    end
    -- Late (a busy worker): the next one is due now, not a burst of the ones missed.
    next_at = math.max(next_at + action_ms, now())
  end

  -- The monitors' last messages are on their way: wait for them, so that their streams can be
  -- judged to the end.
  local deadline = now() + (opts.end_wait_ms or 2500)
  while open and fins < monitors and now() < deadline do
    if not sc:pump(math.min(100, deadline - now())) then open = false end
  end
  if check("remotedev app stayed connected", open and sc:is_open(),
      string.format("closed %s %s", tostring(sc.close_code), tostring(sc.close_reason or ""))) then
    msg.payload, msg.action = nil, nil
    msg.last = true
    log_message("STOP", nil)
  end
  sc:close(1000, "app closed")

  local lost, dups, reordered, unfinished = 0, 0, 0, 0
  for k = 1, monitors do
    local s = streams[k]
    if s and s.fin then
      lost, dups, reordered = lost + stream.lost(s), dups + s.dups, reordered + s.reordered
    else
      unfinished = unfinished + 1
    end
  end
  metrics.counter("remotedev_respond_received", received)
  metrics.counter("remotedev_dispatch_received", dispatches)
  metrics.counter("remotedev_dispatch_applied", applied)
  metrics.counter("remotedev_stop_received", stops)
  metrics.counter("remotedev_start_received", starts)
  metrics.counter("remotedev_respond_foreign", foreign)
  metrics.counter("remotedev_respond_lost", lost)
  metrics.counter("remotedev_respond_duplicates", dups)
  metrics.counter("remotedev_respond_out_of_order", reordered)
  metrics.counter("remotedev_respond_unfinished", unfinished)
  check("remotedev app: every monitor message accounted for", lost == 0 and dups == 0 and reordered == 0 and unfinished == 0,
    string.format("app %d: %d lost, %d repeated, %d out of order, %d of %d monitors without their last message",
      number, lost, dups, reordered, unfinished, monitors))
end

return app
