-- What every WiDB case needs (docs/protocols/widb.md): phones and dashboards on the target,
-- unique apiKeys and line texts per case, collecting the logData of one case's phones, and the
-- "closed cleanly, ignored or dropped" judgement of §4.
--
-- Cases run at the same time and a faulty server may send one dashboard another case's
-- traffic, so everything a case collects is filtered by its own nonce (line texts) or its own
-- timeStamps (metrics); what does not match is counted as foreign and left to case 5.1.
local proto = require("widb.proto")

local S = { proto = proto }

local function env_ms(name, default)
  local v = tonumber(env[name])
  if v and v >= 0 then return v end
  return default
end

S.response_ms = env_ms("RESPONSE_TIMEOUT_MS", 3000) -- a logData or forwarded metrics, a pong
S.settle_ms = env_ms("SETTLE_MS", 300)              -- quiet time that shows nothing (more) comes
S.doc = "docs/protocols/widb.md "

-- A key and a text prefix no other case (or run) uses.
function S.nonce(t, what)
  return string.format("drover-%s-%s-%06d", what or "case", t.case.id:gsub("%.", "_"), math.random(0, 999999))
end

-- A precondition another case judges: stop here without a verdict of our own.
function S.require(t, cond, what)
  if not cond then
    t:info("not judged: " .. what .. " (another case covers that rule)")
    t:stop()
  end
  return cond
end

-- Epoch-ms timeStamps unique to this case: 1.7e12 + case client id x 1000 + k.
function S.metrics(t, os_type, k)
  return proto.device_metrics(os_type, { cpu = 0.27, mem_kb = 1843200 + k, mem_total_kb = 3774873,
    sent_bps = 1024.5, recv_bps = 20480.25, ts = 1700000000000 + vu.id * 1000 + k })
end

-- A phone with a started session.
function S.phone(t, api_key, os_type, name)
  local conn = t:connect({ timeout = S.response_ms + 2000 })
  t:note((name or "phone") .. " connected")
  t:send(conn, proto.start_session(api_key, os_type))
  return conn
end

-- A dashboard associated with api_key. A ping after associateUser makes sure the server has
-- read it (frames are handled in order) before the case's phones send anything.
function S.dashboard(t, api_key, name)
  local conn = t:connect({ timeout = S.response_ms + 2000 })
  t:note((name or "dashboard") .. " connected")
  t:send(conn, proto.associate(api_key))
  if not conn:ping(S.response_ms) then sleep(S.settle_ms) end
  return conn
end

-- n line texts "NONCE #001: WORDS" (no text is a prefix of another).
function S.texts(nonce, n, words)
  local out = {}
  for i = 1, n do out[i] = string.format("%s #%03d: %s", nonce, i, words or "x") end
  return out
end

-- Sends a logDump; returns the send time.
function S.dump(t, conn, lines, os_type)
  return t:send(conn, proto.log_dump(lines, os_type))
end

-- Receives on a dashboard until `done(state)` or timeout_ms. state.log_data: this case's logData
-- (any entry text holds nonce), state.metrics: deviceMetrics whose timeStamp is in
-- stamps (a set), state.foreign: messages of neither kind, state.closed: why recv stopped.
function S.collect(t, conn, nonce, stamps, timeout_ms, done)
  local state = { log_data = {}, metrics = {}, foreign = 0, first_at = nil }
  local deadline = now() + timeout_ms
  while not (done and done(state)) do
    local left = deadline - now()
    if left <= 0 then break end
    local msg, err = t:recv(conn, math.max(1, left))
    if msg == nil then
      if err ~= "timeout" then state.closed = err end
      break
    end
    local mine = false
    if type(msg) == "table" and msg.messageType == "logData" and nonce then
      if proto.haystack({ msg }):find(nonce, 1, true) then
        mine = true
        state.log_data[#state.log_data + 1] = msg
        state.first_at = state.first_at or conn:last_recv_time()
        state.last_at = conn:last_recv_time()
      end
    elseif type(msg) == "table" and msg.messageType == "deviceMetrics" and stamps and stamps[msg.timeStamp] then
      mine = true
      state.metrics[#state.metrics + 1] = msg
    end
    if not mine then state.foreign = state.foreign + 1 end
  end
  return state
end

-- Waits until every text arrived (in order) on the dashboard; judges §7.2/§7.3 for them.
-- Returns the collected state. what: a short description for the findings.
function S.expect_texts(t, conn, nonce, texts, what, sent_at)
  local st = S.collect(t, conn, nonce, nil, S.response_ms, function(st)
    return select(1, proto.find_in_order(proto.haystack(st.log_data), texts)) == #texts
  end)
  if #st.log_data == 0 then
    t:fail(string.format("%s: no logData with the dump's lines reached the dashboard within %d ms%s", what,
      S.response_ms, st.closed and (" (dashboard " .. st.closed .. ")") or ""))
    return st
  end
  local found, problems = proto.find_in_order(proto.haystack(st.log_data), texts)
  if found == #texts then
    t:ok(string.format("%s: the text of all %d lines arrived in order (%d logData, %d entries)", what, #texts,
      #st.log_data, #proto.entries(st.log_data[1])))
  else
    t:fail(string.format("%s: %d of %d line texts arrived in order; %s", what, found, #texts,
      table.concat(problems, "; ")))
  end
  if sent_at and st.first_at then t:measure("widb_dump_to_log_data", st.first_at - sent_at, what) end
  return st
end

-- §3.4/§5.3: after valid input the connection must stay open and answer a ping.
function S.expect_open(t, conn, what)
  local code = conn:is_open() and nil or conn:close_code()
  if not code then
    local rtt, err = conn:ping(S.response_ms)
    if rtt then return t:ok(what .. ": the connection is open (ping answered)") end
    code = conn:close_code()
    if not code then return t:fail(what .. ": ping not answered (" .. tostring(err) .. ")") end
  end
  if code == 1006 then return t:fail(what .. ": the connection was dropped without a close frame (1006)") end
  local by = conn:closed_by_server() and "the server" or "drover"
  t:fail(string.format("%s: the connection was closed (by %s, code %s %s)", what, by, tostring(code),
    tostring(conn:close_reason() or "")))
end

-- §4: after bad input the server may close with 1003/1007 or ignore it; an abrupt drop (or
-- another close) is FAILED. Returns "open" | "closed". opts.ping = false: judge "ignored" by
-- SETTLE_MS x 2 without a close alone (before startSession, where case 1.4 judges pings).
function S.judge_bad_input(t, conn, what, opts)
  local code, reason = t:wait_close(conn, S.settle_ms * 2)
  if not code and opts and opts.ping == false and conn:is_open() then
    t:ok(what .. ": ignored, the connection stays open")
    return "open"
  end
  if not code then
    local rtt = conn:is_open() and conn:ping(S.response_ms)
    if rtt then
      t:ok(what .. ": ignored, the connection goes on (ping answered)")
      return "open"
    end
    code, reason = conn:close_code(), conn:close_reason()
    if not code then
      t:fail(what .. ": the connection neither closed nor answered a ping")
      return "closed"
    end
  end
  if code == 1003 or code == 1007 then
    t:ok(string.format("%s: closed cleanly with %d %s", what, code, reason or ""))
  elseif code == 1006 then
    t:fail(what .. ": the connection was dropped without a close frame (1006)")
  else
    t:fail(string.format("%s: closed with %s %s; allowed are 1003, 1007 or ignoring it", what, tostring(code),
      reason or ""))
  end
  return "closed"
end

return S
