-- What every RemoteDev case needs (docs/protocols/remotedev.md): the version and the timers,
-- SocketCluster peers on the target whose frames go into the case's transcript, apps and
-- monitors that have logged in and subscribed, messages marked with a nonce, and the tolerance
-- arithmetic of §10.
--
-- The channels `log` and `respond` are shared by every case running at the same time, so each
-- case marks what it sends with a nonce of its own and judges only what carries it (or, for
-- DISCONNECTED notices, the ids of its own sockets); everything else is foreign and skipped.
--
-- No socket subscribed to `log` or `respond` leaves before it has received something on that
-- channel: remotedev-server 0.3.1 (SocketCluster 14) can stop delivering a channel to every
-- socket of a worker when a subscriber leaves while the worker's first subscription to the
-- channel is still on its way to the broker (docs/protocols/remotedev.md §11). The suite must
-- not provoke that race in cases that judge other rules, or their verdicts would depend on it.
local socketcluster = require("socketcluster")

local S = { sc = socketcluster }

local function env_ms(name, default)
  local v = tonumber(env[name])
  if v and v > 0 then return v end
  return default
end

S.versions = { v1 = true, v2 = true, auto = true }
S.version = env.PROTOCOL or "auto"   -- suite.lua refuses anything else

S.ping_interval_ms = env_ms("PING_INTERVAL_MS", 8000)
S.handshake_timeout_ms = env_ms("HANDSHAKE_TIMEOUT_MS", 10000)
S.ping_timeout_of = { v1 = 20000, v2 = 30000 }   -- §2.2
S.ping_timeout_env = env_ms("PING_TIMEOUT_MS", nil)
S.response_ms = env_ms("RESPONSE_TIMEOUT_MS", 3000)  -- answers, relays, notices, 4009
S.settle_ms = env_ms("SETTLE_MS", 300)               -- quiet time that shows nothing (more) comes
S.slack_ms = env_ms("TIMING_SLACK_MS", 150)          -- network and scheduling, in every tolerance

S.doc = "docs/protocols/remotedev.md "

-- §10: a timer of base_ms is on time within +-(20 % + slack).
function S.tolerance(base_ms) return base_ms * 0.2 + S.slack_ms end

-- The pingTimeout a server of this version must announce (PING_TIMEOUT_MS overrides).
function S.expected_ping_timeout(version) return S.ping_timeout_env or S.ping_timeout_of[version] end

function S.ms(v) return string.format("%.0f ms", v) end

function S.describe(v)
  local text = tostring(v)
  if type(v) == "table" then
    local ok, encoded = pcall(json.encode, v)
    if ok then text = encoded end
  end
  if #text > 300 then text = text:sub(1, 300) .. "..." end
  return text
end

-- A precondition another case judges: stop here without a verdict of our own.
function S.require(t, cond, what)
  if not cond then
    t:info("not judged: " .. what .. " (another case covers that rule)")
    t:stop()
  end
  return cond
end

-- A string no other case (or run) uses.
function S.nonce(t, what)
  return string.format("drover-%s-%s-%06d", t.case.id:gsub("%.", "_"), what or "n", math.random(0, 999999))
end

---------------------------------------------------------------------------------------------
-- Peers

-- peer(t, name, opts) -> a socketcluster client on the target, its frames in the transcript.
-- opts: handshake (default true; a failed handshake is a precondition, case 1.1 judges it),
-- any_answer (an answer without a usable id is enough), answer_pings (default true),
-- record_pings, keep_frames (every received frame's text in p.frames), version (default the
-- suite's).
function S.peer(t, name, opts)
  opts = opts or {}
  local conn = t:connect({ timeout = S.response_ms + 2000 })
  local frames = opts.keep_frames and {} or nil
  local p = S.sc.wrap(conn, {
    version = opts.version or S.version,
    answer_pings = opts.answer_pings,
    record_pings = opts.record_pings,
    timeout = S.response_ms,
    trace = function(dir, text)
      t:log(dir, name .. ": " .. text)
      if frames and dir == "received" then frames[#frames + 1] = text end
    end,
  })
  p.name, p.opened_at, p.t, p.frames = name, now(), t, frames
  t:note(name .. " connected")
  if opts.handshake ~= false then
    local answer, why, detail = p:handshake(S.response_ms)
    if opts.any_answer then
      -- A case that judges the answer's shape itself only needs an answer to go on.
      S.require(t, p.handshake_answer, name .. "'s handshake got no answer (" .. tostring(why) .. ")")
    else
      S.require(t, answer and type(p.id) == "string" and p.id ~= "",
        name .. "'s handshake got no usable answer (" .. tostring(why) .. (detail and (" " .. S.describe(detail)) or "") .. ")")
    end
    p.handshake_done_at = now()
  end
  return p
end

-- Handles the frames of several peers (pings answered where a peer answers them) until
-- done() is true or the deadline passes. Frames already waiting are handled at once on every
-- peer (a peer with a backlog is not held up by an idle one); when none waits, one peer in
-- turn is waited on for at most slice_ms, so a frame is noticed within slice_ms.
function S.pump_until(peers, deadline, done, slice_ms)
  slice_ms = slice_ms or 20
  local turn = 0
  while now() < deadline do
    if done and done() then return true end
    local open, handled = {}, false
    for _, p in ipairs(peers) do
      if not p.closed then
        open[#open + 1] = p
        if p:step(1) then handled = true end
      end
    end
    if #open == 0 then break end
    if not handled then
      turn = turn % #open + 1
      open[turn]:step(math.min(slice_ms, math.max(1, deadline - now())))
    end
  end
  return done ~= nil and done() or false
end

-- The server packets and texts a peer queued as events (neither answers nor deliveries).
function S.drain_events(p)
  local out = {}
  while true do
    local e = p:next_event(0)
    if e == nil then break end
    out[#out + 1] = e
  end
  return out
end

-- The version of this peer's server: the one asked for, or (auto) the first ping's. nil when no
-- ping came within a ping interval + tolerance.
function S.version_of(p)
  if p.version then return p.version end
  return p:wait_version(S.ping_interval_ms + S.tolerance(S.ping_interval_ms))
end

-- login(p, data) -> the answer | nil, why.
function S.login(p, data) return p:call("login", data, S.response_ms) end

-- An app: handshake, login "master" (answered "respond"), subscribed to respond. 3.1 and 4.1
-- judge those steps; here they are preconditions. opts as for S.peer, and subscribe = false
-- (logged in, not subscribed).
function S.app(t, name, opts)
  local p = S.peer(t, name, opts)
  local answer, why = S.login(p, "master")
  S.require(t, answer and answer.data == "respond", name .. "'s login \"master\" was not answered \"respond\" (" ..
    S.describe(answer or why) .. ")")
  if opts and opts.subscribe == false then return p end
  local ok, err, detail = p:subscribe("respond", S.response_ms)
  S.require(t, ok, name .. " could not subscribe to respond (" .. tostring(err) .. " " .. tostring(detail or "") .. ")")
  return p
end

-- A monitor: handshake, login "monitor" (answered "log"), subscribed to log (unless
-- opts.subscribe == false: a socket subscribes only where it receives, see the top).
function S.monitor(t, name, opts)
  local p = S.peer(t, name, opts)
  local answer, why = S.login(p, "monitor")
  S.require(t, answer and answer.data == "log", name .. "'s login \"monitor\" was not answered \"log\" (" ..
    S.describe(answer or why) .. ")")
  if opts and opts.subscribe == false then return p end
  local ok, err, detail = p:subscribe("log", S.response_ms)
  S.require(t, ok, name .. " could not subscribe to log (" .. tostring(err) .. " " .. tostring(detail or "") .. ")")
  return p
end

---------------------------------------------------------------------------------------------
-- Messages

-- What an app sends to monitors (§7.4): marked with the case's nonce and a sequence number.
function S.app_message(nonce, kind, seq, id)
  local m = { type = kind, drover = nonce, seq = seq, instanceId = nonce, name = "drover " .. nonce }
  if id then m.id = id end
  if kind == "ACTION" then
    m.action = { timestamp = 1700000000000 + seq, action = { type = "INCREMENT", by = seq } }
    m.payload = string.format('{"counter":%d}', seq)
  elseif kind == "INIT" or kind == "STATE" then
    m.payload = string.format('{"counter":%d,"list":[1,2.5,"x",null,true]}', seq)
  elseif kind == "ERROR" then
    m.payload = "Error: drover test error " .. seq
  end
  return m
end

-- What a monitor sends to apps (§7.4).
function S.monitor_message(nonce, kind, seq)
  local m = { type = kind, drover = nonce, seq = seq, instanceId = nonce }
  if kind == "DISPATCH" then
    m.payload = { type = "JUMP_TO_STATE", index = seq }
    m.state = string.format('{"counter":%d}', seq)
  elseif kind == "ACTION" then
    m.action = "{ type: 'INCREMENT_COUNTER' }"
  elseif kind == "IMPORT" then
    m.state = '{"actionsById":{},"computedStates":[]}'
  elseif kind == "SYNC" then
    m.state = '{"counter":0}'
  end
  return m
end

-- Deep equality of decoded JSON (numbers by value: 1 and 1.0 are equal).
local function same(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do
    if not same(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end
S.same = same

-- The nonce a delivery carries: M.drover, or (log-noid) M.data.drover.
function S.mark_of(data)
  if type(data) ~= "table" then return nil end
  if data.drover ~= nil then return data.drover end
  if type(data.data) == "table" then return data.data.drover end
  return nil
end

-- collect(p, channel, want, timeout_ms, match) -> list of {data=, at=} matching match(data), in
-- arrival order, once `want` of them arrived or timeout_ms passed; second value: how many other
-- deliveries were skipped; third: why receiving stopped early ("closed"), if it did.
function S.collect(p, channel, want, timeout_ms, match)
  local got, foreign = {}, 0
  local deadline = now() + timeout_ms
  while #got < want do
    local left = deadline - now()
    if left <= 0 then break end
    local data, at = p:next_publish(channel, left)
    if data == nil then
      if at ~= "timeout" then return got, foreign, at end
      break
    end
    if match(data) then got[#got + 1] = { data = data, at = at } else foreign = foreign + 1 end
  end
  return got, foreign
end

function S.with_nonce(nonce) return function(data) return S.mark_of(data) == nonce end end

-- Judges that `got` (collected deliveries) are exactly `sent` (the messages, in order),
-- unchanged after `transform` (log-noid wraps). what: who received them.
function S.judge_relayed(t, what, sent, got, sent_at, transform)
  local expected = {}
  for i, m in ipairs(sent) do expected[i] = transform and transform(m) or m end
  if #got == 0 then
    t:fail(string.format("%s: none of the %d messages arrived within %s", what, #sent, S.ms(S.response_ms)))
    return false
  end
  local problems = {}
  for i, e in ipairs(expected) do
    local g = got[i]
    if not g then
      problems[#problems + 1] = string.format("#%d (%s) missing", i, tostring(sent[i].type))
    elseif not same(g.data, e) then
      problems[#problems + 1] = string.format("#%d is %s, expected %s", i, S.describe(g.data), S.describe(e))
    end
  end
  for i = #expected + 1, #got do problems[#problems + 1] = "extra delivery " .. S.describe(got[i].data) end
  if #problems == 0 then
    t:ok(string.format("%s: all %d messages arrived once, in order, unchanged", what, #sent))
    if sent_at and got[#got].at then t:measure("remotedev_relay", got[#got].at - sent_at, what .. ", last message") end
    return true
  end
  t:fail(what .. ": " .. table.concat(problems, "; "))
  return false
end

-- Nothing more carrying the nonce arrives on the channel within SETTLE_MS; returns the extras.
function S.quiet(p, channel, nonce, ms)
  local extra = S.collect(p, channel, math.huge, ms or S.settle_ms, S.with_nonce(nonce))
  return extra
end

---------------------------------------------------------------------------------------------
-- Closes

-- Waits for the server to close p; returns code, at_ms (arrival of the close) | nil.
function S.await_close(p, timeout_ms)
  local code = p:wait_closed(timeout_ms)
  if not code then return nil end
  return code, now()
end

-- Judges a close the server should make `base_ms` after `from`, with code `code` (§10).
-- seen_code nil: no close came.
function S.judge_timed_close(t, what, code, seen_code, closed_at, from, base_ms)
  local tol = S.tolerance(base_ms)
  if not seen_code then
    t:fail(string.format("%s: no close within %s (expected %d at %s +- %s)", what, S.ms(base_ms + tol + S.settle_ms),
      code, S.ms(base_ms), S.ms(tol)))
    return
  end
  local after = closed_at - from
  if seen_code ~= code then
    t:fail(string.format("%s: closed with %s after %s, expected %d", what, tostring(seen_code), S.ms(after), code))
    return
  end
  local text = string.format("%s: closed %d after %s (expected %s +- %s)", what, code, S.ms(after), S.ms(base_ms), S.ms(tol))
  if after < base_ms - tol then
    t:fail(text .. ": too early")
  elseif after > base_ms + tol then
    t:fail(text .. ": too late")
  else
    t:ok(text)
  end
end

return S
