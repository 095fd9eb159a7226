-- WiDB (protocol 000, docs/protocols/widb.md) messages and log lines, shared by the conformance
-- suite (scenarios/widb/) and the personas (phone.lua, dashboard.lua).
--
-- Log lines are made in the three formats of §5.3 around a text the caller chooses, so that a
-- receiver can find each line's text again in the logData entries, whatever the server does
-- with the rest of the line (§7.3: entries may be objects or strings, lines may be grouped).
local proto = {}

function proto.start_session(api_key, os_type, device, app)
  return { messageType = "startSession", apiKey = api_key, osType = os_type,
           deviceName = device or "drover " .. os_type, appName = app or "drover" }
end

-- lines: a list of strings; os_type may be nil (iOS apps leave it out, §5.2).
function proto.log_dump(lines, os_type)
  return { messageType = "logDump", osType = os_type, rawLogData = table.concat(lines, "\n") }
end

-- m: cpu (0..1), mem_kb, mem_total_kb, sent_bps, recv_bps, ts (epoch ms, integer).
function proto.device_metrics(os_type, m)
  return { messageType = "deviceMetrics", osType = os_type, cpuUsage = m.cpu, memUsage = m.mem_kb,
           memTotal = m.mem_total_kb, netSentPerSec = m.sent_bps, netReceivePerSec = m.recv_bps,
           timeStamp = m.ts }
end

function proto.end_session() return { messageType = "endSession" } end
function proto.associate(api_key) return { messageType = "associateUser", apiKey = api_key } end

proto.metric_fields = { "messageType", "osType", "cpuUsage", "memUsage", "memTotal", "netSentPerSec",
                        "netReceivePerSec", "timeStamp" }

-- Stamps derived from a counter so that consecutive lines differ (ms roll into seconds).
local function clock(i)
  local ms = 180 + (i or 0) * 7
  return string.format("%02d:%02d.%03d", 44 + (ms // 60000) % 15, 31 + (ms // 1000) % 28, ms % 1000)
end

-- Android logcat threadtime: "05-24 12:12:49.247 23930 23930 E AndroidRuntime: text" (§5.3).
function proto.threadtime_line(text, i, level, tag)
  return string.format("05-24 12:%s 23930 23945 %s %s: %s", clock(i), level or "I", tag or "WiDB Example", text)
end

-- Android Studio style: "05-22 11:44:31.180 7080-7080/com.google.wireless.debugging I/WiDB Example: text".
function proto.studio_line(text, i, level, tag)
  return string.format("05-22 11:%s 7080-7080/com.google.wireless.debugging %s/%s: %s", clock(i), level or "I",
    tag or "WiDB Example", text)
end

-- iOS: "2024-05-22 11:44:31.180+0200 Hangouts[812:5123] text".
function proto.ios_line(text, i, process)
  return string.format("2024-05-22 11:%s+0200 %s[812:5123] %s", clock(i), process or "Hangouts", text)
end

-- The text of one logData entry: a string entry as it is (HTML entities decoded); an object's
-- `text` (or `message`, `msg`) when it has one, else all its string values in key order.
local entities = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", ["#39"] = "'" }

function proto.entry_text(entry)
  if type(entry) == "string" then
    -- A rendered row (the real server's entries) escapes HTML: undo the usual entities.
    if entry:find("&", 1, true) then return (entry:gsub("&(#?%w+);", function(e) return entities[e] end)) end
    return entry
  end
  if type(entry) ~= "table" then return tostring(entry) end
  for _, k in ipairs({ "text", "message", "msg" }) do
    if type(entry[k]) == "string" then return entry[k] end
  end
  local keys = {}
  for k, v in pairs(entry) do
    if type(v) == "string" then keys[#keys + 1] = k end
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = entry[k] end
  return table.concat(parts, " ")
end

-- The entries of a logData message as a list (empty when logEntries is missing or not a list).
function proto.entries(msg)
  if type(msg) ~= "table" or type(msg.logEntries) ~= "table" then return {} end
  return msg.logEntries
end

-- All entry texts of a list of logData messages, in arrival order, joined by "\n".
function proto.haystack(messages)
  local parts = {}
  for _, m in ipairs(messages) do
    for _, e in ipairs(proto.entries(m)) do parts[#parts + 1] = proto.entry_text(e) end
  end
  return table.concat(parts, "\n")
end

-- Finds each of texts, in order, in haystack. Returns found (count), problems (a list of
-- "text N missing" / "text N out of order" strings, at most 5).
function proto.find_in_order(haystack, texts)
  local pos, found, problems = 1, 0, {}
  for i, text in ipairs(texts) do
    local s, e = haystack:find(text, pos, true)
    if s then
      found, pos = found + 1, e + 1
    elseif #problems < 5 then
      local anywhere = haystack:find(text, 1, true)
      problems[#problems + 1] = string.format("line %d %s: %q", i, anywhere and "out of order" or "missing", text)
    end
  end
  return found, problems
end

return proto
