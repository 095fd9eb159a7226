-- A SocketCluster client on drover's ws API (docs/protocols/remotedev.md §1-§5): the handshake,
-- emits with and without an answer (cid -> rid), #subscribe / #unsubscribe, #publish delivery,
-- and the server's pings answered as they arrive, for protocol v1 ('#1' -> '#2') and v2 (empty
-- frame -> empty frame), or whichever the first ping shows ("auto").
--
--   local socketcluster = require("socketcluster")
--   local sc, err = socketcluster.connect(url, { version = "auto" })   -- connects and handshakes
--   local answer = sc:call("login", "master")          -- {rid=, data="respond"} | nil, "timeout"
--   sc:subscribe(answer.data)
--   sc:emit("log", { type = "ACTION", id = sc.id })    -- no cid: no answer wanted
--   local data, at = sc:next_publish("respond", 5000)  -- the next delivery on that channel
--
-- One client belongs to one coroutine (a simulated client or a conformance case). Nothing runs
-- in the background: frames, pings included, are handled while a method waits (call, await,
-- next_publish, next_event, pump, wait_version). A client that sleeps longer than the server's
-- pingTimeout (v1 20 s, v2 30 s) is closed with 4001, so wait with sc:pump(ms), not sleep(ms).
--
-- Costs per frame: one conn:recv (decoded in C++), a few table lookups; no closure or table is
-- made per frame unless a delivery is queued (two array slots) or opts.trace is set. Queues are
-- bounded (opts.max_queue per channel, oldest dropped and counted in sc.dropped).
local socketcluster = {}

socketcluster.ping_text = { v1 = "#1", v2 = "" }
socketcluster.pong_text = { v1 = "#2", v2 = "" }
socketcluster.default_timeout_ms = 10000

local client = {}
client.__index = client
socketcluster.client = client

local function new_queue() return { first = 1, last = 0, items = {}, times = {} } end

local function queue_push(c, q, item, at)
  local last = q.last + 1
  q.last = last
  q.items[last], q.times[last] = item, at
  if last - q.first >= c.max_queue then
    q.items[q.first], q.times[q.first] = nil, nil
    q.first = q.first + 1
    c.dropped = c.dropped + 1
  end
end

local function queue_pop(q)
  local first = q.first
  if first > q.last then return nil end
  local item, at = q.items[first], q.times[first]
  q.items[first], q.times[first] = nil, nil
  q.first = first + 1
  return item, at
end

-- wrap(conn, opts) -> client around an open ws connection (no handshake sent). opts:
--   version      "v1" | "v2" | "auto" (default): "auto" learns it from the first ping
--   answer_pings false: never answer pings (a silent peer, for pingTimeout tests)
--   max_queue    deliveries kept per channel (and events kept) before the oldest is dropped (10000)
--   timeout      default wait of call/await/subscribe in ms (10000)
--   trace        function(direction, text) seeing every frame: "sent", "received", "event"
--   record_pings true: keep every ping's arrival time in sc.ping_times (ms, run clock)
function socketcluster.wrap(conn, opts)
  opts = opts or {}
  local version = opts.version or "auto"
  if version ~= "v1" and version ~= "v2" and version ~= "auto" then
    error("socketcluster: unknown protocol version '" .. tostring(version) .. "' (v1, v2 or auto)", 2)
  end
  return setmetatable({
    conn = conn,
    requested_version = version,
    version = version ~= "auto" and version or nil,  -- nil until the first ping when "auto"
    detected_version = nil,                          -- the version the first ping showed
    answer_pings = opts.answer_pings ~= false,
    max_queue = opts.max_queue or 10000,
    timeout = opts.timeout or socketcluster.default_timeout_ms,
    trace = opts.trace,
    cid = 0,
    pending = {},   -- cid -> true while its answer is awaited
    answers = {},   -- cid -> answer packet, until await() takes it
    queues = {},    -- channel -> queue of deliveries (data, arrival time)
    handlers = {},  -- channel -> function(data, channel, packet), instead of a queue
    events = new_queue(),  -- other server packets and non-JSON text that is not a ping
    pings = 0, pings_v1 = 0, pings_v2 = 0, first_ping_at = nil, last_ping_at = nil,
    ping_times = opts.record_pings and {} or nil,
    pongs = 0,
    received = 0, deliveries = 0, dropped = 0, stray_answers = 0, last_stray = nil,
    last_sent_at = nil,     -- when the last frame left (ms, run clock): what the server heard last
    closed = false, close_code = nil, close_reason = nil, closed_at = nil,
    id = nil, ping_timeout = nil, authenticated = nil, handshake_answer = nil,
  }, client)
end

-- connect(url, opts) -> client | nil, err, message. Connects (url nil: the run's target), then
-- sends the handshake unless opts.handshake == false. opts as for wrap, plus: ws (the options
-- of ws.connect: headers, query, timeout, ...), auth_token (sent in the handshake, default null).
function socketcluster.connect(url, opts)
  if type(url) == "table" then url, opts = nil, url end
  opts = opts or {}
  local conn, err, message
  if url then conn, err, message = ws.connect(url, opts.ws or {}) else conn, err, message = ws.connect(opts.ws or {}) end
  if not conn then return nil, err, message end
  local c = socketcluster.wrap(conn, opts)
  if opts.handshake ~= false then
    local answer, why, detail = c:handshake(opts.timeout, opts.auth_token)
    if not answer then
      c:close(1000, "handshake failed")
      return nil, "handshake", "handshake: " .. tostring(why) .. (detail and (" " .. tostring(detail)) or "")
    end
  end
  return c
end

local function traced_send(c, payload)
  local at, err, detail = c.conn:send(payload)
  if c.trace then
    local text = payload
    if type(payload) ~= "string" then
      local ok, encoded = pcall(json.encode, payload)
      text = ok and encoded or tostring(payload)
    end
    c.trace("sent", text)
  end
  if not at then
    if not c.conn:is_open() then c:note_closed() end
    return nil, err, detail
  end
  c.last_sent_at = at
  return at
end

-- send(packet) -> sent_at | nil, err: a table (JSON-encoded) or a text frame, as it is.
function client:send(packet) return traced_send(self, packet) end

-- send_raw(text): a text frame sent unvalidated (deliberately wrong input).
function client:send_raw(text)
  local at, err, detail = self.conn:send_raw(text)
  if self.trace then self.trace("sent", text) end
  if at then self.last_sent_at = at end
  return at, err, detail
end

-- pong(version): the answer to a ping of that version (the client's own version by default).
function client:pong(version)
  version = version or self.version or "v1"
  self.pongs = self.pongs + 1
  return traced_send(self, socketcluster.pong_text[version])
end

function client:note_closed()
  if self.closed then return end
  self.closed = true
  self.closed_at = now()
  self.close_code = self.conn:close_code()
  self.close_reason = self.conn:close_reason()
  if self.trace then
    self.trace("event", "closed " .. tostring(self.close_code) .. " " .. tostring(self.close_reason or ""))
  end
end

local function on_ping(c, version)
  local at = c.conn:last_recv_time()
  c.pings = c.pings + 1
  if version == "v1" then c.pings_v1 = c.pings_v1 + 1 else c.pings_v2 = c.pings_v2 + 1 end
  if not c.first_ping_at then c.first_ping_at = at end
  c.last_ping_at = at
  if c.ping_times then c.ping_times[#c.ping_times + 1] = at end
  if not c.detected_version then c.detected_version = version end
  if not c.version then c.version = version end
  -- Answered in kind: a ping of the other version still gets the pong it asks for, and the
  -- counters above tell a conformance case which format came.
  if c.answer_pings then c:pong(version) end
end

local function on_packet(c, p, at)
  if type(p) ~= "table" then
    queue_push(c, c.events, p, at)
    return
  end
  local event = p.event
  if event == "#publish" then
    local d = p.data
    local channel = type(d) == "table" and d.channel or nil
    if type(channel) == "string" then
      c.deliveries = c.deliveries + 1
      local handler = c.handlers[channel]
      if handler then
        handler(d.data, channel, p)
        return
      end
      local q = c.queues[channel]
      if not q then
        q = new_queue()
        c.queues[channel] = q
      end
      queue_push(c, q, d.data, at)
      return
    end
    queue_push(c, c.events, p, at)
  elseif event ~= nil then
    queue_push(c, c.events, p, at)
  elseif p.rid ~= nil then
    local rid = p.rid
    if c.pending[rid] then
      c.answers[rid] = p
    else
      c.stray_answers = c.stray_answers + 1
      c.last_stray = p
    end
  else
    queue_push(c, c.events, p, at)
  end
end

local function on_frame(c, frame)
  if frame == "#1" then return on_ping(c, "v1") end
  if frame == "" then return on_ping(c, "v2") end
  local at = c.conn:last_recv_time()
  if type(frame) == "table" and frame.event == nil and frame.rid == nil and frame[1] ~= nil then
    for i = 1, #frame do on_packet(c, frame[i], at) end  -- a batch: a JSON array of packets
  else
    on_packet(c, frame, at)
  end
end

-- step(timeout_ms) -> true | nil, "timeout" | nil, "closed" (or another transport word):
-- receives and handles at most one frame.
function client:step(timeout_ms)
  if self.closed then return nil, "closed" end
  local frame, err = self.conn:recv(timeout_ms >= 1 and timeout_ms or 1)  -- < 1 ms would wait forever
  if frame == nil then
    if err ~= "timeout" then self:note_closed() end
    return nil, err
  end
  self.received = self.received + 1
  if self.trace then self.trace("received", self.conn:last_raw()) end
  on_frame(self, frame)
  return true
end

-- pump(ms) -> true | nil, why: handles every frame arriving within ms (pings are answered).
function client:pump(ms)
  local deadline = now() + ms
  while true do
    local left = deadline - now()
    if left <= 0 then return true end
    local ok, err = self:step(left)
    if not ok and err ~= "timeout" then return nil, err end
  end
end

-- next_cid() -> a fresh cid whose answer await() will wait for: for packets built by hand
-- (a batch sent as one JSON array, a packet with extra fields).
function client:next_cid()
  local cid = self.cid + 1
  self.cid = cid
  self.pending[cid] = true
  return cid
end

-- request(event, data) -> cid, sent_at | nil, err: an emit that wants an answer; await(cid)
-- gets it.
function client:request(event, data)
  local cid = self:next_cid()
  local at, err, detail = traced_send(self, { event = event, data = data, cid = cid })
  if not at then
    self.pending[cid] = nil
    return nil, err, detail
  end
  return cid, at
end

-- await(cid, [timeout_ms]) -> answer | nil, "timeout" | nil, "closed". The answer is the whole
-- packet: {rid=, data=} or {rid=, error=}. After a timeout a late answer counts as stray.
function client:await(cid, timeout_ms)
  local answers = self.answers
  local deadline = now() + (timeout_ms or self.timeout)
  while answers[cid] == nil do
    local left = deadline - now()
    if left <= 0 then
      self.pending[cid] = nil
      return nil, "timeout"
    end
    local ok, err = self:step(left)
    if not ok and err ~= "timeout" then
      if answers[cid] ~= nil then break end
      self.pending[cid] = nil
      return nil, err
    end
  end
  local answer = answers[cid]
  answers[cid], self.pending[cid] = nil, nil
  return answer
end

-- answered(cid) -> the answer if it has arrived (without waiting or taking it).
function client:answered(cid) return self.answers[cid] end

-- call(event, data, [timeout_ms]) -> answer | nil, why (request + await).
function client:call(event, data, timeout_ms)
  local cid, err, detail = self:request(event, data)
  if not cid then return nil, err, detail end
  return self:await(cid, timeout_ms)
end

-- emit(event, data) -> sent_at | nil, err: no cid, so no answer.
function client:emit(event, data)
  return traced_send(self, { event = event, data = data })
end

-- handshake([timeout_ms], [auth_token]) -> answer | nil, why, detail. Sets sc.id,
-- sc.ping_timeout and sc.authenticated from the answer.
function client:handshake(timeout_ms, auth_token)
  local answer, why = self:call("#handshake", { authToken = auth_token == nil and json.null or auth_token }, timeout_ms)
  if not answer then return nil, why end
  self.handshake_answer = answer
  if answer.error ~= nil then return nil, "error", answer.error end
  local d = answer.data
  if type(d) ~= "table" then return nil, "malformed", "the answer has no data object" end
  self.id, self.ping_timeout, self.authenticated = d.id, d.pingTimeout, d.isAuthenticated
  return answer
end

local function acked(answer, why)
  if not answer then return nil, why end
  if answer.error ~= nil then
    local e = answer.error
    local text = type(e) == "table" and (tostring(e.name or "error") .. ": " .. tostring(e.message or "")) or tostring(e)
    return nil, "error", text
  end
  return true, answer
end

-- subscribe(channel, [timeout_ms]) -> true, answer | nil, why, detail. Deliveries on the
-- channel are queued (next_publish) unless a handler is set (on_publish).
function client:subscribe(channel, timeout_ms)
  return acked(self:call("#subscribe", { channel = channel }, timeout_ms))
end

-- unsubscribe(channel, [timeout_ms]) -> true, answer | nil, why, detail.
function client:unsubscribe(channel, timeout_ms)
  return acked(self:call("#unsubscribe", channel, timeout_ms))
end

-- publish(channel, data, [timeout_ms]) -> true, answer | nil, why, detail: a client #publish
-- (which a RemoteDev server refuses: nil, "error", text).
function client:publish(channel, data, timeout_ms)
  return acked(self:call("#publish", { channel = channel, data = data }, timeout_ms))
end

-- on_publish(channel, fn): fn(data, channel, packet) for every delivery on the channel, as it is
-- handled (inside whichever method is waiting), instead of queueing it. fn = nil queues again.
function client:on_publish(channel, fn) self.handlers[channel] = fn end

-- next_publish(channel, [timeout_ms]) -> data, arrival_ms | nil, why: the oldest delivery on the
-- channel, waiting for one if none is queued.
function client:next_publish(channel, timeout_ms)
  local deadline = now() + (timeout_ms or self.timeout)
  while true do
    local q = self.queues[channel]
    if q and q.first <= q.last then return queue_pop(q) end
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local ok, err = self:step(left)
    if not ok and err ~= "timeout" then return nil, err end
  end
end

-- queued(channel) -> how many deliveries wait on the channel.
function client:queued(channel)
  local q = self.queues[channel]
  return q and (q.last - q.first + 1) or 0
end

-- next_event([timeout_ms]) -> packet, arrival_ms | nil, why: the oldest server packet that is no
-- answer and no delivery (e.g. "#disconnect", an emit addressed to this socket), or a text frame
-- that is neither JSON nor a ping (as a string).
function client:next_event(timeout_ms)
  local deadline = now() + (timeout_ms or self.timeout)
  while true do
    local q = self.events
    if q.first <= q.last then return queue_pop(q) end
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local ok, err = self:step(left)
    if not ok and err ~= "timeout" then return nil, err end
  end
end

-- wait_version([timeout_ms]) -> "v1" | "v2" | nil, why: the version given, or the first ping's.
function client:wait_version(timeout_ms)
  local deadline = now() + (timeout_ms or self.timeout)
  while not self.version do
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local ok, err = self:step(left)
    if not ok and err ~= "timeout" then return nil, err end
  end
  return self.version
end

-- wait_closed([timeout_ms]) -> code, reason, at_ms | nil, "timeout": handles frames (answering
-- pings if it does) until the server closes.
function client:wait_closed(timeout_ms)
  local deadline = now() + (timeout_ms or self.timeout)
  while not self.closed do
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    self:step(left)
  end
  local code, reason = self.conn:wait_close(math.max(1, deadline - now()))
  if code then self.close_code, self.close_reason = code, reason end
  return self.close_code, self.close_reason, now()
end

function client:is_open() return not self.closed and self.conn:is_open() end

-- close([code], [reason]) -> true | nil, err: the client's closing handshake.
function client:close(code, reason)
  if self.closed or not self.conn:is_open() then
    self:note_closed()
    return true
  end
  local ok, err = self.conn:close(code or 1000, reason or "")
  self:note_closed()
  return ok, err
end

return socketcluster
