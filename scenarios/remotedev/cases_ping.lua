-- 2.x Pings (docs/protocols/remotedev.md §3): every 8 s from the upgrade in the version's
-- format; silence for pingTimeout closes 4001; answering pings, or sending anything, keeps a
-- socket open.
local S = require("support")

local cases = {}

-- Receives on p until it has `count` pings or the deadline passes.
local function await_pings(p, count, deadline)
  S.pump_until({ p }, deadline, function() return p.pings >= count end)
end

-- The pingTimeout p's handshake announced, when it is usable for timing (1.1 judges its value).
local function announced_timeout(t, p)
  local pt = p.ping_timeout
  S.require(t, type(pt) == "number" and pt > 0 and pt <= 120000,
    "the handshake announced no usable pingTimeout (" .. S.describe(pt) .. "; case 1.1 judges it)")
  return pt
end

cases[#cases + 1] = {
  id = "2.1", group = "ping", title = "A ping every ping interval, from the upgrade",
  description = "A socket connects, handshakes and answers every ping, until it has two pings or 2 x " ..
    "PING_INTERVAL_MS (P, 8 s) + tolerance + SETTLE_MS passed. The time from the upgrade to the first ping and " ..
    "between the pings is measured (trend remotedev_ping_gap).",
  expectation = "Two pings at least; the first P +- (0.2 x P + TIMING_SLACK_MS) after the upgrade, the next one P " ..
    "+- the same after it. Earlier or later is FAILED.",
  reference = "docs/protocols/remotedev.md §3.1, §10",
  run = function(t)
    local P = S.ping_interval_ms
    local tol = S.tolerance(P)
    local p = S.peer(t, "socket", { record_pings = true })
    await_pings(p, 2, p.opened_at + 2 * P + tol + S.settle_ms)
    local times = p.ping_times
    if #times < 2 then
      t:fail(string.format("%d ping(s) within %s of the upgrade, expected one every %s", #times,
        S.ms(now() - p.opened_at), S.ms(P)))
    end
    local previous = p.opened_at
    for i = 1, math.min(#times, 2) do
      local gap = times[i] - previous
      metrics.trend("remotedev_ping_gap", gap)
      local what = i == 1 and "the first ping came after the upgrade" or "the second ping came after the first"
      local text = string.format("%s: %s (expected %s +- %s)", what, S.ms(gap), S.ms(P), S.ms(tol))
      if gap < P - tol then
        t:fail(text .. ": too early")
      elseif gap > P + tol then
        t:fail(text .. ": too late")
      else
        t:ok(text)
      end
      previous = times[i]
    end
  end,
}

cases[#cases + 1] = {
  id = "2.2", group = "ping", title = "Pings have the version's format",
  description = "A socket connects, handshakes and answers every ping in kind, until it has two pings or 2 x " ..
    "PING_INTERVAL_MS + tolerance + SETTLE_MS passed. Every text frame that is not JSON is looked at.",
  expectation = "Every ping is `#1` (v1) or an empty text frame (v2), all of one format, the one --protocol names " ..
    "(with auto: either, reported INFORMATIONAL); no other non-JSON text comes.",
  reference = "docs/protocols/remotedev.md §3.2, §1.3",
  run = function(t)
    local P = S.ping_interval_ms
    local p = S.peer(t, "socket")
    await_pings(p, 2, p.opened_at + 2 * P + S.tolerance(P) + S.settle_ms)
    if p.pings == 0 then
      t:fail(string.format("no ping within %s of the upgrade", S.ms(now() - p.opened_at)))
    elseif p.pings_v1 > 0 and p.pings_v2 > 0 then
      t:fail(string.format("pings of both formats on one connection: %d `#1` and %d empty", p.pings_v1, p.pings_v2))
    else
      local seen = p.pings_v1 > 0 and "v1" or "v2"
      local shape = seen == "v1" and "`#1`" or "empty text frames"
      if S.version == "auto" then
        t:ok(string.format("%d pings, all %s", p.pings, shape))
        t:info("the server speaks " .. seen)
      else
        t:check(seen == S.version, string.format("%d pings, all %s (the %s format)", p.pings, shape, S.version),
          string.format("%d pings in the %s format", p.pings, seen))
      end
    end
    for _, e in ipairs(S.drain_events(p)) do
      if type(e) == "string" then t:fail("a text frame that is neither JSON nor a ping: " .. S.describe(e)) end
    end
  end,
}

cases[#cases + 1] = {
  id = "2.3", group = "ping", title = "Silence for pingTimeout: close 4001",
  description = "A socket connects, handshakes and then sends nothing, not answering pings. The close is timed " ..
    "from the handshake, the last frame the server heard (trend remotedev_ping_timeout).",
  expectation = "Closed with 4001 at the pingTimeout the handshake announced (PT) +- (0.2 x PT + " ..
    "TIMING_SLACK_MS); not before.",
  reference = "docs/protocols/remotedev.md §3.4, §9, §10",
  run = function(t)
    local p = S.peer(t, "silent socket", { answer_pings = false })
    local PT = announced_timeout(t, p)
    local from = p.last_sent_at or p.handshake_done_at
    local deadline = from + PT + S.tolerance(PT) + S.settle_ms
    S.pump_until({ p }, deadline, function() return p.closed end)
    if p.closed then p:wait_closed(1000) end
    S.judge_timed_close(t, "silent socket", 4001, p.close_code, p.closed_at, from, PT)
    if p.closed_at then metrics.trend("remotedev_ping_timeout", p.closed_at - from) end
    t:info(string.format("%d ping(s) came, none answered", p.pings))
  end,
}

cases[#cases + 1] = {
  id = "2.4", group = "ping", title = "A socket that answers pings stays connected",
  description = "A socket connects, handshakes and answers every ping, sending nothing else, for the announced " ..
    "pingTimeout (PT) + tolerance + SETTLE_MS; then it logs in.",
  expectation = "The socket is still open at the end (no 4001 or other close) and its login is answered within " ..
    "RESPONSE_TIMEOUT_MS.",
  reference = "docs/protocols/remotedev.md §3.3, §3.6",
  run = function(t)
    local p = S.peer(t, "socket")
    local PT = announced_timeout(t, p)
    local until_at = p.handshake_done_at + PT + S.tolerance(PT) + S.settle_ms
    S.pump_until({ p }, until_at, function() return p.closed end)
    if p.closed then
      p:wait_closed(1000)
      t:fail(string.format("closed with %s %s %s after the handshake although %d ping(s) were answered",
        tostring(p.close_code), tostring(p.close_reason or ""), S.ms(p.closed_at - p.handshake_done_at), p.pongs))
      return
    end
    t:ok(string.format("open %s after the handshake; %d ping(s) answered", S.ms(now() - p.handshake_done_at), p.pongs))
    local answer, why = S.login(p, "monitor")
    t:check(answer ~= nil and answer.error == nil, "the socket is still served: its login is answered", answer or why)
  end,
}

cases[#cases + 1] = {
  id = "2.5", group = "ping", title = "Any inbound packet restarts the pingTimeout",
  description = "A socket connects, handshakes and never answers a ping; instead, every 0.4 x the announced " ..
    "pingTimeout (PT) it sends a #subscribe (with a cid) to a channel of its own. It watches for PT + tolerance + " ..
    "SETTLE_MS after the handshake.",
  expectation = "The socket is still open at the end: packets that are not pongs restart the timer too.",
  reference = "docs/protocols/remotedev.md §3.5",
  run = function(t)
    local p = S.peer(t, "socket", { answer_pings = false })
    local PT = announced_timeout(t, p)
    local nonce = S.nonce(t, "keep")
    local until_at = p.handshake_done_at + PT + S.tolerance(PT) + S.settle_ms
    local sent = 0
    while now() < until_at and not p.closed do
      sent = sent + 1
      p:request("#subscribe", { channel = nonce .. "-" .. sent })
      S.pump_until({ p }, math.min(until_at, now() + PT * 0.4), function() return p.closed end)
    end
    if p.closed then
      p:wait_closed(1000)
      t:fail(string.format("closed with %s %s %s after the handshake, although a packet came every %s",
        tostring(p.close_code), tostring(p.close_reason or ""), S.ms(p.closed_at - p.handshake_done_at), S.ms(PT * 0.4)))
    else
      t:ok(string.format("open %s after the handshake with %d packets and no pong (%d pings unanswered)",
        S.ms(now() - p.handshake_done_at), sent, p.pings))
    end
  end,
}

return cases
