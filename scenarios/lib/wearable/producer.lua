-- Persona: a wearable device (protocol 001 producer). IDENTIFIES as a producer, heartbeats at
-- the interval HELLO announces (the first beat after a random fraction of it), and SUBMITs
-- HEART_RATE every second, STEPS every few seconds and ACCELERATION at a configurable rate
-- until the run stops; then it SUBMITs an end marker and closes.
--
-- Every SUBMIT's d carries two extra fields for the consumers: `n` (1, 2, 3 ... per producer)
-- and `at` (now() when it was sent, run-clock ms: consumers in the same drover process compute
-- end-to-end latency from it). The end marker is t = "DROVER_FIN" with d = {val = SUBMITs made,
-- first_at = time of the first SUBMIT} (unknown types pass through a server unchanged).
--
-- Metrics: trends wearable_ready (IDENTIFY -> READY), wearable_ack (HEARTBEAT -> ACK);
-- counter wearable_submitted (data SUBMITs, the marker excluded); checks "wearable producer ...".
local proto = require("wearable.proto")
local session = require("wearable.session")

local producer = {}

producer.fin_type = "DROVER_FIN"

-- opts: token, hr_ms (1000), steps_ms (5000), accel_hz (0 = none), start_delay_ms (2000: lets
-- consumers subscribe first), connect_opts (for ws.connect).
function producer.run(opts)
  local conn, interval = session.open("producer", opts.token, opts.connect_opts)
  if not conn then return end

  local start = now()
  local beat = session.beater(conn, interval)
  local first_submit = start + (opts.start_delay_ms or 2000) + math.random() * 1000
  local hr_ms, steps_ms = opts.hr_ms or 1000, opts.steps_ms or 5000
  local accel_ms = (opts.accel_hz or 0) > 0 and 1000 / opts.accel_hz or nil
  local next_hr, next_steps = first_submit, first_submit + math.random() * steps_ms
  local next_accel = accel_ms and first_submit + math.random() * accel_ms or math.huge
  local n, steps, first_at = 0, 0, nil

  local function submit(t, d)
    n = n + 1
    d.n, d.at = n, now()
    first_at = first_at or d.at
    local ok = conn:send(proto.submit(t, d))
    if ok then metrics.counter("wearable_submitted") end
    return ok
  end

  local open = true
  while open and vu.running() do
    local due = math.min(beat.due, next_hr, next_steps, next_accel)
    local wait = due - now()
    if wait > 0 then
      local msg, why = conn:recv(math.max(1, wait)) -- a timeout below 1 ms would mean "forever"
      if msg ~= nil then
        beat:saw(msg)
      elseif why ~= "timeout" then
        open = false
      end
    else
      local t_now = now()
      open = beat:tick(t_now)
      if open and t_now >= next_hr then
        open = submit("HEART_RATE", { val = math.random(55, 150) }) ~= nil
        next_hr = next_hr + hr_ms
      end
      if open and t_now >= next_steps then
        steps = steps + math.random(0, 20)
        open = submit("STEPS", { val = steps }) ~= nil
        next_steps = next_steps + steps_ms
      end
      if open and t_now >= next_accel then
        open = submit("ACCELERATION", { d = { math.random() - 0.5, math.random() - 0.5, 9.81 } }) ~= nil
        next_accel = next_accel + accel_ms
      end
    end
  end

  if not check("wearable producer connection stays open", open,
      string.format("closed %s %s", tostring(conn:close_code()), tostring(conn:close_reason()))) then
    return
  end
  conn:send(proto.submit(producer.fin_type, { val = n, first_at = first_at or now() }))
  conn:close(1000, "done")
end

return producer
