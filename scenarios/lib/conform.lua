-- Conformance cases on top of drover's client API (Autobahn's vocabulary).
--
-- A case is a table:
--   { id = "1.2", group = "handshake", title = "...", description = "...",
--     expectation = "...", reference = "docs/protocols/wearable.md §4.4", run = function(t) ... end }
-- run(t) talks to the server through t (which records every message exchanged) and states
-- findings; the case's verdict is the worst of its findings:
--   OK < INFORMATIONAL < NON-STRICT < UNIMPLEMENTED < FAILED
-- A case without findings is OK; a Lua error inside a case is a FAILED finding.
--
-- conform.suite{ protocol = "wearable", cases = {...} } declares `options` and `client` so that
-- each client runs one case (client N runs the N-th selected case) and reports it with
-- report_case(); `drover conform PROTOCOL` runs such a suite file.
local conform = {}

local severity = { OK = 0, INFORMATIONAL = 1, ["NON-STRICT"] = 2, UNIMPLEMENTED = 3, FAILED = 4 }
conform.severity = severity

local max_transcript = 300
local max_text = 600

local function describe(v)
  if v == nil then return "nothing" end
  if type(v) == "table" then
    local ok, text = pcall(json.encode, v)
    if ok then return text end
  end
  return tostring(v)
end
conform.describe = describe

local abort_marker = {}

local case_context = {}
case_context.__index = case_context

function case_context:finding(verdict, message)
  assert(severity[verdict], "unknown verdict " .. tostring(verdict))
  self.findings[#self.findings + 1] = { verdict = verdict, message = message }
end
function case_context:ok(message) self:finding("OK", message) end
function case_context:fail(message) self:finding("FAILED", message) end
function case_context:non_strict(message) self:finding("NON-STRICT", message) end
function case_context:info(message) self:finding("INFORMATIONAL", message) end
function case_context:unimplemented(message) self:finding("UNIMPLEMENTED", message) end

-- check(cond, what, observed): OK "what" when cond holds, else FAILED "what (observed: ...)".
function case_context:check(cond, what, observed)
  if cond then self:ok(what) else self:fail(what .. " (observed: " .. describe(observed) .. ")") end
  return cond
end

-- Stops the case here with a FAILED finding.
function case_context:abort(message)
  self:fail(message)
  error(abort_marker, 0)
end

-- Ends the case here without a new finding (e.g. a precondition the server does not offer).
function case_context:stop()
  error(abort_marker, 0)
end

function case_context:log(dir, text)
  if #self.messages >= max_transcript then return end
  if type(text) ~= "string" then text = describe(text) end
  if #text > max_text then text = text:sub(1, max_text) .. "…(" .. #text .. " bytes)" end
  self.messages[#self.messages + 1] = { dir = dir, at_ms = now() - self.started, text = text }
end

function case_context:note(text) self:log("event", text) end

-- A measurement: an INFORMATIONAL finding and a trend in the run's metrics.
function case_context:measure(name, value_ms, text)
  metrics.trend(name, value_ms)
  self:info(string.format("%s = %.1f ms%s", name, value_ms, text and (" (" .. text .. ")") or ""))
end

-- connect(url?, opts?) -> conn; a failure to connect ends the case as FAILED unless
-- opts.allow_failure, in which case it returns nil, err, message, info.
function case_context:connect(url, opts)
  if type(url) == "table" then url, opts = nil, url end
  opts = opts or {}
  -- ws.connect(nil, opts) would ignore opts: pass the table alone when there is no URL.
  local conn, err, message, info
  if url then conn, err, message, info = ws.connect(url, opts) else conn, err, message, info = ws.connect(opts) end
  if not conn then
    self:log("event", "connect failed: " .. tostring(message or err))
    if opts.allow_failure then return nil, err, message, info end
    self:abort("could not connect: " .. tostring(message or err))
  end
  self:log("event", "connected" .. (url and (" to " .. url) or ""))
  self.connections[#self.connections + 1] = conn
  return conn
end

function case_context:send(conn, message)
  local at, err, detail = conn:send(message)
  self:log("sent", type(message) == "string" and message or describe(message))
  return at, err, detail
end

function case_context:send_raw(conn, text)
  local at, err, detail = conn:send_raw(text)
  self:log("sent", text)
  return at, err, detail
end

-- recv(conn, timeout) -> message | nil, err  (the raw text is what the transcript keeps)
function case_context:recv(conn, timeout_ms)
  local msg, err, detail = conn:recv(timeout_ms)
  if msg ~= nil then
    self:log("received", conn:last_raw())
  elseif err ~= "timeout" then
    local code = conn:close_code()
    self:log("event", "recv: " .. tostring(err) .. (code and (" (close " .. code .. " " .. (conn:close_reason() or "") .. ")") or ""))
  end
  return msg, err, detail
end

-- Receives until match(msg) is true or the deadline passes. Other messages are kept in
-- `skipped` (returned second). Returns msg, skipped | nil, err, skipped.
function case_context:recv_until(conn, match, timeout_ms)
  local deadline = now() + timeout_ms
  local skipped = {}
  while true do
    local left = deadline - now()
    if left <= 0 then return nil, "timeout", skipped end
    local msg, err = self:recv(conn, math.max(1, left)) -- < 1 ms would wait forever
    if msg == nil then return nil, err, skipped end
    if match(msg) then return msg, skipped end
    skipped[#skipped + 1] = msg
  end
end

-- Waits for the server to close; returns code, reason, at_ms | nil, "timeout". Messages that
-- arrive first are logged and skipped.
function case_context:wait_close(conn, timeout_ms)
  local deadline = now() + timeout_ms
  while conn:is_open() do
    local left = deadline - now()
    if left <= 0 then return nil, "timeout" end
    local msg, err = self:recv(conn, math.max(1, left)) -- < 1 ms would wait forever
    if msg == nil and err == "timeout" then return nil, "timeout" end
    if msg == nil then break end
  end
  local code, reason = conn:wait_close(math.max(1, deadline - now()))
  if not code then return nil, "timeout" end
  self:log("event", "closed by " .. (conn:closed_by_server() and "server" or "client") .. " with " .. code .. " " .. (reason or ""))
  return code, reason, now()
end

-- expect_close(conn, code, timeout_ms, variants): FAILED unless the server closes with `code`
-- (a code listed in variants gives NON-STRICT). Returns the code seen.
function case_context:expect_close(conn, code, timeout_ms, variants)
  local seen, reason = self:wait_close(conn, timeout_ms)
  if seen == code then
    self:ok("server closed with " .. code)
  elseif seen and variants and variants[seen] then
    self:non_strict("server closed with " .. seen .. " (" .. variants[seen] .. "), the document says " .. code)
  elseif seen then
    self:fail("server closed with " .. seen .. " " .. (reason or "") .. ", expected " .. code)
  else
    self:fail("no close within " .. math.floor(timeout_ms) .. " ms, expected " .. code)
  end
  return seen
end

local function worst(findings)
  local verdict = "OK"
  for _, f in ipairs(findings) do
    if severity[f.verdict] > severity[verdict] then verdict = f.verdict end
  end
  return verdict
end
conform.worst = worst

-- Runs one case and returns its result table (also what report_case receives).
function conform.run_case(case, shared)
  local t = setmetatable({ findings = {}, messages = {}, connections = {}, started = now(), case = case,
                           shared = shared or {} }, case_context)
  local ok, err = pcall(case.run, t)
  if not ok and err ~= abort_marker then
    t:fail("case error: " .. tostring(err))
  end
  for _, conn in ipairs(t.connections) do
    if conn:is_open() then pcall(conn.close, conn, 1000, "case done", 1000) end
  end
  return {
    id = case.id, group = case.group, title = case.title, description = case.description,
    expectation = case.expectation, reference = case.reference,
    verdict = worst(t.findings), duration_ms = now() - t.started,
    findings = json.array(t.findings), messages = json.array(t.messages), -- [] even when empty
  }
end

-- Glob-like case selection: "1.*", "2.3", "heartbeat" (group), comma lists.
local function matches(case, pattern)
  if pattern == nil or pattern == "" or pattern == "*" then return true end
  for part in pattern:gmatch("[^,]+") do
    part = part:match("^%s*(.-)%s*$")
    local lua_pattern = "^" .. part:gsub("[%.%-%+%?%(%)%[%]%^%$%%]", "%%%0"):gsub("%*", ".*") .. "$"
    if case.id:match(lua_pattern) or case.group == part then return true end
  end
  return false
end

-- Declares the scenario globals for a suite. spec: protocol, cases (list), setup_shared(t)?
function conform.suite(spec)
  local selected = {}
  for _, case in ipairs(spec.cases) do
    assert(case.id and case.run, "every case needs an id and a run function")
    if matches(case, env.CASE) then selected[#selected + 1] = case end
  end
  options = {
    vus = math.max(1, #selected),
    iterations = 1,
    duration = spec.max_duration or "10m",
    graceful_stop = spec.max_duration or "10m",
    protocol = spec.protocol,
    dialect = spec.dialect,
  }
  conform.selected = selected
  function client()
    local case = selected[vu.id]
    if not case then return end
    report_case(conform.run_case(case, spec.shared))
  end
end

return conform
