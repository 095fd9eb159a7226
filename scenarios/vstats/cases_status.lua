-- 3.x Status (docs/protocols/vstats.md §7): online when an agent connects, offline after three
-- missed reports (not before, not much after), heartbeats count as life, online again when the
-- agent speaks.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "3.1", group = "status", title = "Status online when an agent connects",
  description = "A dashboard connects, then an agent, which sends nothing. The dashboard waits up to " ..
    "max(1 s, REPORT_INTERVAL_MS) for a status message about the agent's server. Trend vstats_online.",
  expectation = "status {server_id: the agent's server, online: true}, before any report was sent.",
  reference = "docs/protocols/vstats.md §7.1",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    local msg, at = d:await(S.about("status", a.id), S.prompt_ms)
    if not msg then
      t:fail(string.format("no status for %s within %s of the agent connecting (%s)", a.id, S.ms(S.prompt_ms),
        tostring(at)))
      return
    end
    t:check(msg.data.online == true, "the first status of the new agent's server says online: true", msg.data)
    t:measure("vstats_online", at - a.opened_at, "agent connected to status online")
  end,
}

local function offline_case_run(t)
  local d = S.dashboard(t)
  local a = S.agent(t, "a")
  local I, missed = S.report_interval_ms, S.missed_reports
  local offline = function(m) return proto.is(m, "status", a.id) and type(m.data) == "table" and m.data.online == false end
  -- Report on time, missed times; no offline may come meanwhile.
  local last
  for i = 1, missed do
    last = a:report() or now()
    local early = d:gather(offline, i < missed and I or 1, offline)
    if #early > 0 then
      t:fail(string.format("status offline while the agent reported every interval (report %d of %d)", i, missed))
      return
    end
  end
  local expected, margin = I * missed, S.offline_margin(I)
  local msg, at = d:await(offline, math.max(1, last + I * (missed + 1) + margin + S.settle_ms - now()))
  if not msg then
    t:fail(string.format("no status offline within %s of the last report (%d missed reports are due at %s)",
      S.ms(now() - last), missed, S.ms(expected)))
    return
  end
  local after = at - last
  metrics.trend("vstats_offline_after", after)
  local text = string.format("status offline %s after the last report = %.2f x interval (expected %s +- %s)",
    S.ms(after), after / I, S.ms(expected), S.ms(margin))
  if after < expected - margin then
    t:fail(text .. ": before the third missed report")
  elseif after <= expected + margin then
    t:ok(text)
  elseif after <= I * (missed + 1) + margin then
    t:non_strict(text .. ": late, within one more interval (a server that checks once per interval)")
  else
    t:fail(text .. ": too late")
  end
  -- Online again as soon as the agent reports.
  local again_at = a:report() or now()
  local online, oat = d:await(function(m) return proto.is(m, "status", a.id) end, S.prompt_ms)
  if online and type(online.data) == "table" and online.data.online == true then
    t:ok(string.format("status online again %s after the next report", S.ms(oat - again_at)))
  else
    t:fail(string.format("no status online within %s of the agent reporting again (got %s)", S.ms(S.prompt_ms),
      online and S.describe(online) or tostring(oat)))
  end
end

cases[#cases + 1] = {
  id = "3.2", group = "status", title = "Offline after 3 missed reports, online again on the next",
  description = "A dashboard connects, then an agent, which reports 3 times one REPORT_INTERVAL_MS (I) apart and " ..
    "then falls silent (staying connected and answering pings). Time the status offline from the last report; " ..
    "then report again.",
  expectation = "No offline while reporting. Offline at 3 x I +- (I/2 + 100 ms) after the last report: earlier is " ..
    "FAILED, later up to 4 x I + that margin NON-STRICT, later still or never FAILED. After the new report, " ..
    "status online: true promptly.",
  reference = "docs/protocols/vstats.md §7.2, §7.4, §11",
  run = offline_case_run,
}

cases[#cases + 1] = {
  id = "3.3", group = "status", title = "Heartbeats keep a server online",
  description = "A dashboard connects, then an agent; it sends one report, then only heartbeats, one every " ..
    "REPORT_INTERVAL_MS (I), for 4.5 x I.",
  expectation = "No status offline for the agent's server, and the agent stays connected.",
  reference = "docs/protocols/vstats.md §7.3, §4.2",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    local I = S.report_interval_ms
    local offline = function(m) return proto.is(m, "status", a.id) and type(m.data) == "table" and m.data.online == false end
    a:report()
    local stop_at, seen = now() + I * 4.5, {}
    while now() < stop_at do
      local got = d:gather(offline, math.min(I, stop_at - now()), offline)
      if #got > 0 then seen[#seen + 1] = got[1] break end
      if now() < stop_at then a:heartbeat() end
    end
    if #seen > 0 then
      t:fail(string.format("status offline %s after the report although heartbeats came every %s",
        S.ms(seen[1].at - a.sent[1]), S.ms(I)))
    else
      t:ok(string.format("no status offline during %s of heartbeats only", S.ms(I * 4.5)))
    end
    t:check(a.conn:is_open(), "the agent is still connected",
      string.format("closed %s %s", tostring(a.conn:close_code()), tostring(a.conn:close_reason())))
  end,
}

return cases
