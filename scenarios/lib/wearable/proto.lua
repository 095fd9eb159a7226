-- Protocol 001 (wearable health stream) as plain data and small pure functions, shared by the
-- conformance suite (scenarios/wearable/) and the load personas. No I/O here.
--
-- The shape checks mirror schemas/wearable/server/*.schema.json (and common.schema.json) rule
-- for rule; when a schema changes, change the matching function below.
local proto = {}

proto.op = {
  HEARTBEAT = 0, HEARTBEAT_ACK = 1, HELLO = 2, IDENTIFY = 3, READY = 4, DISPATCH = 5, SUBMIT = 6, REPLAY = 7,
}
proto.op_name = {}
for name, value in pairs(proto.op) do proto.op_name[value] = name end

proto.producer, proto.consumer = 0, 1 -- IDENTIFY d.type

proto.scalar_types = {
  HEART_RATE = true, STEPS = true, DISTANCE = true, FLOORS_CLIMBED = true, STEPS_CADENCE = true, SPEED = true,
  HRV = true, RR_INTERVAL = true, CALORIES = true, MET = true, POWER = true, BIKE_CADENCE = true, ACTIVITY = true,
}
-- Known vector types and their component counts (min, max); nil max = unbounded.
proto.vector_types = { ACCELERATION = { 3, 3 }, GYROSCOPE = { 3, 3 }, LOCATION = { 2, 2 }, ECG = { 1, nil } }

-- Timing from docs/protocols/wearable.md §4.2 and §5.4 (the server announces only the heartbeat interval).
proto.identify_timeout_ms = 15000
proto.heartbeat_tolerance = 1.5

function proto.heartbeat() return { op = 0 } end
function proto.identify(token, role_type) return { op = 3, d = { token = token, type = role_type } } end
function proto.submit(t, d) return { op = 6, t = t, d = d } end
function proto.replay(after, before) return { op = 7, d = { after = after, before = before } } end

function proto.op_of(msg)
  if type(msg) == "table" then return msg.op end
  return nil
end

function proto.is_op(msg, op) return type(msg) == "table" and msg.op == op end

-- HELLO's interval as a number the client can use (lenient: a numeric string counts), or nil.
function proto.usable_interval(hello)
  local d = type(hello) == "table" and hello.d
  local v = type(d) == "table" and tonumber(d.heartbeat_interval)
  if v and v > 0 and v < 1e9 then return v end
  return nil
end

local function is_integer(v)
  return math.type(v) == "integer" or (math.type(v) == "float" and v == math.floor(v) and v == v)
end
proto.is_integer = is_integer

local function is_number(v) return math.type(v) ~= nil end

local function is_array(v)
  if type(v) ~= "table" then return false end
  local n = #v
  for k in pairs(v) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

-- ISO-8601 date-time with a UTC offset (RFC 3339, as JSON Schema's "date-time").
function proto.is_timestamp(s)
  if type(s) ~= "string" then return false end
  local date, rest = s:match("^(%d%d%d%d%-%d%d%-%d%d)[Tt ](.+)$")
  if not date then return false end
  local time, zone = rest:match("^(%d%d:%d%d:%d%d[%.%d]*)(.*)$")
  if not time or time:match("%.$") then return false end
  return zone == "Z" or zone == "z" or zone:match("^[+-]%d%d:%d%d$") ~= nil
end

-- JSON equality: key order, spacing and 95 vs 95.0 do not matter.
function proto.same(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do
    if not proto.same(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end

-- The submitted data survives routing: every field the producer sent is in the DISPATCH's d,
-- unchanged (the server may add ts).
function proto.carries(submitted_d, dispatched_d)
  if type(dispatched_d) ~= "table" then return false end
  for k, v in pairs(submitted_d) do
    if not proto.same(v, dispatched_d[k]) then return false end
  end
  return true
end

local function sample_problems(d, problems, where, need_ts)
  if type(d) ~= "table" or is_array(d) and next(d) ~= nil then
    problems[#problems + 1] = where .. " is not an object"
    return
  end
  if d.ts ~= nil and not proto.is_timestamp(d.ts) then
    problems[#problems + 1] = where .. ".ts is not an ISO-8601 date-time with offset"
  elseif need_ts and d.ts == nil then
    problems[#problems + 1] = where .. ".ts is missing"
  end
  if d.val ~= nil and not is_number(d.val) then problems[#problems + 1] = where .. ".val is not a number" end
  if d.d ~= nil then
    local ok = is_array(d.d)
    if ok then
      for _, x in ipairs(d.d) do ok = ok and is_number(x) end
    end
    if not ok then problems[#problems + 1] = where .. ".d is not an array of numbers" end
  end
  if (d.val == nil) == (d.d == nil) then
    problems[#problems + 1] = where .. " must carry exactly one of val and d"
  end
end

-- shapeByType: the known types tie the shape of d to t.
local function shape_problems(msg, problems)
  local t, d = msg.t, msg.d
  if type(t) ~= "string" or type(d) ~= "table" then return end
  if proto.scalar_types[t] and d.val == nil then
    problems[#problems + 1] = t .. " needs d.val"
  end
  local bounds = proto.vector_types[t]
  if bounds then
    local n = is_array(d.d) and #d.d or nil
    if not n then
      problems[#problems + 1] = t .. " needs d.d"
    elseif n < bounds[1] or (bounds[2] and n > bounds[2]) then
      problems[#problems + 1] = string.format("%s needs %d%s components in d.d, got %d", t, bounds[1],
        bounds[2] == bounds[1] and "" or "+", n)
    end
  end
end

local server_checks = {
  [1] = function(msg, problems) end, -- HEARTBEAT_ACK: {"op":1}, extra fields allowed
  [2] = function(msg, problems)      -- HELLO
    if type(msg.d) ~= "table" then
      problems[#problems + 1] = "d is missing or not an object"
      return
    end
    local v = msg.d.heartbeat_interval
    if v == nil then
      problems[#problems + 1] = "d.heartbeat_interval is missing"
    elseif not is_number(v) or not is_integer(v) then
      problems[#problems + 1] = "d.heartbeat_interval is not an integer (" .. type(v) .. " " .. tostring(v) .. ")"
    elseif v <= 0 then
      problems[#problems + 1] = "d.heartbeat_interval is not positive"
    end
  end,
  [4] = function(msg, problems)      -- READY
    if msg.d ~= nil and (type(msg.d) ~= "table" or (is_array(msg.d) and next(msg.d) ~= nil)) then
      problems[#problems + 1] = "d is not an object"
    end
  end,
  [5] = function(msg, problems)      -- DISPATCH
    for _, field in ipairs({ "d", "uid", "seq", "t" }) do
      if msg[field] == nil then problems[#problems + 1] = field .. " is missing" end
    end
    if msg.uid ~= nil and type(msg.uid) ~= "string" then problems[#problems + 1] = "uid is not a string" end
    if msg.seq ~= nil and (not is_number(msg.seq) or not is_integer(msg.seq) or msg.seq < 0) then
      problems[#problems + 1] = "seq is not a non-negative integer"
    end
    if msg.t ~= nil and type(msg.t) ~= "string" then problems[#problems + 1] = "t is not a string" end
    if msg.d ~= nil then sample_problems(msg.d, problems, "d", true) end
    shape_problems(msg, problems)
  end,
}

-- Problems of one server->client frame against its schema: {} when it validates. A frame
-- that is not a JSON object, or whose op is not a server opcode, is one problem.
function proto.server_frame_problems(msg)
  local problems = {}
  if type(msg) ~= "table" then
    problems[1] = "not a JSON object"
    return problems
  end
  local check = math.type(msg.op) and server_checks[msg.op]
  if not check then
    problems[1] = "op " .. tostring(msg.op) .. " is not a server opcode (1, 2, 4, 5)"
    return problems
  end
  check(msg, problems)
  return problems
end

-- ISO-8601 "now" with an offset, for SUBMITs that carry ts (UTC, millisecond precision).
function proto.iso_now()
  local t = os.time()
  return os.date("!%Y-%m-%dT%H:%M:%S", t) .. ".000+00:00"
end

return proto
