-- Persona: the WiDB web dashboard (docs/protocols/widb.md §7). Associates with an apiKey and
-- accounts for every line of the phones in phone.lua that reaches it:
--   * per phone, lines arrive dump after dump, line after line (N, K) with none missing,
--     repeated or out of order, up to the count the phone's end marker announces;
--   * end-to-end latency = logData arrival (C++ stamp) - the @AT the phone put in the dump's
--     first line: trend widb_e2e (ms; one process, one run clock);
--   * forwarded deviceMetrics are counted against the phones' end markers.
-- When the run stops it keeps receiving until every phone it heard from has sent its end
-- marker and 300 ms passed without a message, or grace_ms passed; then it records:
--   counters widb_lines_delivered, widb_log_data, widb_metrics_delivered, widb_lost (lines it
--   should have got and did not: always recorded so that "count == 0" works), widb_duplicates
--   (lines seen twice), widb_out_of_order (lines that came after a later one),
--   widb_unfinished (phones without end marker), widb_metrics_lost, widb_partial_streams
--   (phones first seen mid-stream);
--   widb_silent_phones (phones of opts.expect_ids never heard from);
--   checks "widb dashboard: heard from its phones" (at least one, and every expected one),
--   "widb dashboard: every line accounted for", "widb dashboard: lines in order, none repeated".
local proto = require("widb.proto")

local dashboard = {}

local log_data_pattern = '"messageType"%s*:%s*"logData"'
local metrics_pattern = '"messageType"%s*:%s*"deviceMetrics"'

local function account(streams)
  local lost, unfinished, metrics_expected, worst = 0, 0, 0, nil
  for id, s in pairs(streams) do
    if s.fin then
      local total = s.fin.dumps * s.lines
      local missing = total - s.last
      if s.last == 0 then missing = total end
      if missing > 0 then
        lost = lost + missing
        if not worst or missing > worst.missing then worst = { id = id, missing = missing } end
      end
      metrics_expected = metrics_expected + s.fin.metrics
    else
      unfinished = unfinished + 1
    end
  end
  return lost, unfinished, metrics_expected, worst
end

-- opts: api_key, grace_ms (5000), connect_opts, expect_ids (optional list of the phone ids of
-- this key: each one must be heard from, else it counts in widb_silent_phones).
function dashboard.run(opts)
  local conn, err, message = ws.connect(opts.connect_opts or {})
  if not check("widb dashboard connected", conn ~= nil, message or err) then return end
  conn:send(proto.associate(opts.api_key))

  local streams = {}  -- phone id -> { lines = L, last = index of the last line seen, fin = {...} }
  local lost, dups, reordered, partial, delivered, log_data, metrics_in = 0, 0, 0, 0, 0, 0, 0
  local first_problem
  local stop_at, last_msg_at = nil, now()
  local grace_ms = opts.grace_ms or 5000

  -- A line past the next expected one marks the lines in between missing; if one of them
  -- comes later it was out of order, not lost. A line at or below one already seen that was
  -- not missing is a duplicate.
  local function line_seen(id, n, k, l)
    local s = streams[id]
    local index = (n - 1) * l + k
    if not s then
      s = { lines = l, last = 0, missing = {} }
      streams[id] = s
      if n > 1 then  -- first heard mid-stream: this dashboard associated after the phone began
        partial = partial + 1
        s.last = (n - 1) * l
      end
    end
    if index == s.last + 1 then
      s.last = index
    elseif index > s.last then
      for i = s.last + 1, index - 1 do s.missing[i] = true end
      lost = lost + (index - s.last - 1)
      first_problem = first_problem or string.format("phone %s: line %d.%d arrived after line #%d", id, n, k, s.last)
      s.last = index
    elseif s.missing[index] then
      s.missing[index] = nil
      lost, reordered = lost - 1, reordered + 1
    else
      dups = dups + 1
      first_problem = first_problem or string.format("phone %s: line %d.%d again (after line #%d)", id, n, k, s.last)
    end
  end

  local function finished()
    for _, s in pairs(streams) do
      if not s.fin then return false end
    end
    for _, id in ipairs(opts.expect_ids or {}) do
      if not streams[id] then return false end
    end
    return true
  end

  while true do
    local running = vu.running()
    if not running then
      stop_at = stop_at or now()
      if now() - stop_at > grace_ms then break end
      if finished() and now() - last_msg_at > 300 then break end
    end
    -- The raw text is scanned, not decoded: at thousands of logData a second, building a Lua
    -- table per entry costs more than everything else a dashboard does. The markers hold no
    -- character JSON or HTML would escape, so they read the same in the raw frame whatever
    -- shape the server gives its entries (objects, rendered strings, merged lines).
    local raw, why = conn:recv_raw(running and 1000 or 100)
    if raw == nil and why ~= "timeout" then break end
    if raw ~= nil then
      last_msg_at = now()
      if raw:find(log_data_pattern) then
        log_data = log_data + 1
        local arrived = conn:last_recv_time()
        for id, n, k, l in raw:gmatch("drv (%S+) (%d+) (%d+)/(%d+)") do
          delivered = delivered + 1
          line_seen(id, tonumber(n), tonumber(k), tonumber(l))
        end
        for at in raw:gmatch(" @([%d%.]+)") do metrics.trend("widb_e2e", arrived - tonumber(at)) end
        for id, dumps, sent in raw:gmatch("drv (%S+) FIN (%d+) (%d+)") do
          local s = streams[id] or { lines = 1, last = 0, missing = {} }
          streams[id] = s
          s.fin = { dumps = tonumber(dumps), metrics = tonumber(sent) }
        end
      elseif raw:find(metrics_pattern) then
        metrics_in = metrics_in + 1
      end
    end
  end

  local missing, unfinished, metrics_expected, worst = account(streams)
  local heard, silent = 0, 0
  for _ in pairs(streams) do heard = heard + 1 end
  for _, id in ipairs(opts.expect_ids or {}) do
    if not streams[id] then silent = silent + 1 end
  end
  metrics.counter("widb_silent_phones", silent)
  check("widb dashboard: heard from its phones", heard > 0 and silent == 0,
    string.format("%d phone(s) heard from, %d expected one(s) never", heard, silent))
  lost = lost + missing
  metrics.counter("widb_lines_delivered", delivered)
  metrics.counter("widb_log_data", log_data)
  metrics.counter("widb_metrics_delivered", metrics_in)
  metrics.counter("widb_lost", lost)
  metrics.counter("widb_duplicates", dups)
  metrics.counter("widb_out_of_order", reordered)
  metrics.counter("widb_unfinished", unfinished)
  metrics.counter("widb_partial_streams", partial)
  metrics.counter("widb_metrics_lost", math.max(0, metrics_expected - metrics_in))
  check("widb dashboard: every line accounted for", lost == 0 and unfinished == 0,
    string.format("%d line(s) lost, %d phone(s) without end marker%s%s", lost, unfinished,
      worst and string.format(" (worst: phone %s missing %d)", worst.id, worst.missing) or "",
      first_problem and ("; first: " .. first_problem) or ""))
  check("widb dashboard: lines in order, none repeated", dups == 0 and reordered == 0,
    string.format("%d out of order, %d repeated; first: %s", reordered, dups, tostring(first_problem)))
  if conn:is_open() then conn:close(1000, "dashboard closed") end
end

return dashboard
