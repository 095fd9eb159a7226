-- 2.x Metrics forwarding (docs/protocols/vstats.md §6): every report reaches every dashboard as
-- a metrics message for the right server, with the report's figures, once each and in order; a
-- heartbeat is accepted and is not a report.
local S = require("support")
local proto = S.proto

local cases = {}

local function figures_match(t, where, msg, sent)
  local m = type(msg.data) == "table" and msg.data.metrics or nil
  if type(m) ~= "table" then return t:fail(where .. ": data.metrics is missing") end
  local d = sent.data
  local cpu, mem, net = m.cpu or {}, m.memory or {}, m.network or {}
  t:check(cpu.usage == d.cpu.usage and cpu.cores == d.cpu.cores, where .. ": cpu usage and cores as reported",
    { usage = cpu.usage, cores = cpu.cores })
  t:check(mem.total == d.memory.total and mem.used == d.memory.used, where .. ": memory total and used as reported",
    { total = mem.total, used = mem.used })
  local disks_ok = type(m.disks) == "table" and #m.disks == #d.disks
  if disks_ok then
    for i, disk in ipairs(d.disks) do
      local got = m.disks[i]
      disks_ok = disks_ok and type(got) == "table" and got.name == disk.name and got.total == disk.total and
        got.used == disk.used
    end
  end
  t:check(disks_ok, where .. ": disks as reported (name, total, used)", m.disks)
  t:check(net.rx == d.network.total_rx and net.tx == d.network.total_tx,
    where .. ": network rx/tx = the report's total_rx/total_tx", { rx = net.rx, tx = net.tx })
end

cases[#cases + 1] = {
  id = "2.1", group = "metrics", title = "A report reaches every dashboard for the agent's server_id",
  description = "Two dashboards connect, then an agent; it sends one full report. Each dashboard waits (up to " ..
    "max(1 s, REPORT_INTERVAL_MS)) for a metrics message carrying the report's figures. Trend " ..
    "vstats_metrics_latency: agent send to dashboard receive.",
  expectation = "Each dashboard gets metrics with data.server_id = the agent's server and the report's cpu " ..
    "usage/cores, memory total/used, disks and network rx/tx (= total_rx/total_tx).",
  reference = "docs/protocols/vstats.md §6.1, §6.2, §6.3",
  run = function(t)
    local dashboards = { S.dashboard(t, "dashboard 1"), S.dashboard(t, "dashboard 2") }
    local a = S.agent(t, "a")
    local report = proto.report({ tag = a.tag, n = 1, usage = 37.5, cores = 12, disks = 2 })
    a.n = 1
    local sent_at = t:send(a.conn, report) or now()
    for _, d in ipairs(dashboards) do
      local msg, at = d:await(function(m) return proto.is(m, "metrics", a.id) or a:carries(m) end, S.prompt_ms)
      if not msg then
        t:fail(string.format("%s: no metrics for %s within %s (%s)", d.name, a.id, S.ms(S.prompt_ms), tostring(at)))
      else
        t:check(proto.server_of(msg) == a.id, d.name .. ": data.server_id is the agent's server " .. a.id,
          proto.server_of(msg))
        figures_match(t, d.name, msg, report)
        t:measure("vstats_metrics_latency", at - sent_at, d.name)
      end
    end
  end,
}

cases[#cases + 1] = {
  id = "2.2", group = "metrics", title = "Two agents: each report under its own server_id",
  description = "A dashboard connects, then agents A and B; they send two reports each, interleaved (A, B, A, B). " ..
    "The dashboard collects the metrics messages carrying either agent's figures.",
  expectation = "Both of A's reports arrive with A's server_id and both of B's with B's; none under the other's " ..
    "(or any other) id.",
  reference = "docs/protocols/vstats.md §6.2",
  run = function(t)
    local d = S.dashboard(t)
    local a, b = S.agent(t, "a"), S.agent(t, "b")
    a:report() b:report() a:report() b:report()
    local got = d:gather(function(m) return a:carries(m) or b:carries(m) end, S.prompt_ms)
    local count = { [a.id] = 0, [b.id] = 0 }
    for _, e in ipairs(got) do
      local owner = a:carries(e.msg) and a or b
      local id = proto.server_of(e.msg)
      if id == owner.id then
        count[owner.id] = count[owner.id] + 1
      else
        t:fail(string.format("a report of %s arrived under server_id %s", owner.id, tostring(id)))
      end
    end
    for _, x in ipairs({ a, b }) do
      t:check(count[x.id] >= 2, string.format("%s's 2 reports arrived under its own server_id", x.id),
        string.format("%d of 2", count[x.id]))
    end
  end,
}

local reports = 10

cases[#cases + 1] = {
  id = "2.3", group = "metrics", title = "Every report once, in order",
  description = string.format("A dashboard connects, then an agent; it sends %d reports 10 ms apart, numbered " ..
    "by network.total_tx. The dashboard collects this server's metrics messages until all came or " ..
    "max(1 s, REPORT_INTERVAL_MS) passed, then SETTLE_MS more for duplicates.", reports),
  expectation = string.format("Exactly %d metrics messages for the agent's server, numbered 1 to %d in order: " ..
    "none lost, none twice, none out of order.", reports, reports),
  reference = "docs/protocols/vstats.md §6.1, §6.4",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    local mine, seq = S.about("metrics", a.id), {}
    local function take(list)
      for _, e in ipairs(list) do
        local _, tx = proto.network_of(e.msg)
        seq[#seq + 1] = tx
      end
    end
    for i = 1, reports do
      a:report()
      if i < reports then take(d:gather(mine, 10)) end
    end
    take(d:gather(mine, S.prompt_ms, function() return #seq + 1 >= reports end))
    take(d:gather(mine, S.settle_ms))
    local expected = {}
    for i = 1, reports do expected[i] = i end
    local text = table.concat((function() local s = {} for i, v in ipairs(seq) do s[i] = tostring(v) end return s end)(), ",")
    t:check(#seq == reports and table.concat(expected, ",") == text,
      string.format("reports 1..%d arrived once each, in order", reports), "[" .. text .. "]")
  end,
}

cases[#cases + 1] = {
  id = "2.4", group = "metrics", title = "A heartbeat is accepted and is not a report",
  description = "A dashboard connects, then an agent; it sends three heartbeats 50 ms apart and no report. " ..
    "Watch the agent and the dashboard for SETTLE_MS x 2 after the last one.",
  expectation = "The agent stays connected, and no metrics message for its server arrives.",
  reference = "docs/protocols/vstats.md §4.2, §6.5",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    local metrics_seen = {}
    for i = 1, 3 do
      a:heartbeat()
      for _, e in ipairs(d:gather(S.about("metrics", a.id), i < 3 and 50 or S.settle_ms * 2)) do
        metrics_seen[#metrics_seen + 1] = e.msg
      end
    end
    t:check(a.conn:is_open(), "the agent is still connected after its heartbeats",
      string.format("closed %s %s", tostring(a.conn:close_code()), tostring(a.conn:close_reason())))
    t:check(#metrics_seen == 0, "no metrics message for a heartbeat", metrics_seen[1])
  end,
}

return cases
