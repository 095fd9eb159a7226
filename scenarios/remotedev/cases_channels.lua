-- 4.x Emits, answers and channels (docs/protocols/remotedev.md §4, §5): subscriptions are
-- acknowledged and can be ended, a client's #publish is refused, relay events get no answer,
-- an array of packets is handled packet by packet.
local S = require("support")

local cases = {}

-- Judges that answer (to cid) is a plain acknowledgement: {rid = cid} without error.
local function judge_ack(t, what, cid, answer, why, p)
  if not answer then
    local stray = p.last_stray and (", an answer with another rid came: " .. S.describe(p.last_stray)) or ""
    t:fail(string.format("%s: no answer with rid %d within %s (%s%s)", what, cid, S.ms(S.response_ms), tostring(why), stray))
    return false
  end
  if answer.error ~= nil then
    t:fail(what .. ": answered with an error: " .. S.describe(answer.error))
    return false
  end
  t:ok(string.format("%s: acknowledged {rid: %d}", what, cid))
  return true
end

cases[#cases + 1] = {
  id = "4.1", group = "channels", title = "#subscribe is acknowledged, each by its own rid",
  description = "A socket handshakes and sends three #subscribe packets back to back (three channels of its own, " ..
    "cids 2, 3, 4) before reading any answer. (Not log or respond: this socket leaves at once, see support.lua.)",
  expectation = "Three answers {rid: 2}, {rid: 3}, {rid: 4} (in any order) without error, within " ..
    "RESPONSE_TIMEOUT_MS.",
  reference = "docs/protocols/remotedev.md §5.1, §4.2",
  run = function(t)
    local p = S.peer(t, "socket")
    local channels = { S.nonce(t, "a"), S.nonce(t, "b"), S.nonce(t, "c") }
    local cids = {}
    for i, c in ipairs(channels) do cids[i] = p:request("#subscribe", { channel = c }) end
    for i in ipairs(channels) do
      local answer, why = p:await(cids[i], S.response_ms)
      judge_ack(t, "#subscribe to channel " .. i, cids[i], answer, why, p)
    end
  end,
}

cases[#cases + 1] = {
  id = "4.2", group = "channels", title = "After #unsubscribe nothing more is delivered on the channel",
  description = "An app and two monitors (subscribed to log). The app logs message 1; both monitors get it. " ..
    "Monitor 1 sends {\"event\":\"#unsubscribe\",\"data\":\"log\",\"cid\":N}. The app logs message 2; once " ..
    "monitor 2 has it, monitor 1 is watched for SETTLE_MS more.",
  expectation = "The #unsubscribe is acknowledged {rid: N} without error within RESPONSE_TIMEOUT_MS; monitor 1 " ..
    "does not receive message 2 (monitor 2 does).",
  reference = "docs/protocols/remotedev.md §5.3",
  run = function(t)
    local app = S.app(t, "app", { subscribe = false })
    local m1, m2 = S.monitor(t, "monitor 1"), S.monitor(t, "monitor 2")
    local nonce = S.nonce(t)
    local first = S.app_message(nonce, "ACTION", 1, app.id)
    app:emit("log", first)
    for _, m in ipairs({ m1, m2 }) do
      local got = S.collect(m, "log", 1, S.response_ms, S.with_nonce(nonce))
      S.require(t, #got == 1, m.name .. " did not receive the app's log (case 5.2 judges relays)")
    end
    local cid = m1:request("#unsubscribe", "log")
    local answer, why = m1:await(cid, S.response_ms)
    judge_ack(t, "monitor 1: #unsubscribe log", cid, answer, why, m1)
    app:emit("log", S.app_message(nonce, "ACTION", 2, app.id))
    local got2 = S.collect(m2, "log", 1, S.response_ms, S.with_nonce(nonce))
    S.require(t, #got2 == 1, "monitor 2 did not receive the app's second log (case 5.2 judges relays)")
    local leaked = S.quiet(m1, "log", nonce)
    t:check(#leaked == 0, "monitor 1 received nothing on log after unsubscribing (monitor 2 got message 2)",
      #leaked > 0 and leaked[1].data or nil)
  end,
}

cases[#cases + 1] = {
  id = "4.3", group = "channels", title = "A client's #publish is refused and reaches nobody",
  description = "A monitor is subscribed to log. Another socket sends {\"event\":\"#publish\",\"data\":{\"channel\":" ..
    "\"log\",\"data\":M1},\"cid\":N}, then the same without a cid (M2). Then an app logs M3; the monitor receives " ..
    "until M3 arrives.",
  expectation = "{rid: N, error: {...}} (an object or a non-empty string) within RESPONSE_TIMEOUT_MS; the monitor " ..
    "receives M3 but neither M1 nor M2.",
  reference = "docs/protocols/remotedev.md §5.4, §4.2",
  run = function(t)
    local m = S.monitor(t, "monitor")
    local app = S.app(t, "app", { subscribe = false })
    local c = S.peer(t, "publisher")
    local nonce = S.nonce(t)
    local cid = c:request("#publish", { channel = "log", data = S.app_message(nonce, "ACTION", 1) })
    local answer, why = c:await(cid, S.response_ms)
    if not answer then
      local stray = c.last_stray and (", an answer with another rid came: " .. S.describe(c.last_stray)) or ""
      t:fail(string.format("no answer with rid %d within %s (%s%s)", cid, S.ms(S.response_ms), tostring(why), stray))
    elseif answer.error == nil then
      t:fail("the #publish was accepted: " .. S.describe(answer))
    else
      local e = answer.error
      local usable = (type(e) == "table") or (type(e) == "string" and e ~= "")
      t:check(usable, "the #publish was refused with an error answer: " .. S.describe(e), e)
    end
    c:send({ event = "#publish", data = { channel = "log", data = S.app_message(nonce, "ACTION", 2) } })
    app:emit("log", S.app_message(nonce, "STATE", 3, app.id))
    -- M1 was refused (or published) before M3 was sent; M2 comes from another socket than M3,
    -- so SETTLE_MS more after M3 gives it time to show up.
    local fence, leaked = false, {}
    local deadline = now() + S.response_ms
    while not fence do
      local got = S.collect(m, "log", 1, deadline - now(), S.with_nonce(nonce))
      if #got == 0 then break end
      if got[1].data.seq == 3 then fence = true else leaked[#leaked + 1] = got[1].data.seq end
    end
    S.require(t, fence, "the monitor did not receive the app's log (case 5.2 judges relays)")
    for _, g in ipairs(S.quiet(m, "log", nonce)) do leaked[#leaked + 1] = g.data.seq end
    t:check(#leaked == 0, "nothing the client published reached the monitor (the app's later log did)",
      "published message(s) " .. table.concat(leaked, ", ") .. " delivered")
  end,
}

cases[#cases + 1] = {
  id = "4.4", group = "channels", title = "Relay events sent with a cid get no answer",
  description = "An app (logged in, subscribed to respond) sends log and log-noid with a cid each; a monitor " ..
    "(subscribed to log) sends respond with a cid. Each then sends a #subscribe with a cid, whose answer shows " ..
    "the server has read the packets before it, and both are watched for SETTLE_MS more. Whether the relays " ..
    "were delivered is reported, not judged (v1 relays them, v2 drops them).",
  expectation = "No answer (neither data nor error) with the rid of the log, log-noid or respond packet; the " ..
    "#subscribe packets are answered.",
  reference = "docs/protocols/remotedev.md §4.3, §7.6",
  run = function(t)
    local app = S.app(t, "app")
    local m = S.monitor(t, "monitor")
    local nonce = S.nonce(t)
    local asked = {
      { app, "log", app:request("log", S.app_message(nonce, "ACTION", 1, app.id)) },
      { app, "log-noid", app:request("log-noid", S.app_message(nonce, "ACTION", 2)) },
      { m, "respond", m:request("respond", S.monitor_message(nonce, "START", 3)) },
    }
    for _, p in ipairs({ app, m }) do
      local cid = p:request("#subscribe", { channel = S.nonce(t, "fence") })
      local answer = p:await(cid, S.response_ms)
      S.require(t, answer and answer.error == nil, p.name .. "'s #subscribe was not acknowledged (case 4.1 judges it)")
    end
    S.pump_until({ app, m }, now() + S.settle_ms)
    for _, a in ipairs(asked) do
      local p, event, cid = a[1], a[2], a[3]
      local answer = p:answered(cid)
      t:check(answer == nil, string.format("%s with cid %d: no answer", event, cid), answer)
    end
    if app.stray_answers > 0 or m.stray_answers > 0 then
      t:fail("answers with a rid nobody asked for came: " .. S.describe(app.last_stray or m.last_stray))
    end
    local logs = S.collect(m, "log", 2, S.settle_ms, S.with_nonce(nonce))
    local responds = S.collect(app, "respond", 1, S.settle_ms, S.with_nonce(nonce))
    t:info(string.format("relayed anyway: %d of log/log-noid to the monitor, %d of respond to the app (either is allowed)",
      #logs, #responds))
  end,
}

cases[#cases + 1] = {
  id = "4.5", group = "channels", title = "An array of packets in one frame is handled packet by packet",
  description = "A socket handshakes, then sends one frame holding [{\"event\":\"#subscribe\",\"data\":{\"channel\":" ..
    "C},\"cid\":A},{\"event\":\"login\",\"data\":\"monitor\",\"cid\":B}].",
  expectation = "Both are answered within RESPONSE_TIMEOUT_MS: {rid: A} without error and {rid: B, data: \"log\"}.",
  reference = "docs/protocols/remotedev.md §4.4, §1.2",
  run = function(t)
    local p = S.peer(t, "socket")
    local a, b = p:next_cid(), p:next_cid()
    p:send(json.array({ { event = "#subscribe", data = { channel = S.nonce(t, "channel") }, cid = a },
                        { event = "login", data = "monitor", cid = b } }))
    local answer_a, why_a = p:await(a, S.response_ms)
    judge_ack(t, "the array's #subscribe", a, answer_a, why_a, p)
    local answer_b, why_b = p:await(b, S.response_ms)
    if not answer_b then
      t:fail(string.format("the array's login: no answer with rid %d within %s (%s)", b, S.ms(S.response_ms), tostring(why_b)))
    else
      t:check(answer_b.error == nil and answer_b.data == "log", "the array's login is answered \"log\"", answer_b)
    end
  end,
}

return cases
