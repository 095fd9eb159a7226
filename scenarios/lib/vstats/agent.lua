-- Persona: a vStats agent (docs/protocols/vstats.md §4). Connects to /ws/agent?token=T, sends
-- a full metrics report every interval (the first after start_delay plus a random fraction of
-- the interval, so that agents started together do not report together) and a heartbeat
-- half-way between reports; drover answers the server's pings. When the run stops it sends a
-- last report marked as the end and closes with 1000 (which deregisters its server, §8.2).
--
-- Every report carries two figures the dashboards account with, in fields the documented
-- metrics message keeps (§6.3): network.total_tx (-> tx) = n, the report's number (1, 2,
-- 3 ...), and network.total_rx (-> rx) = when it was sent, in microseconds on the run clock
-- (dashboards in the same drover process compute end-to-end latency from it). The end marker is
-- a report with cpu.cores = 0 whose total_tx is the number of reports sent before it plus one.
--
-- Metrics: counter vstats_reports_sent (end marker excluded), vstats_heartbeats_sent; checks
-- "vstats agent connected", "vstats agent stayed connected".
local proto = require("vstats.proto")

local agent = {}

-- opts: url (the /ws/agent endpoint), token, interval_ms (2000), heartbeat (true),
-- start_delay_ms (2000: lets dashboards connect first), connect_opts.
function agent.run(opts)
  local connect_opts = opts.connect_opts or {}
  connect_opts.query = { token = opts.token }
  local conn, err, message = ws.connect(opts.url, connect_opts)
  if not check("vstats agent connected", conn ~= nil, message or err) then return end
  local interval = opts.interval_ms or 2000
  local next_report = now() + (opts.start_delay_ms or 2000) + math.random() * interval
  local next_beat = opts.heartbeat == false and math.huge or next_report + interval / 2
  local n, open = 0, true

  local function report(last)
    n = n + 1
    local msg = proto.report({ n = n, tag = math.floor(now() * 1000), cores = last and 0 or 8,
                               hostname = opts.hostname })
    local ok = conn:send(msg)
    if ok and not last then metrics.counter("vstats_reports_sent") end
    return ok ~= nil
  end

  while open and vu.running() do
    local due = math.min(next_report, next_beat)
    local wait = due - now()
    if wait > 0 then
      local msg, why = conn:recv(math.max(1, math.min(wait, 1000)))  -- the server sends agents nothing
      if msg == nil and why ~= "timeout" then open = false end
    elseif now() >= next_report then
      open = report(false)
      next_report = next_report + interval
    else
      open = conn:send(proto.heartbeat()) ~= nil
      if open then metrics.counter("vstats_heartbeats_sent") end
      next_beat = next_beat + interval
    end
  end
  check("vstats agent stayed connected", open, string.format("closed %s %s", tostring(conn:close_code()),
    tostring(conn:close_reason())))
  if open then
    report(true)
    conn:close(1000, "agent stops")
  end
end

return agent
