-- What every wearable case needs: timing settings, connections that keep heartbeating while a
-- case waits on something else, IDENTIFY, DISPATCH collection and "not judged" preconditions.
--
-- A case runs in one coroutine, so nothing beats in the background: every wait goes through
-- link:recv(), which first sends the HEARTBEATs due on all of the case's connections and never
-- blocks past the next one due. Keep the waits short between recv calls (no sleep()).
local proto = require("wearable.proto")
local tokens = require("wearable.tokens")

local S = {}

local function env_ms(name, default)
  local v = tonumber(env[name])
  if v and v >= 0 then return v end
  return default
end

-- The identify timeout is not announced: docs/protocols/wearable.md §4.2 says 15 s; a test passes its fake's value.
S.identify_timeout_ms = env_ms("IDENTIFY_TIMEOUT_MS", proto.identify_timeout_ms)
S.hello_wait_ms = env_ms("HELLO_WAIT_MS", 5000)      -- longest wait for HELLO before giving up
S.hello_within_ms = env_ms("HELLO_WITHIN_MS", 1000)  -- "at once"
S.response_ms = env_ms("RESPONSE_TIMEOUT_MS", 3000)  -- READY, DISPATCH, a due close
S.settle_ms = env_ms("SETTLE_MS", 300)               -- quiet time that shows nothing more comes
S.slack_ms = env_ms("TIMING_SLACK_MS", 100)           -- network and scheduling, added to every tolerance
-- Auto-heartbeat every interval x this: a third, so that a server closing somewhat early (but
-- not before one interval) never catches a link that is waiting on something else.
S.beat_fraction = 1 / 3

S.op = proto.op

-- The tolerance of a timer of base_ms (the 4005 and 4000 deadlines): 20 % of it plus the slack,
-- on either side, so it scales with the timers (README "Timing").
function S.tolerance(base_ms) return base_ms * 0.2 + S.slack_ms end

-- "Promptly" (HEARTBEAT_ACK, READY): within half an interval, at most RESPONSE_TIMEOUT_MS, plus
-- the slack for delivery.
function S.prompt_ms(l) return math.min((l.interval or S.response_ms * 2) / 2, S.response_ms) + S.slack_ms end

-- How long a case may wait before IDENTIFY without risking 4000: an interval (so heartbeats
-- go out), at most 30 % of the identify timeout (a server closing at half its timeout is 6.1's
-- finding, not the waiting case's).
function S.pre_identify_wait(l)
  return math.min(math.max(S.settle_ms, l.interval or 0), S.identify_timeout_ms * 0.3)
end

-- Cases of this worker still running (suite.lua counts them); 6.13 waits for them.
S.running = 0

-- A precondition this case needs but another case judges: stop without a verdict of our own.
function S.require(t, cond, what)
  if not cond then
    t:info("not judged: " .. what .. " (another case covers that rule)")
    t:stop()
  end
  return cond
end

-- A configuration problem (e.g. the token file ran out): the case could not run.
function S.need(t, value, err)
  if value == nil then
    t:unimplemented("not run: " .. tostring(err))
    t:stop()
  end
  return value
end

local link = {}
link.__index = link

-- Sends the HEARTBEATs due on the case's links; returns the time the next one is due.
local function pump(t)
  local soonest = math.huge
  for _, l in ipairs(t.links or {}) do
    if l.auto_beat and l.interval and l.conn:is_open() then
      if now() >= l.next_beat then l:beat() end
      soonest = math.min(soonest, l.next_beat)
    end
  end
  return soonest
end

-- connect(t, name, opts) -> link. opts.hello=false: do not wait for HELLO (the case does);
-- opts.auto_beat=false: the case sends every HEARTBEAT itself.
-- Otherwise a missing HELLO is a precondition (cases 1.1/1.2 judge it).
function S.connect(t, name, opts)
  opts = opts or {}
  -- Opening a socket pumps no link: the case's other links beat now, so that a slow connect
  -- (a loaded machine, a sanitizer build) eats into their full silence budget, never into what
  -- was left of it (6.5 opens up to 8 consumers one after another).
  for _, other in ipairs(t.links or {}) do
    if other.auto_beat and other.interval and other.conn:is_open() then other:beat() end
  end
  local started = now()
  local conn = t:connect({ timeout = S.response_ms + 2000 })
  local l = setmetatable({ t = t, conn = conn, name = name, connect_started = started, opened_at = now(),
                           acks = 0, ack_times = {}, readies = 0, beat_times = {}, answered = 0,
                           max_round_trip = 0,
                           beats = 0, auto_beat = opts.auto_beat ~= false }, link)
  t.links = t.links or {}
  t.links[#t.links + 1] = l
  t:note(name .. " connected")
  if opts.hello ~= false then
    local hello, err = l:await_hello()
    S.require(t, hello, name .. " got no usable HELLO (" .. tostring(err) .. ")")
  end
  return l
end

-- Waits for HELLO (skipping nothing: HELLO must be first); sets the link's interval.
-- Returns hello | nil, why.
function link:await_hello(wait_ms)
  local msg, err = self:recv(wait_ms or S.hello_wait_ms, { acks = true })
  if msg == nil then return nil, "no frame within " .. math.floor(wait_ms or S.hello_wait_ms) .. " ms: " .. err end
  self.hello, self.hello_at = msg, self.conn:last_recv_time() or now()
  if not proto.is_op(msg, S.op.HELLO) then return nil, "first frame is not HELLO: " .. self.conn:last_raw() end
  local interval = proto.usable_interval(msg)
  if not interval then return nil, "HELLO carries no usable heartbeat_interval" end
  self:set_interval(interval)
  return msg
end

function link:set_interval(ms)
  self.interval = ms
  self.next_beat = now() + ms * S.beat_fraction
end

function link:beat()
  local at = self.t:send(self.conn, proto.heartbeat())
  self.beats = self.beats + 1
  self.last_beat = at or now()
  self.beat_times[#self.beat_times + 1] = self.last_beat
  if self.interval then self.next_beat = now() + self.interval * S.beat_fraction end
  return at
end

-- An ACK answers the oldest unanswered HEARTBEAT: its round trip shows how late this machine
-- and this server deliver right now (see S.delay_allowance).
function link:note_round_trip()
  self.answered = self.answered + 1
  local sent = self.beat_times[self.answered]
  if sent then
    self.max_round_trip = math.max(self.max_round_trip, (self.conn:last_recv_time() or now()) - sent)
  end
end

-- How much of a measured timer is delivery rather than the server's timer: the longest
-- HEARTBEAT round trip seen on the link, at most a quarter of the timer (a round trip that long
-- is a finding of 2.2, not an excuse). Timing cases subtract it before judging, so a loaded
-- machine does not turn a correct server's close into a late one (README "Timing").
function S.delay_allowance(l, timer_ms) return math.min(l.max_round_trip or 0, timer_ms * 0.25) end

function link:send(msg) return self.t:send(self.conn, msg) end
function link:send_raw(text) return self.t:send_raw(self.conn, text) end

-- recv(timeout_ms, opts) -> msg | nil, err ("timeout", "closed", ...). HEARTBEAT_ACKs are
-- counted and skipped unless opts.acks. Heartbeats of every link of the case go out meanwhile.
function link:recv(timeout_ms, opts)
  local deadline = now() + timeout_ms
  while true do
    local soonest = pump(self.t)
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local msg, err = self.t:recv(self.conn, math.max(1, math.min(left, soonest - now())))
    if msg ~= nil and proto.is_op(msg, S.op.READY) then self.readies = self.readies + 1 end
    if msg ~= nil and proto.is_op(msg, S.op.HEARTBEAT_ACK) then self:note_round_trip() end
    if msg ~= nil then
      if proto.is_op(msg, S.op.HEARTBEAT_ACK) and not (opts and opts.acks) then
        self.acks = self.acks + 1
        self.ack_times[#self.ack_times + 1] = self.conn:last_recv_time()
      else
        return msg
      end
    elseif err ~= "timeout" then
      return nil, err
    end
  end
end

-- Receives until match(msg); returns msg, skipped | nil, err, skipped.
function link:recv_until(match, timeout_ms, opts)
  local deadline, skipped = now() + timeout_ms, {}
  while true do
    local msg, err = self:recv(math.max(0, deadline - now()), opts)
    if msg == nil then return nil, err, skipped end
    if match(msg) then return msg, skipped end
    skipped[#skipped + 1] = msg
  end
end

-- Keeps the case's connections alive for ms, collecting what arrives on this link.
function link:pump(ms, opts)
  local got = {}
  local deadline = now() + ms
  while now() < deadline do
    local msg, err = self:recv(deadline - now(), opts)
    if msg == nil then
      if err ~= "timeout" then got.closed = err end
      break
    end
    got[#got + 1] = msg
  end
  return got
end

-- IDENTIFY and wait for READY. Returns ready_msg, ms_to_ready | nil, why (why says how the
-- server answered instead, e.g. "closed 4002 ...").
function link:identify(token, role_type)
  self.identify_at = self:send(proto.identify(token, role_type)) or now()
  local msg, err = self:recv_until(function(m) return proto.is_op(m, S.op.READY) end, S.response_ms)
  if msg then
    self.ready, self.ready_msg = true, msg
    return msg, (self.conn:last_recv_time() or now()) - self.identify_at
  end
  local code = self.conn:close_code()
  if code then return nil, "closed " .. code .. " " .. (self.conn:close_reason() or "") end
  return nil, "no READY within " .. math.floor(S.response_ms) .. " ms (" .. tostring(err) .. ")"
end

-- wait_close(timeout_ms) -> code, reason, at_ms | nil, "timeout" | nil, "dropped". Keeps beating.
-- The frames other than HEARTBEAT_ACK that came meanwhile are kept in self.before_close as
-- { msg = ..., at = arrival time }.
function link:wait_close(timeout_ms)
  local deadline = now() + timeout_ms
  self.before_close = {}
  while true do -- also once closed: frames still in the inbox came before the close
    local msg, err = self:recv(math.max(0, deadline - now()))
    if msg == nil and err == "timeout" then return nil, "timeout" end
    if msg == nil then break end
    self.before_close[#self.before_close + 1] = { msg = msg, at = self.conn:last_recv_time() or now() }
  end
  local at = now()
  local code, reason = self.conn:wait_close(math.max(1, math.min(1000, deadline - now())))
  if not code then return nil, "dropped" end
  self.t:note(self.name .. " closed by " .. (self.conn:closed_by_server() and "server" or "client") .. " with " ..
    code .. " " .. (reason or ""))
  return code, reason, at
end

-- expect_close(code, timeout_ms, variants, answer) -> code seen. FAILED unless the server closes
-- with code (a code in variants, {[1003] = "why"}, is NON-STRICT). answer judges the rest of the
-- server's answer to the provoking frame: answer.readies = how many READYs this connection may
-- have received in all (READY is counted over the connection's life, so an unprompted one
-- counts too: §4.5 allows one per accepted IDENTIFY); answer.quiet = nothing but HEARTBEAT_ACK
-- (and READY, counted apart) arrives between answer.sent_at and the close.
function link:expect_close(code, timeout_ms, variants, answer)
  local seen, reason = self:wait_close(timeout_ms or S.response_ms)
  local t = self.t
  if answer and answer.readies then
    t:check(self.readies == answer.readies, string.format("%s: %d READY on this connection (one per accepted " ..
      "IDENTIFY, none for a refused one)", self.name, answer.readies), string.format("%d READY", self.readies))
  end
  if answer and answer.quiet then
    local extra = {}
    for _, f in ipairs(self.before_close or {}) do
      if f.at >= (answer.sent_at or 0) and not proto.is_op(f.msg, S.op.READY) then extra[#extra + 1] = f.msg end
    end
    t:check(#extra == 0, self.name .. ": nothing but HEARTBEAT_ACK before the close", #extra > 0 and extra or nil)
  end
  if seen == code then
    t:ok(self.name .. ": server closed with " .. code)
  elseif seen and variants and variants[seen] then
    t:non_strict(self.name .. ": server closed with " .. seen .. " (" .. variants[seen] .. "); the document says " .. code)
  elseif seen then
    t:fail(self.name .. ": server closed with " .. seen .. " " .. (reason or "") .. ", expected " .. code)
  elseif reason == "dropped" then
    t:fail(self.name .. ": connection dropped without a close frame, expected close " .. code)
  else
    t:fail(self.name .. ": no close within " .. math.floor(timeout_ms or S.response_ms) .. " ms, expected " .. code)
  end
  return seen
end

-- Developer ids unique to this case and run (concurrent cases never share a consumer limit).
function S.developer(t, label)
  return S.need(t, tokens.developer(t.case.id .. (label and ("-" .. label) or "")))
end

function S.user(t, dev, label) return S.need(t, tokens.user(dev, label)) end

-- A consumer link of dev, identified (READY is a precondition unless opts.may_fail: then
-- returns link, nil, why on refusal).
function S.consumer(t, dev, name, opts)
  local token = S.need(t, tokens.consumer(dev))
  local l = S.connect(t, name)
  local ready, why = l:identify(token, proto.consumer)
  if not ready and not (opts and opts.may_fail) then
    S.require(t, false, name .. " (consumer of " .. dev .. ") got no READY: " .. why)
  end
  l.dev = dev
  return l, ready, why
end

-- A producer link of user label of dev, identified; l.user is the uid DISPATCHes should carry.
function S.producer(t, dev, label, name, opts)
  local user = S.user(t, dev, label)
  local token = S.need(t, tokens.producer(dev, user))
  local l = S.connect(t, name, opts)
  local ready, why = l:identify(token, proto.producer)
  S.require(t, ready, name .. " (producer " .. user .. ") got no READY: " .. tostring(why))
  l.dev, l.user = dev, user
  return l
end

-- A DISPATCH is foreign to a case when it names a user the case did not create. One without a
-- uid is kept: the schema and routing cases judge that.
function S.foreign(msg, users)
  return type(msg.uid) == "string" and not users[msg.uid]
end

-- Collects DISPATCHes (of the case's users; all when users is nil) on l until n arrived or
-- timeout_ms passed.
-- Returns the list in arrival order and the list of other frames received meanwhile.
function link:collect(n, timeout_ms, users)
  local got, other = {}, {}
  local deadline = now() + timeout_ms
  while #got < n do
    local msg, err = self:recv(math.max(0, deadline - now()))
    if msg == nil then
      if err ~= "timeout" then other.closed = err end
      break
    end
    if proto.is_op(msg, S.op.DISPATCH) and not (users and S.foreign(msg, users)) then
      got[#got + 1] = msg
    else
      other[#other + 1] = msg
    end
  end
  return got, other
end

-- Submits each sample {t=, d=} of list from producer p.
function S.submit_all(p, list)
  for _, s in ipairs(list) do
    local ok, err = p:send(proto.submit(s.t, s.d))
    if not ok then p.t:abort(p.name .. " could not SUBMIT: " .. tostring(err)) end
  end
end

-- Matches received DISPATCHes to submitted samples (same t, every submitted field unchanged).
-- Returns matched[i] = dispatch for sample i (or nil) and the list of unmatched dispatches.
function S.match(samples, dispatches)
  local matched, extra, used = {}, {}, {}
  for _, msg in ipairs(dispatches) do
    local hit
    for i, s in ipairs(samples) do
      if not used[i] and msg.t == s.t and proto.carries(s.d, msg.d) then hit = i break end
    end
    if hit then used[hit] = true matched[hit] = msg else extra[#extra + 1] = msg end
  end
  return matched, extra
end

-- n distinct scalar samples (val unique within the case).
function S.samples(n, t_name, base)
  local list = {}
  for i = 1, n do list[i] = { t = t_name or "HEART_RATE", d = { val = (base or 60) + i } } end
  return list
end

function S.describe(v)
  if type(v) == "table" then
    local ok, text = pcall(json.encode, v)
    if ok then return text end
  end
  return tostring(v)
end

S.proto, S.tokens = proto, tokens
return S
