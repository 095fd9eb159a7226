-- 5.x Dashboard side (docs/protocols/widb.md §7): fan-out to every dashboard of the apiKey,
-- never to another apiKey's, and the logData shape.
local S = require("support")
local proto = S.proto

local cases = {}

cases[#cases + 1] = {
  id = "5.1", group = "dashboard", title = "A dashboard gets only its own apiKey's sessions",
  description = "Dashboard A associates with key K1, dashboard B with key K2. A phone of K1 sends a logDump " ..
    "and deviceMetrics.",
  expectation = "A receives them (else not judged: 5.2 covers delivery); B receives no logData and no " ..
    "deviceMetrics at all (its key has no phone), during the whole case.",
  reference = S.doc .. "§7.6",
  run = function(t)
    local k1 = S.nonce(t, "key1")
    local a = S.dashboard(t, k1, "dashboard A")
    local b = S.dashboard(t, S.nonce(t, "key2"), "dashboard B")
    local phone = S.phone(t, k1, "Android")
    local nonce = S.nonce(t)
    local m = S.metrics(t, "Android", 1)
    S.dump(t, phone, { proto.threadtime_line(nonce .. " #001: for K1 only", 1) }, "Android")
    t:send(phone, m)
    local st = S.collect(t, a, nonce, { [m.timeStamp] = true }, S.response_ms, function(st)
      return #st.log_data > 0 and #st.metrics > 0
    end)
    S.require(t, #st.log_data > 0 or #st.metrics > 0, "dashboard A received nothing from its phone")
    local other = {}
    local deadline = now() + S.settle_ms * 2
    while now() < deadline do
      local msg = t:recv(b, math.max(1, deadline - now()))
      if msg == nil then break end
      if type(msg) == "table" and (msg.messageType == "logData" or msg.messageType == "deviceMetrics") then
        other[#other + 1] = b:last_raw()
      end
    end
    t:check(#other == 0, "dashboard B (another apiKey) received no logData or deviceMetrics",
      #other > 0 and (#other .. " message(s), the first: " .. other[1]:sub(1, 200)) or nil)
  end,
}

cases[#cases + 1] = {
  id = "5.2", group = "dashboard", title = "Every dashboard of an apiKey gets every phone's traffic",
  description = "Two dashboards associate with key K; an Android and an iOS phone of K each send a one-line " ..
    "logDump and a deviceMetrics.",
  expectation = "Each dashboard receives both phones' lines and both deviceMetrics, promptly (the time from " ..
    "logDump to logData is reported).",
  reference = S.doc .. "§7.1, §7.2, §7.5",
  run = function(t)
    local key = S.nonce(t, "key")
    local dashes = { S.dashboard(t, key, "dashboard 1"), S.dashboard(t, key, "dashboard 2") }
    local nonce = S.nonce(t)
    local texts, stamps, sent_at = {}, {}, nil
    for k, os in ipairs({ "Android", "iOS" }) do
      local phone = S.phone(t, key, os, os .. " phone")
      texts[k] = string.format("%s #%03d: from the %s phone", nonce, k, os)
      local line = os == "iOS" and proto.ios_line(texts[k], k) or proto.threadtime_line(texts[k], k)
      local at = S.dump(t, phone, { line }, os)
      sent_at = sent_at or at
      local m = S.metrics(t, os, k)
      stamps[m.timeStamp] = true
      t:send(phone, m)
    end
    for d, dash in ipairs(dashes) do
      local st = S.collect(t, dash, nonce, stamps, S.response_ms, function(st)
        local h = proto.haystack(st.log_data)
        return #st.metrics == 2 and h:find(texts[1], 1, true) and h:find(texts[2], 1, true)
      end)
      local h = proto.haystack(st.log_data)
      local lines = (h:find(texts[1], 1, true) and 1 or 0) + (h:find(texts[2], 1, true) and 1 or 0)
      t:check(lines == 2, "dashboard " .. d .. " received both phones' lines", lines .. " of 2")
      t:check(#st.metrics == 2, "dashboard " .. d .. " received both phones' deviceMetrics", #st.metrics .. " of 2")
      if st.first_at and d == 1 then t:measure("widb_dump_to_log_data", st.first_at - sent_at, "first logData") end
    end
  end,
}

cases[#cases + 1] = {
  id = "5.3", group = "dashboard", title = "logData carries messageType, the right osType and a list of entries",
  description = "An Android phone (osType in its dump) and an iOS phone (no osType in its dump) of one key " ..
    "each send a one-line logDump; every logData the dashboard gets is checked.",
  expectation = "messageType \"logData\"; osType \"Android\" for the Android phone's dump and \"iOS\" for the " ..
    "iOS phone's (the session's, as the dump has none); logEntries a list whose entries are objects or " ..
    "strings (their number and shape are the server's choice).",
  reference = S.doc .. "§7.2, §7.3, §7.4, §5.2",
  run = function(t)
    local key = S.nonce(t, "key")
    local dash = S.dashboard(t, key)
    local nonce = S.nonce(t)
    local want = {}
    for k, os in ipairs({ "Android", "iOS" }) do
      local phone = S.phone(t, key, os, os .. " phone")
      local text = string.format("%s #%03d: %s", nonce, k, os)
      want[text] = os
      S.dump(t, phone, { os == "iOS" and proto.ios_line(text, k) or proto.threadtime_line(text, k) },
        os == "Android" and "Android" or nil)
    end
    local st = S.collect(t, dash, nonce, nil, S.response_ms, function(st) return #st.log_data >= 2 end)
    S.require(t, #st.log_data > 0, "no logData arrived")
    for _, m in ipairs(st.log_data) do
      local h = proto.haystack({ m })
      local expected_os
      for text, os in pairs(want) do
        if h:find(text, 1, true) then expected_os = os end
      end
      local entries_ok = type(m.logEntries) == "table"
      for _, e in ipairs(proto.entries(m)) do
        if type(e) ~= "table" and type(e) ~= "string" then entries_ok = false end
      end
      t:check(entries_ok, "logEntries is a list of objects or strings", m.logEntries)
      t:check(m.osType == expected_os, "osType of the " .. tostring(expected_os) .. " phone's logData", m.osType)
    end
  end,
}

return cases
