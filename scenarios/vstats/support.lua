-- What every vStats case needs (docs/protocols/vstats.md): timer settings, the two endpoints
-- derived from the target, dashboard links that keep every message they receive, agents that
-- report, and the tolerance arithmetic of §11.
--
-- Dashboards receive every server's messages, so concurrent cases see each other's traffic:
-- a case only judges messages about its own servers (ids unique to the case and run), except
-- the envelope and schema cases, which judge everything they receive.
local proto = require("vstats.proto")
local tokens = require("vstats.tokens")

local S = {}

local function env_ms(name, default)
  local v = tonumber(env[name])
  if v and v > 0 then return v end
  return default
end

S.ping_interval_ms = env_ms("PING_INTERVAL_MS", proto.ping_interval_ms)
S.report_interval_ms = env_ms("REPORT_INTERVAL_MS", proto.report_interval_ms)
S.missed_reports = env_ms("MISSED_REPORTS", proto.missed_reports)
S.prompt_ms = env_ms("PROMPT_MS", math.max(1000, S.report_interval_ms))  -- §11 "promptly"
S.settle_ms = env_ms("SETTLE_MS", 300)             -- quiet time that shows nothing more comes
S.bad_token_wait_ms = env_ms("BAD_TOKEN_WAIT_MS", 3500)  -- how long a refused agent is watched
S.bad_token_limit_ms = proto.bad_token_close_ms * 1.1    -- 1 s + 10 % scheduling tolerance

-- §11: a ping gap is on time within +-max(20 %, 100 ms) (env PING_TOLERANCE_MS replaces it).
function S.ping_tolerance(interval) return env_ms("PING_TOLERANCE_MS", math.max(interval * 0.2, 100)) end
-- §11: offline is due at missed x I; on time within +-(I/2 + 100 ms).
function S.offline_margin(interval) return interval / 2 + 100 end

function S.target(t)
  if not env.TARGET then
    t:unimplemented("not run: env.TARGET is not set (drover conform sets it from --target; drover run needs " ..
      "--target or --env TARGET=ws://HOST:PORT)")
    t:stop()
  end
  return env.TARGET
end

-- Endpoint paths; a server behind a path prefix sets them (env DASHBOARD_PATH, AGENT_PATH).
S.paths = { ["/ws"] = env.DASHBOARD_PATH or "/ws", ["/ws/agent"] = env.AGENT_PATH or "/ws/agent" }

function S.url(t, path)
  local url, err = proto.url(S.target(t), S.paths[path] or path)
  if not url then t:abort(err) end
  return url
end

-- A configuration problem (e.g. the token file ran out): the case could not run.
function S.need(t, value, err)
  if value == nil then
    t:unimplemented("not run: " .. tostring(err))
    t:stop()
  end
  return value
end

local function ms(v) return string.format("%.0f ms", v) end
S.ms = ms

---------------------------------------------------------------------------------------------
-- Dashboards

local dashboard = {}
dashboard.__index = dashboard

function S.dashboard(t, name)
  local conn = t:connect(S.url(t, "/ws"), { timeout = 5000 })
  local d = setmetatable({ t = t, conn = conn, name = name or "dashboard", seen = {}, opened_at = now() }, dashboard)
  t:note(d.name .. " connected")
  -- A server registers a dashboard when its handshake completes, which may be a moment after
  -- the client has the 101 (another thread): events the case causes start SETTLE_MS later, so
  -- that a dashboard missing them is the server's fault, not a race the suite started.
  sleep(S.settle_ms)
  return d
end

-- recv(timeout_ms) -> msg, at | nil, err. Every message is kept in d.seen as {msg=, at=}.
function dashboard:recv(timeout_ms)
  local msg, err = self.t:recv(self.conn, math.max(1, timeout_ms))
  if msg == nil then return nil, err end
  local at = self.conn:last_recv_time() or now()
  self.seen[#self.seen + 1] = { msg = msg, at = at }
  return msg, at
end

-- Receives until match(msg); returns msg, at | nil, why.
function dashboard:await(match, timeout_ms)
  local deadline = now() + timeout_ms
  while true do
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local msg, at = self:recv(left)
    if msg == nil then return nil, at end
    if match(msg) then return msg, at end
  end
end

-- Receives for ms (or until stop(msg) is true); returns the list of {msg=, at=} matching match.
function dashboard:gather(match, duration_ms, stop)
  local got, deadline = {}, now() + duration_ms
  while true do
    local left = deadline - now()
    if left <= 0 then break end
    local msg, at = self:recv(left)
    if msg == nil then break end
    if match(msg) then
      got[#got + 1] = { msg = msg, at = at }
      if stop and stop(msg) then break end
    end
  end
  return got
end

---------------------------------------------------------------------------------------------
-- Agents

local agent = {}
agent.__index = agent

-- An accepted agent of a server unique to this case (label tells a case's agents apart).
-- Its reports carry network.total_rx = a tag unique to the agent and total_tx = 1, 2, 3 ...
function S.agent(t, label)
  local token, id = tokens.agent(t.case.id .. "-" .. (label or "a"))
  S.need(t, token, id)
  local conn = t:connect(S.url(t, "/ws/agent"), { query = { token = token }, timeout = 5000 })
  local a = setmetatable({ t = t, conn = conn, token = token, id = id, name = "agent " .. id, n = 0, sent = {},
                           tag = math.random(1000000, 2000000000), opened_at = now() }, agent)
  t:note(a.name .. " connected")
  return a
end

-- An agent with the given token (or none when token is nil); returns conn | nil, err, info.
function S.agent_with(t, token)
  local opts = { timeout = 5000, allow_failure = true }
  if token ~= nil then opts.query = { token = token } end
  local conn, err, message, info = t:connect(S.url(t, "/ws/agent"), opts)
  if not conn then return nil, message or err, info end
  return conn
end

-- Sends the next report; returns the send time | nil, err.
function agent:report(opts)
  self.n = self.n + 1
  opts = opts or {}
  opts.tag, opts.n = self.tag, self.n
  local at, err = self.t:send(self.conn, proto.report(opts))
  self.sent[self.n] = at
  return at, err
end

function agent:heartbeat() return self.t:send(self.conn, proto.heartbeat()) end

-- A real-dialect agent (§14): /ws/agent without a token; auth(t) sends the in-band auth.
function S.real_agent(t, label)
  local token, id = tokens.agent(t.case.id .. "-" .. (label or "a"))
  S.need(t, token, id)
  local conn = t:connect(S.url(t, "/ws/agent"), { timeout = 5000 })
  local a = setmetatable({ t = t, conn = conn, token = token, id = id, name = "agent " .. id, n = 0, sent = {},
                           tag = math.random(1000000, 2000000000), opened_at = now() }, agent)
  return a
end

-- Sends auth (with the agent's token unless given another) and waits for the answer;
-- returns answer, ms | nil, why.
function agent:auth(token)
  local sent = self.t:send(self.conn, proto.auth(self.id, token or self.token)) or now()
  local msg, err = self.t:recv_until(self.conn, function(m) return type(m) == "table" and m.type == "auth" end,
    S.prompt_ms)
  if not msg then return nil, err end
  return msg, (self.conn:last_recv_time() or now()) - sent
end

function agent:real_report(opts)
  self.n = self.n + 1
  opts = opts or {}
  opts.tag, opts.n = self.tag, self.n
  return self.t:send(self.conn, proto.real_report(opts))
end

S.delta_interval_ms = env_ms("DELTA_INTERVAL_MS", 5000)

-- Predicates for dashboard messages.
function S.about(kind, id) return function(m) return proto.is(m, kind, id) end end

-- A metrics message carrying this agent's figures (its tag), whatever server_id it names.
function agent:carries(msg)
  local rx = proto.network_of(msg)
  return proto.is(msg, "metrics") and rx == self.tag
end

function S.describe(v)
  if type(v) == "table" then
    local ok, text = pcall(json.encode, v)
    if ok then return #text > 300 and (text:sub(1, 300) .. "...") or text end
  end
  return tostring(v)
end

S.proto, S.tokens = proto, tokens
return S
