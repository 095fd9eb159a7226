-- Persona: a vStats dashboard (docs/protocols/vstats.md §3). Connects to /ws and accounts for
-- every report of the agents in scenarios/lib/vstats/agent.lua, per server_id:
--   * network.tx numbers each report (1, 2, 3 ...): each must arrive once, in order, none
--     missing up to the end marker (cpu.cores = 0), which says how many came before it;
--   * end-to-end latency = arrival (C++ stamp) - network.rx (the agent's now() at sending, in
--     microseconds): trend vstats_e2e (one process, one clock).
-- Agents are known from their first report or their status online, whichever comes first.
-- When the run stops it keeps receiving (the agents' last reports and end markers are on their
-- way) until every agent it heard from has sent its end marker and 300 ms passed without a
-- report, or grace_ms passed; then it counts, always (so thresholds "count == 0" work):
--   vstats_delivered (reports received), vstats_lost (reports it should have got and did not),
--   vstats_duplicates, vstats_out_of_order, vstats_unfinished (agents without an end marker),
--   vstats_offline_seen (status offline for an agent still reporting, for the record);
-- and checks "vstats dashboard: every report accounted for".
local proto = require("vstats.proto")

local dashboard = {}

local function account(streams)
  local lost, dups, unordered, unfinished, worst = 0, 0, 0, 0, nil
  for id, s in pairs(streams) do
    local to = s.max or 0
    if s.fin then to = math.max(to, s.fin - 1) else unfinished = unfinished + 1 end
    local missing = 0
    for n = 1, to do
      if not s.seen[n] then missing = missing + 1 end
    end
    if missing > 0 and (not worst or missing > worst.missing) then worst = { id = id, missing = missing } end
    lost, dups, unordered = lost + missing, dups + s.dups, unordered + s.unordered
  end
  return lost, dups, unordered, unfinished, worst
end

-- opts: url (the /ws endpoint), grace_ms (5000), connect_opts.
function dashboard.run(opts)
  local conn, err, message = ws.connect(opts.url, opts.connect_opts)
  if not check("vstats dashboard connected", conn ~= nil, message or err) then return end
  local streams, open_streams = {}, 0
  local delivered, offline_seen, stop_at, last_report_at = 0, 0, nil, now()
  local grace = opts.grace_ms or 5000

  local function stream(id)
    local s = streams[id]
    if not s then
      s = { seen = {}, dups = 0, unordered = 0 }
      streams[id] = s
      open_streams = open_streams + 1
    end
    return s
  end

  local function on_metrics(msg)
    local data = msg.data
    if type(data) ~= "table" or type(data.server_id) ~= "string" or type(data.metrics) ~= "table" then return end
    local rx, n = proto.network_of(msg)
    if math.type(n) ~= "integer" then return end
    local s = stream(data.server_id)
    last_report_at = now()
    if type(rx) == "number" then metrics.trend("vstats_e2e", (conn:last_recv_time() or now()) - rx / 1000) end
    local cpu = data.metrics.cpu
    if type(cpu) == "table" and cpu.cores == 0 then
      if not s.fin then open_streams = open_streams - 1 end
      s.fin = n
      return
    end
    delivered = delivered + 1
    if s.seen[n] then
      s.dups = s.dups + 1
    else
      if s.max and n < s.max then s.unordered = s.unordered + 1 end
      s.seen[n] = true
    end
    s.max = math.max(s.max or 0, n)
  end

  while true do
    if not vu.running() and not stop_at then stop_at = now() end
    if stop_at and (now() - stop_at > grace or (open_streams == 0 and now() - last_report_at > 300)) then break end
    local msg, why = conn:recv(stop_at and 100 or 1000)
    if msg == nil then
      if why ~= "timeout" then break end
    elseif type(msg) == "table" and msg.type == "metrics" then
      on_metrics(msg)
    elseif type(msg) == "table" and msg.type == "status" and type(msg.data) == "table" then
      -- An agent that came online is expected to report and to end with its marker, so one
      -- whose reports never arrive is counted (unfinished) rather than unseen.
      if msg.data.online == true and type(msg.data.server_id) == "string" then stream(msg.data.server_id) end
      local s = streams[msg.data.server_id]
      if msg.data.online == false and s and not s.fin then offline_seen = offline_seen + 1 end
    end
  end

  local lost, dups, unordered, unfinished, worst = account(streams)
  metrics.counter("vstats_delivered", delivered)
  metrics.counter("vstats_lost", lost)
  metrics.counter("vstats_duplicates", dups)
  metrics.counter("vstats_out_of_order", unordered)
  metrics.counter("vstats_unfinished", unfinished)
  metrics.counter("vstats_offline_seen", offline_seen)
  check("vstats dashboard: every report accounted for", lost == 0 and dups == 0 and unordered == 0 and unfinished == 0,
    string.format("%d lost (worst %s: %d), %d duplicates, %d out of order, %d agents without an end marker", lost,
      worst and worst.id or "-", worst and worst.missing or 0, dups, unordered, unfinished))
  if conn:is_open() then conn:close(1000, "dashboard done") end
end

return dashboard
