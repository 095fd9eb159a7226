-- 8.x / 9.x Real dialect, dashboards (docs/protocols/vstats.md §14): a snapshot (stream_init,
-- total_servers stream_server, stream_end) on connect, then a delta every 5 s carrying what
-- changed.
local S = require("support")
local proto = S.proto

local cases = {}

local function is(kind) return function(m) return type(m) == "table" and m.type == kind end end

-- Reads the snapshot; returns init, servers (list), ended (bool), problems (list).
local function read_snapshot(t, d)
  local problems, servers = {}, {}
  local first = d:recv(S.prompt_ms)
  if type(first) ~= "table" or first.type ~= "stream_init" then
    return nil, servers, false, { "the first message is not stream_init: " .. S.describe(first) }
  end
  local total = first.total_servers
  if math.type(total) ~= "integer" then problems[#problems + 1] = "total_servers is not an integer" total = 0 end
  while true do
    local msg = d:recv(S.prompt_ms)
    if type(msg) ~= "table" then
      problems[#problems + 1] = "no stream_end within " .. S.ms(S.prompt_ms)
      return first, servers, false, problems
    end
    if msg.type == "stream_end" then break end
    if msg.type ~= "stream_server" then
      problems[#problems + 1] = string.format("%s before stream_end (after %d stream_server)", tostring(msg.type),
        #servers)
      return first, servers, false, problems
    end
    if msg.index ~= #servers or msg.total ~= total then
      problems[#problems + 1] = string.format("stream_server #%d has index %s, total %s (expected %d, %d)",
        #servers + 1, tostring(msg.index), tostring(msg.total), #servers, total)
    end
    servers[#servers + 1] = msg.server
  end
  if #servers ~= total then
    problems[#problems + 1] = string.format("stream_init announced %d servers, %d stream_server came", total, #servers)
  end
  return first, servers, true, problems
end

cases[#cases + 1] = {
  id = "8.1", group = "real-stream", title = "Snapshot: stream_init, total_servers x stream_server, stream_end",
  description = "A dashboard connects and reads its first messages.",
  expectation = "stream_init {total_servers: N} first, then N stream_server with index 0..N-1 and total N, then " ..
    "stream_end, with nothing else in between.",
  reference = "docs/protocols/vstats.md §14.3",
  run = function(t)
    local d = S.dashboard(t)
    local init, servers, ended, problems = read_snapshot(t, d)
    for _, p in ipairs(problems) do t:fail(p) end
    if init and ended and #problems == 0 then t:ok(string.format("snapshot of %d servers", #servers)) end
  end,
}

cases[#cases + 1] = {
  id = "8.2", group = "real-stream", title = "An authenticated server is in the next snapshot, online, with its report",
  description = "An agent authenticates and reports (cpu usage 71.5); SETTLE_MS later a dashboard connects and " ..
    "looks for the server in its snapshot.",
  expectation = "A stream_server with the agent's server_id, online: true, and metrics carrying the report " ..
    "(cpu.usage 71.5).",
  reference = "docs/protocols/vstats.md §14.3",
  run = function(t)
    local a = S.real_agent(t, "a")
    local answer = a:auth()
    if not (answer and answer.status == "ok") then
      t:info("not judged: the agent was not authenticated (7.1 judges auth)")
      return
    end
    a:real_report({ usage = 71.5 })
    t:recv_until(a.conn, function() return false end, S.settle_ms)
    local d = S.dashboard(t)
    local _, servers = read_snapshot(t, d)
    local mine
    for _, s in ipairs(servers) do
      if type(s) == "table" and s.server_id == a.id then mine = s end
    end
    if not mine then return t:fail("the snapshot does not list " .. a.id) end
    t:check(mine.online == true, "listed online", mine.online)
    local m = mine.metrics
    t:check(type(m) == "table" and type(m.cpu) == "table" and m.cpu.usage == 71.5, "listed with its last report",
      type(m) == "table" and m.cpu or m)
  end,
}

cases[#cases + 1] = {
  id = "9.1", group = "real-stream", title = "A delta every 5 s",
  description = "A dashboard reads its snapshot, then times the gaps between 4 deltas (3 gaps). " ..
    "DELTA_INTERVAL_MS (D) is the expected period. Trend vstats_delta_gap.",
  expectation = "Every gap D +- max(0.2 x D, 100 ms) (shorter: NON-STRICT; longer: FAILED); ts an integer.",
  reference = "docs/protocols/vstats.md §14.4",
  run = function(t)
    local D = S.delta_interval_ms
    local tol = math.max(D * 0.2, 100)
    local d = S.dashboard(t)
    read_snapshot(t, d)
    local times, bad_ts = {}, 0
    while #times < 4 do
      local msg, at = d:await(is("delta"), D * 2 + tol)
      if not msg then break end
      if math.type(msg.ts) ~= "integer" then bad_ts = bad_ts + 1 end
      times[#times + 1] = at
    end
    if #times < 4 then
      return t:fail(string.format("%d deltas within %s of each other; expected one every %s", #times, S.ms(D * 2 + tol),
        S.ms(D)))
    end
    local late, early = {}, {}
    for i = 2, #times do
      local gap = times[i] - times[i - 1]
      metrics.trend("vstats_delta_gap", gap)
      if gap > D + tol then late[#late + 1] = S.ms(gap) end
      if gap < D - tol then early[#early + 1] = S.ms(gap) end
    end
    t:check(bad_ts == 0, "every delta's ts is an integer", bad_ts .. " not")
    local text = string.format("delta gaps, expected %s +- %s", S.ms(D), S.ms(tol))
    if #late > 0 then t:fail(text .. "; late: " .. table.concat(late, ", "))
    elseif #early > 0 then t:non_strict(text .. "; early: " .. table.concat(early, ", "))
    else t:ok(text) end
  end,
}

cases[#cases + 1] = {
  id = "9.2", group = "real-stream", title = "A report's figures arrive in a delta",
  description = "A dashboard reads its snapshot; an agent authenticates and reports cpu usage 63.4 and uptime 4321. " ..
    "The dashboard waits up to 2 x DELTA_INTERVAL_MS + SETTLE_MS for a delta entry about the server with figures.",
  expectation = "A delta with d[] entry {id: the server, m: {c: 63, up: 4321, ...}} (c rounded to an integer).",
  reference = "docs/protocols/vstats.md §14.4",
  run = function(t)
    local d = S.dashboard(t)
    read_snapshot(t, d)
    local a = S.real_agent(t, "a")
    local answer = a:auth()
    if not (answer and answer.status == "ok") then
      t:info("not judged: the agent was not authenticated (7.1 judges auth)")
      return
    end
    a:real_report({ usage = 63.4, uptime = 4321 })
    local entry
    d:await(function(m)
      if not (type(m) == "table" and m.type == "delta" and type(m.d) == "table") then return false end
      for _, e in ipairs(m.d) do
        if type(e) == "table" and e.id == a.id and type(e.m) == "table" then entry = e return true end
      end
      return false
    end, S.delta_interval_ms * 2 + S.settle_ms)
    if not entry then return t:fail("no delta carried figures for " .. a.id) end
    t:check(entry.m.c == 63 and entry.m.up == 4321, "the delta carries the report's figures (c 63, up 4321)", entry.m)
  end,
}

return cases
