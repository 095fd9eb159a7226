-- 5.x Relays (docs/protocols/remotedev.md §7, §8): monitor -> apps on respond, app -> monitors
-- on log (log unchanged, log-noid wrapped with the sender's id), DISCONNECTED when an app goes.
local S = require("support")

local cases = {}

-- Sends every message of `kinds` from `from` as `event`; returns the messages and the first send time.
local function send_all(from, event, kinds, build)
  local sent, first_at = {}, nil
  for i, kind in ipairs(kinds) do
    sent[i] = build(i, kind)
    local at = from:emit(event, sent[i])
    first_at = first_at or at
  end
  return sent, first_at
end

-- Collects the nonce's deliveries on `channel` at each receiver and judges them against sent.
local function judge_receivers(t, receivers, channel, nonce, sent, sent_at)
  for _, r in ipairs(receivers) do
    local got = S.collect(r, channel, #sent, S.response_ms, S.with_nonce(nonce))
    local extra = S.quiet(r, channel, nonce)
    for _, e in ipairs(extra) do got[#got + 1] = e end
    S.judge_relayed(t, r.name .. " on " .. channel, sent, got, sent_at)
  end
end

cases[#cases + 1] = {
  id = "5.1", group = "relay", title = "respond from a monitor reaches every app, unchanged, in order",
  description = "Two apps (logged in \"master\", subscribed to respond) and a monitor. The monitor emits respond " ..
    "(no cid) six times: START, DISPATCH (JUMP_TO_STATE with a state), ACTION, IMPORT, SYNC, STOP. Each app " ..
    "receives until it has the six or RESPONSE_TIMEOUT_MS passed, then SETTLE_MS more (trend remotedev_relay).",
  expectation = "Each app receives {\"event\":\"#publish\",\"data\":{\"channel\":\"respond\",\"data\":M}} for each " ..
    "message M, once, in order, M unchanged (JSON equality).",
  reference = "docs/protocols/remotedev.md §7.3, §7.4, §7.5, §5.2",
  run = function(t)
    local apps = { S.app(t, "app 1"), S.app(t, "app 2") }
    local m = S.monitor(t, "monitor", { subscribe = false })
    local nonce = S.nonce(t)
    local kinds = { "START", "DISPATCH", "ACTION", "IMPORT", "SYNC", "STOP" }
    local sent, at = send_all(m, "respond", kinds, function(i, kind) return S.monitor_message(nonce, kind, i) end)
    judge_receivers(t, apps, "respond", nonce, sent, at)
  end,
}

cases[#cases + 1] = {
  id = "5.2", group = "relay", title = "log from an app reaches every monitor, unchanged, in order",
  description = "An app and two monitors (logged in \"monitor\", subscribed to log). The app emits log (no cid) " ..
    "six times with its socket id: INIT, ACTION, STATE, START, STOP, ERROR. Each monitor receives until it has " ..
    "the six or RESPONSE_TIMEOUT_MS passed, then SETTLE_MS more (trend remotedev_relay).",
  expectation = "Each monitor receives {\"event\":\"#publish\",\"data\":{\"channel\":\"log\",\"data\":M}} for each " ..
    "message M, once, in order, M unchanged (JSON equality; no wrapper).",
  reference = "docs/protocols/remotedev.md §7.1, §7.4, §7.5, §5.2",
  run = function(t)
    local app = S.app(t, "app", { subscribe = false })
    local monitors = { S.monitor(t, "monitor 1"), S.monitor(t, "monitor 2") }
    local nonce = S.nonce(t)
    local kinds = { "INIT", "ACTION", "STATE", "START", "STOP", "ERROR" }
    local sent, at = send_all(app, "log", kinds, function(i, kind) return S.app_message(nonce, kind, i, app.id) end)
    judge_receivers(t, monitors, "log", nonce, sent, at)
  end,
}

cases[#cases + 1] = {
  id = "5.3", group = "relay", title = "log-noid is delivered as {id: the sender's id, data}; log is not wrapped",
  description = "Two apps A and B and a monitor. A emits log-noid M1 (no id in it), B emits log-noid M2, then A " ..
    "emits log M3 (with A's id).",
  expectation = "The monitor receives on log {\"id\":A's id,\"data\":M1}, {\"id\":B's id,\"data\":M2} and M3 " ..
    "unchanged; M1 before M3 (one sender's order); the ids are the senders', not the monitor's.",
  reference = "docs/protocols/remotedev.md §7.2, §7.1, §7.5",
  run = function(t)
    local a, b = S.app(t, "app A", { subscribe = false }), S.app(t, "app B", { subscribe = false })
    local m = S.monitor(t, "monitor")
    local nonce = S.nonce(t)
    local m1, m2 = S.app_message(nonce, "ACTION", 1), S.app_message(nonce, "ACTION", 2)
    local m3 = S.app_message(nonce, "STATE", 3, a.id)
    a:emit("log-noid", m1)
    b:emit("log-noid", m2)
    a:emit("log", m3)
    local got = S.collect(m, "log", 3, S.response_ms, S.with_nonce(nonce))
    local extra = S.quiet(m, "log", nonce)
    if #got == 0 then
      t:fail(string.format("none of the three messages reached the monitor within %s", S.ms(S.response_ms)))
      return
    end
    local position = {}
    for i, g in ipairs(got) do
      local d = g.data
      local inner = type(d.data) == "table" and d.data or nil
      local seq = inner and inner.seq or d.seq
      position[seq] = position[seq] or i
      if seq == 1 or seq == 2 then
        local sender, original = seq == 1 and a or b, seq == 1 and m1 or m2
        local what = string.format("log-noid from %s", sender.name)
        if not inner then
          t:fail(what .. " arrived without the {id, data} wrapper: " .. S.describe(d))
        else
          t:check(S.same(inner, original), what .. ": data is the message, unchanged", inner)
          if d.id == sender.id then
            t:ok(what .. ": id is the sender's socket id")
          else
            local whose = d.id == m.id and " (the monitor's)" or ((d.id == a.id or d.id == b.id) and " (the other app's)" or "")
            t:fail(string.format("%s: id is %s%s, the sender's is %s", what, S.describe(d.id), whose, sender.id))
          end
        end
      elseif seq == 3 then
        t:check(S.same(d, m3), "log from app A arrived unchanged, not wrapped", d)
      end
    end
    for seq = 1, 3 do
      if not position[seq] then t:fail(string.format("message %d (%s) never arrived", seq, seq == 3 and "log" or "log-noid")) end
    end
    if position[1] and position[3] then
      t:check(position[1] < position[3], "app A's log-noid arrived before its later log", "after it")
    end
    if #got > 3 or #extra > 0 then
      t:fail(string.format("%d deliveries for 3 messages", #got + #extra))
    end
  end,
}

cases[#cases + 1] = {
  id = "5.4", group = "relay", title = "An app's disconnection reaches the monitors as DISCONNECTED",
  description = "A monitor (subscribed to log) and an app (logged in \"master\", not subscribed to anything). The " ..
    "app closes with 1000 (trend remotedev_disconnected: close to notice).",
  expectation = "Within RESPONSE_TIMEOUT_MS of the close the monitor receives on log {\"id\": the app's id, " ..
    "\"type\":\"DISCONNECTED\"}.",
  reference = "docs/protocols/remotedev.md §8.1",
  run = function(t)
    local m = S.monitor(t, "monitor")
    local app = S.app(t, "app", { subscribe = false })
    local id = app.id
    app:close(1000, "app leaves")
    local closed_at = now()
    local got = S.collect(m, "log", 1, S.response_ms, function(d)
      return type(d) == "table" and d.type == "DISCONNECTED" and d.id == id
    end)
    if #got == 0 then
      t:fail(string.format("no {id: %s, type: DISCONNECTED} on log within %s of the app's close", id, S.ms(S.response_ms)))
      return
    end
    t:ok(string.format("the monitor received {id: %s, type: DISCONNECTED} on log", id))
    t:measure("remotedev_disconnected", got[1].at - closed_at, "app close to notice")
  end,
}

return cases
