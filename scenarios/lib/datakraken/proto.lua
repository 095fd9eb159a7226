-- DataKraken (protocol 003, docs/protocols/datakraken.md): the endpoints derived from a target,
-- the browser's messages, and structural checks of the two HTTP answers (the ticket answer of
-- §4.1, mirroring schemas/datakraken/http/session.schema.json, and the session record of
-- §7.1). Shared by the conformance suite (scenarios/datakraken/) and the browser persona.
local proto = {}

proto.default_ttl_s = 15                          -- §4.1
proto.max_ttl_s = 60                              -- §4.1: above it, most likely milliseconds
proto.listener_types = { click = 0, mousemove = 1 }  -- §5.1
proto.cookie = "dk_visitor"                       -- §3.2

-- The endpoints of a target. The target may be the socket's URL (ws://HOST:PORT/ws), the
-- server's origin (ws://HOST:PORT, wss://...) or its HTTP base (http://HOST:PORT, https://...);
-- a trailing "/ws" is dropped to get the HTTP base, any other path is kept as a prefix of
-- /api/session. api_base (env API_BASE) replaces the derived HTTP base. The target's query
-- (e.g. the fake's ?fault=) is kept on every URL built from it.
-- Returns { http = "http://h:p[/prefix]", ws_origin = "ws://h:p", query = "a=b" | "" } | nil, err
function proto.endpoints(target, api_base)
  local scheme, authority, path, query = tostring(target):match("^(%a+)://([^/?#]+)([^?#]*)%??([^#]*)")
  scheme = scheme and scheme:lower()
  local secure = ({ ws = false, http = false, wss = true, https = true })[scheme]
  if secure == nil then
    return nil, "the target must be a ws://, wss://, http:// or https:// URL, got " .. tostring(target)
  end
  path = path:gsub("/ws/?$", ""):gsub("/+$", "")
  local e = {
    http = (secure and "https://" or "http://") .. authority .. path,
    ws_origin = (secure and "wss://" or "ws://") .. authority,
    query = query or "",
  }
  if api_base and api_base ~= "" then e.http = tostring(api_base):gsub("/+$", "") end
  return e
end

local function with_query(url, query)
  if query == nil or query == "" then return url end
  return url .. (url:find("?", 1, true) and "&" or "?") .. query
end

local function encode_component(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end
proto.encode_component = encode_component

-- http://HOST:PORT/api/session (+ the target's query)
function proto.session_url(e) return with_query(e.http .. "/api/session", e.query) end

-- http://HOST:PORT/api/session/{id} (+ the target's query)
function proto.record_url(e, id) return with_query(e.http .. "/api/session/" .. encode_component(id), e.query) end

-- The socket URL for a ticket answer's `ws` field (a path, or a whole ws:// URL), without the
-- ticket (ws.connect's query option adds it, encoded).
function proto.socket_url(e, ws_field)
  local url
  if type(ws_field) == "string" and ws_field:match("^wss?://") then
    url = ws_field
  else
    local path = type(ws_field) == "string" and ws_field or "/ws"
    if path:sub(1, 1) ~= "/" then path = "/" .. path end
    url = e.ws_origin .. path
  end
  return with_query(url, e.query)
end

-- Epoch milliseconds as an integer (§5.5): os.time() has whole seconds only, so the run clock
-- supplies the milliseconds (one anchor per Lua state, taken at the first call).
local epoch_anchor
function proto.epoch_ms()
  if not epoch_anchor then epoch_anchor = os.time() * 1000 - now() end
  return math.floor(epoch_anchor + now())
end

function proto.start(os_name, browser, referrer)
  return { type = "start", meta = { device = { os = os_name, browser = browser }, referrer = referrer or "" } }
end

function proto.click(x, y, target)
  return { type = 0, timestamp = proto.epoch_ms(), event = { X = math.floor(x), Y = math.floor(y), target = target } }
end

function proto.move(x, y, ellapsed)
  return { type = 1, timestamp = proto.epoch_ms(),
           event = { X = math.floor(x), Y = math.floor(y), ellapsed = math.floor(ellapsed) } }
end

-- An event of type n shaped like a click (for types no listener names, §5.2).
function proto.event_of_type(n, x, y)
  return { type = n, timestamp = proto.epoch_ms(), event = { X = math.floor(x), Y = math.floor(y), target = "#drover" } }
end

function proto.finish() return { type = "end", timestamp = proto.epoch_ms() } end

local function is_integer(v) return math.type(v) == "integer" or (type(v) == "number" and v == math.floor(v)) end

-- §4.1: the problems of a ticket answer (an empty list when it is right).
function proto.answer_problems(a)
  local p = {}
  if type(a) ~= "table" then return { "the body is not a JSON object" } end
  if type(a.ticket) ~= "string" or a.ticket == "" then p[#p + 1] = "ticket is not a non-empty string" end
  if not (is_integer(a.ttl) and a.ttl > 0) then p[#p + 1] = "ttl is not an integer > 0: " .. tostring(a.ttl) end
  local s = a.session
  if not ((type(s) == "string" and s ~= "") or is_integer(s)) then
    p[#p + 1] = "session is not a non-empty string or an integer: " .. tostring(s)
  end
  if type(a.listeners) ~= "table" then
    p[#p + 1] = "listeners is not an array"
  else
    local seen = {}
    for k, v in pairs(a.listeners) do
      if not is_integer(k) then p[#p + 1] = "listeners is an object, not an array"; break end
      if type(v) ~= "string" then p[#p + 1] = "listeners holds a " .. type(v) .. ", not a string" end
      if seen[v] then p[#p + 1] = "listeners names " .. tostring(v) .. " twice" end
      seen[v] = true
    end
  end
  if type(a.ws) ~= "string" or not (a.ws:sub(1, 1) == "/" or a.ws:match("^wss?://")) then
    p[#p + 1] = "ws is not a path starting with / (or a ws:// URL): " .. tostring(a.ws)
  end
  return p
end

-- §4.1: why a ticket answer's ttl is out of range (1 to 60 s), or nil.
function proto.ttl_problem(a)
  if type(a) ~= "table" or not is_integer(a.ttl) then return "ttl is not an integer" end
  if a.ttl < 1 or a.ttl > proto.max_ttl_s then
    return string.format("ttl is %s s, outside 1 to %d s (milliseconds?)", tostring(a.ttl), proto.max_ttl_s)
  end
  return nil
end

-- The set of event types a ticket answer's listeners allow: { [0] = true, [1] = true }.
function proto.allowed_types(a)
  local set = {}
  for _, name in ipairs(type(a) == "table" and type(a.listeners) == "table" and a.listeners or {}) do
    local n = proto.listener_types[name]
    if n then set[n] = true end
  end
  return set
end

-- §7.1: the problems of a session record's shape (an empty list when it is right).
function proto.record_problems(r)
  local p = {}
  if type(r) ~= "table" then return { "the body is not a JSON object" } end
  if type(r.events) ~= "table" then
    p[#p + 1] = "events is not an object"
  else
    for k, v in pairs(r.events) do
      if not tostring(k):match("^%d+$") then p[#p + 1] = "events has the key " .. tostring(k) .. ", not a type" end
      if not (is_integer(v) and v >= 0) then p[#p + 1] = "events[" .. tostring(k) .. "] is not a count" end
    end
  end
  if type(r.duration_ms) ~= "number" or r.duration_ms < 0 then p[#p + 1] = "duration_ms is not a number >= 0" end
  if type(r.ended_cleanly) ~= "boolean" then p[#p + 1] = "ended_cleanly is not a boolean" end
  return p
end

-- The count of type n in a record (0 when left out, §7.2); nil for a malformed record.
function proto.count(r, n)
  if type(r) ~= "table" or type(r.events) ~= "table" then return nil end
  local v = r.events[tostring(n)]
  if v == nil then v = r.events[n] end
  if v == nil then return 0 end
  return tonumber(v)
end

-- The dk_visitor values a response sets (a list; usually zero or one).
function proto.visitor_cookies_set(res)
  local out = {}
  for _, line in ipairs(res and res.headers and res.headers["set-cookie"] or {}) do
    local name, value = line:match("^%s*([^=;%s]+)%s*=%s*([^;]*)")
    if name == proto.cookie then out[#out + 1] = value end
  end
  return out
end

return proto
