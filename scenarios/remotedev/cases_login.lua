-- 3.x Login (docs/protocols/remotedev.md §6): "master" is an app (channel respond), anything
-- else a monitor (channel log).
local S = require("support")

local cases = {}

-- Logs p in with data and judges the answer's rid and channel.
local function judge_login(t, p, data, channel)
  local sent = now()
  local cid = p:request("login", data)
  local answer, why = p:await(cid, S.response_ms)
  local what = string.format("%s: login %s", p.name, S.describe(data))
  if not answer then
    local stray = p.last_stray and (", an answer with another rid came: " .. S.describe(p.last_stray)) or ""
    t:fail(string.format("%s: no answer with rid %d within %s (%s%s)", what, cid, S.ms(S.response_ms), why, stray))
    return
  end
  t:measure("remotedev_login", (p.conn:last_recv_time() or now()) - sent, what)
  if answer.error ~= nil then
    t:fail(what .. " was answered with an error: " .. S.describe(answer.error))
    return
  end
  t:check(answer.data == channel, string.format("%s is answered %q", what, channel), answer.data)
end

cases[#cases + 1] = {
  id = "3.1", group = "login", title = "login \"master\" is answered \"respond\" (an app)",
  description = "A socket handshakes and sends {\"event\":\"login\",\"data\":\"master\",\"cid\":2} (trend " ..
    "remotedev_login).",
  expectation = "{\"rid\":2,\"data\":\"respond\"} within RESPONSE_TIMEOUT_MS, no error.",
  reference = "docs/protocols/remotedev.md §6.1, §4.2",
  run = function(t)
    judge_login(t, S.peer(t, "app"), "master", "respond")
  end,
}

cases[#cases + 1] = {
  id = "3.2", group = "login", title = "login with any other data is answered \"log\" (a monitor)",
  description = "Four sockets handshake and log in with, in turn, \"monitor\", \"\" (empty), {\"user\":\"drover\"} " ..
    "and 42.",
  expectation = "Each login is answered {\"rid\":its cid,\"data\":\"log\"} within RESPONSE_TIMEOUT_MS, no error.",
  reference = "docs/protocols/remotedev.md §6.2, §4.2",
  run = function(t)
    local data = { "monitor", "", { user = "drover" }, 42 }
    for i, d in ipairs(data) do
      judge_login(t, S.peer(t, "monitor " .. i), d, "log")
    end
  end,
}

return cases
