-- Persona: a developer's dashboard (protocol 001 consumer). IDENTIFIES as a consumer,
-- heartbeats at the announced interval, and accounts for every DISPATCH of the producers in
-- scenarios/lib/wearable/producer.lua:
--   * seq strictly increases over its whole stream;
--   * per producer (uid), d.n runs 1, 2, 3 ... without gaps or repeats, up to the count the
--     producer's end marker (t = DROVER_FIN) announces;
--   * end-to-end latency = arrival (C++ stamp) - d.at (the producer's now() at SUBMIT): trend
--     wearable_e2e (one process, one clock).
-- When the run stops it keeps receiving (the producers' last SUBMITs and end markers are on
-- their way) until every producer it heard from has sent its end marker and 300 ms passed
-- without a DISPATCH, or grace_ms passed; then it checks and counts:
--   counter wearable_delivered (data DISPATCHes received), counter wearable_lost (SUBMITs it
--   should have got and did not: always recorded, so a threshold "count == 0" works),
--   counter wearable_duplicates, counter wearable_unfinished (producers whose end marker did
--   not arrive), checks "wearable consumer: every DISPATCH accounted for" and
--   "wearable consumer: seq strictly increasing".
-- A producer whose first SUBMIT predates this consumer's READY is only held to the messages
-- from the first one seen (counter wearable_partial_streams).
local proto = require("wearable.proto")
local session = require("wearable.session")

local consumer = {}

local fin_type = "DROVER_FIN"

local function account(streams, ready_at)
  local lost, dups, unfinished, partial, worst = 0, 0, 0, 0, nil
  for uid, s in pairs(streams) do
    local from, to = 1, s.max_n or 0
    if s.fin then
      to = math.max(to, s.fin.val or 0)
      if (s.fin.first_at or 0) < ready_at then
        from, partial = s.min_n, partial + 1
      end
    else
      unfinished = unfinished + 1
      if s.min_n and s.min_n > 1 then from = s.min_n end
    end
    local missing = 0
    if s.max_n then
      for n = from, to do
        if not s.seen[n] then missing = missing + 1 end
      end
    else
      missing = to -- announced, none arrived
    end
    if missing > 0 and (not worst or missing > worst.missing) then worst = { uid = uid, missing = missing } end
    lost = lost + missing
    dups = dups + s.dups
  end
  return lost, dups, unfinished, partial, worst
end

-- opts: token, grace_ms (5000), connect_opts.
function consumer.run(opts)
  local conn, interval, ready_at = session.open("consumer", opts.token, opts.connect_opts)
  if not conn then return end

  local streams, last_seq, seq_errors, first_seq_error = {}, nil, 0, nil
  local delivered, stop_at, last_dispatch_at, open_streams = 0, nil, now(), 0
  local grace = opts.grace_ms or 5000
  local beat = session.beater(conn, interval)
  local open = true

  local function on_dispatch(msg)
    local seq = msg.seq
    if last_seq and not (type(seq) == "number" and seq > last_seq) then
      seq_errors = seq_errors + 1
      first_seq_error = first_seq_error or string.format("seq %s after %s", tostring(seq), tostring(last_seq))
    end
    if type(seq) == "number" then last_seq = seq end
    local d, uid = msg.d, msg.uid
    if type(d) ~= "table" or type(uid) ~= "string" then return end
    local s = streams[uid]
    if not s then
      s = { seen = {}, dups = 0 }
      streams[uid] = s
      open_streams = open_streams + 1
    end
    last_dispatch_at = now()
    if msg.t == fin_type then
      if not s.fin then open_streams = open_streams - 1 end
      s.fin = d
      return
    end
    local n = d.n
    if math.type(n) == nil then return end -- not one of our producers' readings
    delivered = delivered + 1
    metrics.counter("wearable_delivered")
    if type(d.at) == "number" then metrics.trend("wearable_e2e", conn:last_recv_time() - d.at) end
    if s.seen[n] then s.dups = s.dups + 1 end
    s.seen[n] = true
    if not s.max_n or n > s.max_n then s.max_n = n end
    if not s.min_n or n < s.min_n then s.min_n = n end
  end

  while open do
    local t_now = now()
    if not stop_at and not vu.running() then stop_at = t_now end
    if stop_at and (t_now >= stop_at + grace or (open_streams == 0 and t_now >= last_dispatch_at + 300)) then
      break
    end
    open = beat:tick(t_now)
    local limit = math.min(beat.due, t_now + (stop_at and 100 or 500))
    local msg, why = conn:recv(math.max(1, limit - now()))
    if msg ~= nil then
      if proto.is_op(msg, proto.op.DISPATCH) then on_dispatch(msg) else beat:saw(msg) end
    elseif why ~= "timeout" then
      open = false
    end
  end

  check("wearable consumer connection stays open", open,
    string.format("closed %s %s", tostring(conn:close_code()), tostring(conn:close_reason())))
  local lost, dups, unfinished, partial, worst = account(streams, ready_at)
  local producers = 0
  for _ in pairs(streams) do producers = producers + 1 end
  metrics.counter("wearable_lost", lost)
  metrics.counter("wearable_duplicates", dups)
  metrics.counter("wearable_unfinished", unfinished)
  metrics.counter("wearable_partial_streams", partial)
  -- Without its end marker a producer's last readings cannot be accounted for: that fails too.
  check("wearable consumer: every DISPATCH accounted for", lost == 0 and dups == 0 and unfinished == 0,
    string.format("consumer %d: %d lost, %d duplicated, %d of %d producers without end marker after %d ms of " ..
      "grace%s", vu.id, lost, dups, unfinished, producers, grace,
      worst and string.format(" (worst: %s missing %d)", worst.uid, worst.missing) or ""))
  check("wearable consumer: seq strictly increasing", seq_errors == 0,
    string.format("consumer %d: %d violations, first: %s", vu.id, seq_errors, tostring(first_seq_error)))
  log(string.format("consumer %d: %d DISPATCHes from %d producers, %d lost, %d duplicated, %d without end marker",
    vu.id, delivered, producers, lost, dups, unfinished))
  if open then conn:close(1000, "done") end
end

return consumer
