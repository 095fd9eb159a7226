-- 5.x Envelope and schemas (docs/protocols/vstats.md §2, §3): every message to a dashboard is
-- {type, data, timestamp} and matches its schema. Both cases drive one agent through its whole
-- life (added, online, metrics, removed) and judge every message their dashboard receives,
-- the other cases' traffic included.
local S = require("support")
local proto = S.proto

local cases = {}

-- Connects a dashboard and an agent, reports, heartbeats and closes 1000; returns every
-- message the dashboard received meanwhile (until server_removed or a timeout).
local function life_of_an_agent(t)
  local d = S.dashboard(t)
  local a = S.agent(t, "a")
  a:report()
  a:heartbeat()
  d:await(S.about("metrics", a.id), S.prompt_ms)
  a.conn:close(1000, "agent deregisters", 2000)
  d:await(S.about("server_removed", a.id), S.prompt_ms)
  d:gather(function() return false end, S.settle_ms)
  return d.seen
end

local function count_types(seen)
  local counts = {}
  for _, e in ipairs(seen) do
    local k = type(e.msg) == "table" and tostring(e.msg.type) or type(e.msg)
    counts[k] = (counts[k] or 0) + 1
  end
  local parts = {}
  for k, n in pairs(counts) do parts[#parts + 1] = k .. " " .. n end
  table.sort(parts)
  return table.concat(parts, ", ")
end

cases[#cases + 1] = {
  id = "5.1", group = "envelope", title = "Every dashboard message is {type, data, timestamp}",
  description = "A dashboard watches an agent connect, report, heartbeat and close with 1000; every message it " ..
    "receives (any server's) is checked.",
  expectation = "type a string, data an object, timestamp an RFC 3339 date-time. A missing timestamp on " ..
    "server_added/server_removed is NON-STRICT (the vendor's examples omit it), on anything else FAILED; a " ..
    "clock more than 60 s off drover's is NON-STRICT.",
  reference = "docs/protocols/vstats.md §2.1, §2.2, §2.3",
  run = function(t)
    local seen = life_of_an_agent(t)
    local bad, variant, skewed = 0, 0, 0
    for _, e in ipairs(seen) do
      local m = e.msg
      local kind = type(m) == "table" and m.type
      if type(m) ~= "table" or type(m.type) ~= "string" or type(m.data) ~= "table" then
        bad = bad + 1
        t:fail("not {type, data, ...}: " .. S.describe(m))
      elseif m.timestamp == nil then
        if kind == "server_added" or kind == "server_removed" then
          variant = variant + 1
        else
          bad = bad + 1
          t:fail(kind .. " without timestamp: " .. S.describe(m))
        end
      else
        local at = proto.parse_time(m.timestamp)
        if not at then
          bad = bad + 1
          t:fail(kind .. ": timestamp is not RFC 3339: " .. S.describe(m.timestamp))
        elseif math.abs(at - os.time()) > 60 then
          skewed = skewed + 1
        end
      end
    end
    if variant > 0 then
      t:non_strict(string.format("%d server_added/server_removed without timestamp (variant)", variant))
    end
    if skewed > 0 then t:non_strict(string.format("%d timestamps more than 60 s off drover's clock", skewed)) end
    if #seen == 0 then t:fail("the dashboard received nothing to judge") end
    if bad == 0 and #seen > 0 then t:ok(string.format("%d messages judged (%s)", #seen, count_types(seen))) end
  end,
}

cases[#cases + 1] = {
  id = "5.2", group = "envelope", title = "Dashboard messages match their schemas",
  description = "As 5.1; every message is checked against schemas/vstats/server/*.schema.json (structural " ..
    "checks in lib/vstats/proto.lua mirroring them).",
  expectation = "metrics {server_id, metrics {cpu {usage 0..100, cores}, memory {total, used}, disks [], " ..
    "network {rx, tx}}}, status {server_id, online}, server_added {id, name, location?}, server_removed {id}; " ..
    "timestamp required on metrics and status; no other type.",
  reference = "docs/protocols/vstats.md §3, §3.1",
  run = function(t)
    local seen = life_of_an_agent(t)
    local failures = 0
    for _, e in ipairs(seen) do
      local problems = proto.schema_problems(e.msg)
      if #problems > 0 then
        failures = failures + 1
        if failures <= 10 then
          t:fail(string.format("%s: %s", type(e.msg) == "table" and tostring(e.msg.type) or "?",
            table.concat(problems, "; ")))
        end
      end
    end
    if failures > 10 then t:fail(string.format("... %d invalid messages in all", failures)) end
    if #seen == 0 then t:fail("the dashboard received nothing to judge") end
    if failures == 0 and #seen > 0 then t:ok(string.format("%d messages validate (%s)", #seen, count_types(seen))) end
  end,
}

return cases
