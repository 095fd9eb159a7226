-- vStats (protocol 004, docs/protocols/vstats.md): endpoints, the agent's messages, and
-- structural checks of the dashboard messages (mirroring schemas/vstats/server/*.schema.json,
-- so a suite can judge them case by case; a run with --protocol vstats validates in C++ too).
local proto = {}

proto.ping_interval_ms = 30000   -- §9.1
proto.bad_token_close_ms = 1000  -- §5.2
proto.missed_reports = 3         -- §7.2
proto.report_interval_ms = 5000  -- our fake's default; the vendor's page names none (§11)

-- Splits a target "ws://host:port/any/path?query" into "ws://host:port" and the query ("" if
-- none). The query (e.g. the fake's ?fault=) is kept on every URL built from the target.
function proto.split_target(target)
  local base, rest = tostring(target):match("^(wss?://[^/?#]+)(.*)$")
  if not base then return nil, "not a ws:// or wss:// URL: " .. tostring(target) end
  return base, rest:match("%?(.*)$") or ""
end

-- The URL of an endpoint path ("/ws", "/ws/agent") on the target's server.
function proto.url(target, path)
  local base, query = proto.split_target(target)
  if not base then return nil, query end
  return base .. path .. (query ~= "" and ("?" .. query) or "")
end

function proto.iso_now()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

-- A documented metrics report (§4.1). opts: tag (network.total_rx), n (network.total_tx),
-- usage (cpu %), hostname, disks (count, default 1). Byte counters are integers.
function proto.report(opts)
  opts = opts or {}
  local disks = {}
  for i = 1, opts.disks or 1 do
    disks[i] = { name = "sda" .. i, mount_point = i == 1 and "/" or ("/data" .. i), fs_type = "ext4",
                 total = 107374182400, used = 53687091200 + i, available = 53687091200 - i, usage_percent = 50.0 }
  end
  return {
    type = "metrics",
    data = {
      timestamp = proto.iso_now(),
      hostname = opts.hostname or "drover-agent",
      os = { name = "Debian", version = "12", kernel = "6.1.0", arch = "x86_64" },
      cpu = { brand = "drover virtual cpu", cores = opts.cores or 8, usage = opts.usage or 42.5, frequency = 3600,
              per_core = json.array({ 40, 45, 41, 44, 43, 42, 46, 39 }) },
      memory = { total = 17179869184, used = opts.used or 8589934592, available = 8589934592,
                 swap_total = 4294967296, swap_used = 1073741824, usage_percent = 50.0 },
      disks = json.array(disks),
      network = { interfaces = json.array({ { name = "eth0", rx = opts.tag or 0, tx = opts.n or 0 } }),
                  total_rx = opts.tag or 0, total_tx = opts.n or 0 },
      uptime = 86400,
      load_average = { one = 0.5, five = 0.7, fifteen = 0.6 },
    },
  }
end

-- The real dialect's report (§14): {"type":"metrics","metrics":REPORT} with disks'
-- mount_points, interfaces' rx_bytes/tx_bytes and rx_speed/tx_speed. opts as proto.report,
-- plus uptime.
function proto.real_report(opts)
  opts = opts or {}
  local r = proto.report(opts).data
  r.disks = json.array({ { name = "sda1", mount_points = json.array({ "/" }), total = 107374182400,
                           used = 53687091200, usage_percent = 50.0 } })
  r.network = { interfaces = json.array({ { name = "eth0", rx_bytes = opts.tag or 0, tx_bytes = opts.n or 0 } }),
                total_rx = opts.tag or 0, total_tx = opts.n or 0, rx_speed = 512, tx_speed = 256 }
  r.uptime = opts.uptime or 86400
  return { type = "metrics", metrics = r }
end

function proto.auth(server_id, token)
  return { type = "auth", server_id = server_id, token = token, version = "drover" }
end

function proto.heartbeat()
  return { type = "heartbeat", timestamp = proto.iso_now() }
end

local function is_table(v) return type(v) == "table" end

-- The server a dashboard message is about: data.server_id (metrics, status) or data.id.
function proto.server_of(msg)
  if not is_table(msg) or not is_table(msg.data) then return nil end
  return msg.data.server_id or msg.data.id
end

function proto.is(msg, kind, server_id)
  return is_table(msg) and msg.type == kind and (server_id == nil or proto.server_of(msg) == server_id)
end

-- The figures a metrics message carries: rx, tx (the report's tag and n when forwarded as §6.3
-- says), or nil when absent.
function proto.network_of(msg)
  local m = is_table(msg) and is_table(msg.data) and msg.data.metrics
  local n = is_table(m) and m.network
  if not is_table(n) then return nil end
  return n.rx, n.tx
end

-- RFC 3339 date-time -> epoch seconds (UTC), or nil.
function proto.parse_time(text)
  if type(text) ~= "string" then return nil end
  local y, mo, d, h, mi, s, rest = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[Tt](%d%d):(%d%d):(%d%d)(.*)$")
  if not y then return nil end
  local frac, zone = rest:match("^(%.%d+)(.*)$")
  if not frac then frac, zone = "", rest end
  local offset = 0
  if zone == "Z" or zone == "z" then
    offset = 0
  else
    local sign, oh, om = zone:match("^([%+%-])(%d%d):(%d%d)$")
    if not sign then return nil end
    offset = (tonumber(oh) * 3600 + tonumber(om) * 60) * (sign == "+" and 1 or -1)
  end
  y, mo, d, h, mi, s = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(s)
  if mo < 1 or mo > 12 or d < 1 or d > 31 or h > 23 or mi > 59 or s > 60 then return nil end
  -- Days from civil (Howard Hinnant's algorithm), independent of the local time zone.
  local yy = mo <= 2 and y - 1 or y
  local era = (yy >= 0 and yy or yy - 399) // 400
  local yoe = yy - era * 400
  local doy = (153 * (mo + (mo > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  local days = era * 146097 + doe - 719468
  return days * 86400 + h * 3600 + mi * 60 + s + (tonumber("0" .. frac) or 0) - offset
end

local function integer_at_least(v, min) return type(v) == "number" and v == math.floor(v) and v >= min end
local function number_between(v, lo, hi) return type(v) == "number" and v >= lo and (hi == nil or v <= hi) end

local shape = {}
shape.metrics = function(d, out)
  if type(d.server_id) ~= "string" then out[#out + 1] = "data.server_id is not a string" end
  local m = d.metrics
  if not is_table(m) then out[#out + 1] = "data.metrics is not an object" return end
  local cpu, mem, net = m.cpu, m.memory, m.network
  if not (is_table(cpu) and number_between(cpu.usage, 0, 100) and integer_at_least(cpu.cores, 0)) then
    out[#out + 1] = "metrics.cpu needs usage (0..100) and integer cores"
  end
  if not (is_table(mem) and integer_at_least(mem.total, 0) and integer_at_least(mem.used, 0)) then
    out[#out + 1] = "metrics.memory needs integer total and used (bytes)"
  end
  if not is_table(m.disks) then
    out[#out + 1] = "metrics.disks is not an array"
  else
    for i, disk in ipairs(m.disks) do
      if not is_table(disk) then out[#out + 1] = "metrics.disks[" .. i .. "] is not an object" end
    end
  end
  if not (is_table(net) and number_between(net.rx, 0) and number_between(net.tx, 0)) then
    out[#out + 1] = "metrics.network needs rx and tx (numbers >= 0)"
  end
end
shape.status = function(d, out)
  if type(d.server_id) ~= "string" then out[#out + 1] = "data.server_id is not a string" end
  if type(d.online) ~= "boolean" then out[#out + 1] = "data.online is not a boolean" end
end
shape.server_added = function(d, out)
  if type(d.id) ~= "string" then out[#out + 1] = "data.id is not a string" end
  if type(d.name) ~= "string" then out[#out + 1] = "data.name is not a string" end
  if d.location ~= nil and type(d.location) ~= "string" then out[#out + 1] = "data.location is not a string" end
end
shape.server_removed = function(d, out)
  if type(d.id) ~= "string" then out[#out + 1] = "data.id is not a string" end
end
proto.types = { "metrics", "status", "server_added", "server_removed" }
-- metrics and status require timestamp in their schemas; the other two leave it optional.
proto.timestamp_required = { metrics = true, status = true }

-- Problems of a dashboard message against its schema (an empty list when it is valid).
function proto.schema_problems(msg)
  local out = {}
  if not is_table(msg) then return { "not a JSON object" } end
  local check = shape[msg.type]
  if not check then return { "type " .. tostring(msg.type) .. " is not a documented dashboard message" } end
  if not is_table(msg.data) then return { "data is not an object" } end
  check(msg.data, out)
  if msg.timestamp == nil then
    if proto.timestamp_required[msg.type] then out[#out + 1] = "timestamp is missing" end
  elseif not proto.parse_time(msg.timestamp) then
    out[#out + 1] = "timestamp is not an RFC 3339 date-time: " .. tostring(msg.timestamp)
  end
  return out
end

return proto
