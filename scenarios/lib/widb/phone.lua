-- Persona core: a phone running the WiDB mobile library (protocol 000, docs/protocols/widb.md).
-- Connects, sends startSession, then a logDump every dump_ms and a deviceMetrics every
-- metrics_ms until the run stops; then a last dump with its end marker, endSession, and a
-- close. It never expects a frame back (§3.4). android.lua and ios.lua set the OS defaults.
--
-- Every line's text starts with a marker the dashboards account for (dashboard.lua):
--   "drv ID N K/L"      dump N (1, 2, ...), line K of L, of phone ID
--   "drv ID N 1/L @AT"  the first line also carries AT = now() when the dump was sent (run
--                       clock, ms): dashboards in the same drover process compute latency
--   "drv ID FIN N M"    the end marker (its own dump): N dumps and M deviceMetrics were sent
-- Metrics: counters widb_dumps_sent, widb_lines_sent, widb_metrics_sent; checks "widb phone ...".
local proto = require("widb.proto")

local phone = {}

local words = { "onResume", "fetching", "cache hit", "GC freed 1024K", "layout pass", "sensor event",
  "aX: 3.0262709 aY: 2.0685902", "request 200 OK in 48 ms", "bitmap decoded", "db query 3 rows" }

-- opts: id (unique string, no spaces), api_key, os ("Android"|"iOS"), line (function(text, i) -> line),
-- dump_ms, metrics_ms, lines (per dump), send_os_in_dump (bool), start_delay_ms, connect_opts.
function phone.run(opts)
  local conn, err, message = ws.connect(opts.connect_opts or {})
  if not check("widb phone connected", conn ~= nil, message or err) then return end
  conn:send(proto.start_session(opts.api_key, opts.os, "drover " .. opts.os .. " " .. opts.id, "drover-fleet"))
  local dump_os = opts.send_os_in_dump and opts.os or nil
  local lines_per_dump = opts.lines or 2

  -- Dumps start after a delay (the dashboards associate first) and a random phase so that
  -- phones that started together do not send together.
  if not sleep((opts.start_delay_ms or 2000) + math.random() * opts.dump_ms) then
    conn:close(1000, "run over before the first dump")
    return
  end
  local n, metrics_sent = 0, 0
  local next_dump, next_metrics = now(), now() + math.random() * opts.metrics_ms
  local open = true
  while open and vu.running() do
    local t = now()
    if t >= next_dump then
      n = n + 1
      local lines = {}
      for k = 1, lines_per_dump do
        local text = string.format("drv %s %d %d/%d", opts.id, n, k, lines_per_dump)
        if k == 1 then text = text .. string.format(" @%.3f", now()) end
        lines[k] = opts.line(text .. " " .. words[math.random(#words)], n * lines_per_dump + k)
      end
      open = conn:send(proto.log_dump(lines, dump_os)) ~= nil
      if open then
        metrics.counter("widb_dumps_sent")
        metrics.counter("widb_lines_sent", lines_per_dump)
      end
      next_dump = next_dump + opts.dump_ms
    end
    if open and t >= next_metrics then
      metrics_sent = metrics_sent + 1
      open = conn:send(proto.device_metrics(opts.os, { cpu = math.random() * 0.8, mem_kb = math.random(500000, 1800000),
        mem_total_kb = 3774873, sent_bps = math.random() * 50000, recv_bps = math.random() * 200000,
        ts = 1700000000000 + math.floor(now()) })) ~= nil
      if open then metrics.counter("widb_metrics_sent") end
      next_metrics = next_metrics + opts.metrics_ms
    end
    local wait = math.min(next_dump, next_metrics) - now()
    if open and wait > 0 then sleep(wait) end
  end
  if not check("widb phone connection stays open", open and conn:is_open(),
      string.format("closed %s %s", tostring(conn:close_code()), tostring(conn:close_reason()))) then
    return
  end
  conn:send(proto.log_dump({ opts.line(string.format("drv %s FIN %d %d", opts.id, n, metrics_sent), 0) }, dump_os))
  conn:send(proto.end_session())
  conn:close(1000, "app closed")
end

return phone
