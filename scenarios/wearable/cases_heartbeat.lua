-- 2.x Heartbeat timing: one ACK per HEARTBEAT, ACK latency, the server's tolerance before 4005.
-- The connection under test beats by hand (auto_beat off); it IDENTIFIES first so that the
-- identify timeout (15 s) cannot interfere with waits measured in heartbeat intervals.
local S = require("support")
local proto = S.proto

local cases = {}

local function identified_producer(t)
  local dev = S.developer(t)
  return S.producer(t, dev, "p", "producer", { auto_beat = false })
end

local function median(list)
  local sorted = { table.unpack(list) }
  table.sort(sorted)
  local n = #sorted
  if n == 0 then return nil end
  if n % 2 == 1 then return sorted[(n + 1) // 2] end
  return (sorted[n // 2] + sorted[n // 2 + 1]) / 2
end

local beats_counted = 5

cases[#cases + 1] = {
  id = "2.1", group = "heartbeat", title = "One HEARTBEAT_ACK per HEARTBEAT",
  description = string.format("After READY, send %d HEARTBEATs 20 ms apart, then count the ACKs arriving until " ..
    "all came or 1.5 x heartbeat_interval (+ SETTLE_MS) after the last one, plus a short wait for extra ones.",
    beats_counted),
  expectation = string.format("Exactly %d HEARTBEAT_ACK {\"op\":1} frames: one per HEARTBEAT, none on a timer.",
    beats_counted),
  reference = "docs/protocols/wearable.md §5.3 (one HEARTBEAT_ACK per HEARTBEAT, none on a timer)",
  run = function(t)
    local l = identified_producer(t)
    local acks = 0
    -- Counts ACKs until `limit`; with stop_at, returns as soon as that many were counted.
    local function count_until(limit, stop_at)
      while now() < limit and not (stop_at and acks >= stop_at) do
        local msg = l:recv(limit - now(), { acks = true })
        if msg == nil then return end
        if proto.is_op(msg, S.op.HEARTBEAT_ACK) then acks = acks + 1 end
      end
    end
    local last
    for i = 1, beats_counted do
      last = l:beat() or now()
      if i < beats_counted then count_until(now() + 20) end
    end
    -- ACKs sent before a 4005 close still arrive before it, so counting may run into the close.
    local deadline = last + l.interval * 1.5 + S.settle_ms
    count_until(deadline, beats_counted)
    -- Extra ACKs (a timer, duplicates) would show up now.
    count_until(math.min(deadline, now() + math.min(l.interval * 0.3, 500)))
    t:check(acks == beats_counted,
      string.format("%d HEARTBEAT_ACKs for %d HEARTBEATs", acks, beats_counted),
      string.format("%d ACKs", acks))
  end,
}

local beats_timed = 6

cases[#cases + 1] = {
  id = "2.2", group = "heartbeat", title = "HEARTBEAT_ACK comes promptly",
  description = string.format("After READY, send %d HEARTBEATs one at a time; after each, wait for its ACK " ..
    "(up to 1.3 x heartbeat_interval, so the next HEARTBEAT still comes before the 1.5 x timeout) and time it " ..
    "(trend wearable_ack). Only one HEARTBEAT is outstanding at a time, so every ACK is attributable.", beats_timed),
  expectation = "The median ACK latency is below half the heartbeat interval, at most RESPONSE_TIMEOUT_MS, plus " ..
    "TIMING_SLACK_MS (an " ..
    "ACK answers a HEARTBEAT; it does not wait for a timer). Beats that get no ACK at all are case 2.1's business.",
  reference = "docs/protocols/wearable.md §5.3 (each HEARTBEAT answered promptly)",
  run = function(t)
    local l = identified_producer(t)
    local lags, unanswered = {}, 0
    for i = 1, beats_timed do
      local sent = l:beat() or now()
      local ack = l:recv_until(function(m) return proto.is_op(m, S.op.HEARTBEAT_ACK) end, l.interval * 1.3,
        { acks = true })
      if ack then
        local lag = math.max(0, (l.conn:last_recv_time() or now()) - sent)
        lags[#lags + 1] = lag
        metrics.trend("wearable_ack", lag)
        l:pump(20, { acks = true }) -- a duplicate ACK would land here, not on the next beat
      elseif not l.conn:is_open() then
        t:abort("the connection closed while timing ACKs: " .. tostring(l.conn:close_code()))
      else
        unanswered = unanswered + 1
      end
    end
    if #lags == 0 then
      t:info(string.format("no HEARTBEAT_ACK to time for %d HEARTBEATs (2.1 judges missing ACKs)", beats_timed))
      return
    end
    local med = median(lags)
    local worst = math.max(table.unpack(lags))
    local text = string.format("ACK latency median %.1f ms, max %.1f ms over %d ACKs (interval %d ms)%s", med, worst,
      #lags, l.interval, unanswered > 0 and string.format("; %d HEARTBEATs unanswered", unanswered) or "")
    local bound = S.prompt_ms(l)
    t:check(med <= bound, text, string.format("median %.1f ms > %.0f ms", med, bound))
  end,
}

cases[#cases + 1] = {
  id = "2.3", group = "heartbeat", title = "Silent client is closed 4005 after 1.5 x interval",
  description = "After READY, send two HEARTBEATs 0.8 x interval apart (a server that does not restart its " ..
    "count on each HEARTBEAT closes 0.7 x interval after the second), then stop heartbeating and time the " ..
    "server's close relative to that last HEARTBEAT. Tolerance: tol = 0.2 x 1.5 x interval + TIMING_SLACK_MS " ..
    "on either side, judged after subtracting the connection's longest HEARTBEAT round trip (at most a quarter " ..
    "of 1.5 x interval); waits up to 1.5 x interval + 2 tol + SETTLE_MS.",
  expectation = "Close code 4005 within 1.5 x interval +- tol of the last HEARTBEAT. Earlier than the band but " ..
    "after one interval is NON-STRICT (stricter than documented); before one interval is FAILED (a client " ..
    "beating every interval would be cut off); later than the band, or no close, is FAILED.",
  reference = "docs/protocols/wearable.md §5.4 (the 1.5x rule: no HEARTBEAT within interval x 1.5 closes 4005; " ..
    "each HEARTBEAT starts the count again)",
  run = function(t)
    local l = identified_producer(t)
    local interval = l.interval
    l:beat()
    local gap = l:pump(interval * 0.8)
    if gap.closed or not l.conn:is_open() then
      t:fail(string.format("closed %s 0.8 x interval after a HEARTBEAT (a client beating every interval is cut off)",
        tostring(l.conn:close_code())))
      return
    end
    local last = l:beat() or now()
    local expected = interval * proto.heartbeat_tolerance
    local tol = S.tolerance(expected)
    local code, reason, at = l:wait_close(expected + 2 * tol + S.settle_ms)
    if not code then
      t:fail(string.format("no close within %d ms of the last HEARTBEAT (%s; expected 4005 at %.0f +- %.0f ms)",
        math.floor(now() - last), reason == "dropped" and "dropped without close frame" or "still open", expected, tol))
      return
    end
    local measured = at - last
    metrics.trend("wearable_heartbeat_tolerance", measured)
    local allowance = S.delay_allowance(l, expected)
    local after = measured - allowance
    local text = string.format("closed %d after %.0f ms of silence (%.0f ms less the round trip %.0f ms) = %.2f x " ..
      "interval (expected %.0f +- %.0f ms)", code, after, measured, allowance, after / interval, expected, tol)
    t:check(code == 4005, "close code is 4005", code .. " " .. (reason or ""))
    if after < interval then
      t:fail(text .. ": earlier than one interval")
    elseif after < expected - tol then
      t:non_strict(text .. ": stricter than documented")
    elseif after <= expected + tol then
      t:ok(text)
    else
      t:fail(text .. ": later than the tolerance")
    end
  end,
}

return cases
