-- 4.x The monitored set (docs/protocols/vstats.md §8): server_added for a new server before its
-- first status and metrics; server_removed when its agent closes with 1000.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "4.1", group = "servers", title = "server_added for a new server, before its status and metrics",
  description = "A dashboard connects, then the agent of a server new to the set, which sends one report at once. " ..
    "The dashboard collects messages about that server until server_added came or max(1 s, REPORT_INTERVAL_MS) " ..
    "passed. (With TOKEN_FILE, the first agent of this case must belong to a server not in the set yet.)",
  expectation = "server_added with data.id = the server's id and a string data.name, and no status or metrics " ..
    "about the server before it.",
  reference = "docs/protocols/vstats.md §8.1, §3.1",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    a:report()
    local before = {}
    local added = d:await(function(m)
      if proto.server_of(m) ~= a.id then return false end
      if m.type == "server_added" then return true end
      before[#before + 1] = m.type
      return false
    end, S.prompt_ms)
    if not added then
      t:fail(string.format("no server_added for %s within %s (saw: %s)", a.id, S.ms(S.prompt_ms),
        #before > 0 and table.concat(before, ", ") or "nothing about it"))
      return
    end
    t:check(type(added.data.name) == "string", "server_added carries a name", added.data)
    t:check(#before == 0, "server_added came before the server's status and metrics", table.concat(before, ", "))
  end,
}

cases[#cases + 1] = {
  id = "4.2", group = "servers", title = "server_removed when the agent closes with 1000",
  description = "A dashboard connects, then an agent; once the dashboard heard of its server (server_added or " ..
    "status, up to max(1 s, REPORT_INTERVAL_MS)), the agent closes with 1000. The dashboard waits as long again.",
  expectation = "server_removed with data.id = the agent's server.",
  reference = "docs/protocols/vstats.md §8.2",
  run = function(t)
    local d = S.dashboard(t)
    local a = S.agent(t, "a")
    local heard = d:await(function(m) return proto.server_of(m) == a.id end, S.prompt_ms)
    if not heard then t:note("the dashboard heard nothing of the new server (cases 3.1 and 4.1 judge that)") end
    local closed_at = now()
    a.conn:close(1000, "agent deregisters", 2000)
    local removed, at = d:await(S.about("server_removed", a.id), S.prompt_ms)
    if removed then
      t:ok(string.format("server_removed for %s %s after the agent's close", a.id, S.ms(at - closed_at)))
    else
      t:fail(string.format("no server_removed for %s within %s of the agent closing with 1000", a.id,
        S.ms(S.prompt_ms)))
    end
  end,
}

return cases
