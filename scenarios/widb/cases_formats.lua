-- 2.x Log dumps and line formats (docs/protocols/widb.md §5, §7.2-§7.4): every format is
-- accepted without a drop and the text of every line reaches the dashboard, in order.
local S = require("support")
local proto = S.proto

local cases = {}

-- One phone, one dashboard; sends `dumps` (each a list of lines made by make(text, i)) and
-- judges that every text arrived in order and that the phone is still connected.
local function run_dumps(t, opts)
  local key = S.nonce(t, "key")
  local dash = S.dashboard(t, key)
  local phone = S.phone(t, key, opts.session_os)
  local nonce = S.nonce(t)
  local all, sent_at = {}, nil
  for d = 1, opts.dumps or 1 do
    local lines = {}
    local texts = S.texts(nonce .. "-" .. d, opts.lines, opts.words)
    for i, text in ipairs(texts) do
      local line, expected = opts.make(text, i)
      lines[i] = line
      all[#all + 1] = expected or text
    end
    local at = S.dump(t, phone, lines, opts.dump_os)
    sent_at = sent_at or at
  end
  local st = S.expect_texts(t, dash, nonce, all, opts.what, sent_at)
  -- §7.4: each logData says the dump's osType, or the session's when the dump has none.
  local want_os, wrong = opts.dump_os or opts.session_os, nil
  for _, m in ipairs(st.log_data) do
    if m.osType ~= want_os then wrong = m.osType end
  end
  if #st.log_data > 0 then
    t:check(wrong == nil, string.format("logData osType is %q (%s)", want_os,
      opts.dump_os and "the dump's" or "the session's"), wrong)
  end
  S.expect_open(t, phone, "the phone after " .. opts.what)
  return st
end

cases[#cases + 1] = {
  id = "2.1", group = "formats", title = "Android logcat threadtime lines arrive in order",
  description = "An Android phone sends one logDump of 7 logcat threadtime lines shaped like the document's " ..
    "Example 2 (a stack trace: level E, tag AndroidRuntime, tab-indented 'at ...' texts).",
  expectation = "The connection stays open and the text of all 7 lines reaches the dashboard in order.",
  reference = S.doc .. "§5.3, §7.2, §7.3",
  run = function(t)
    local words = { "FATAL EXCEPTION: main", "Process: com.google.wireless.debugging, PID: 23930",
      "\tat java.lang.reflect.Method.invokeNative(Native Method)", "\tat java.lang.reflect.Method.invoke(Method.java:515)",
      "\tat com.android.internal.os.ZygoteInit$MethodAndArgsCaller.run(ZygoteInit.java:796)",
      "\tat com.android.internal.os.ZygoteInit.main(ZygoteInit.java:612)", "\tat dalvik.system.NativeStart.main(Native Method)" }
    run_dumps(t, { session_os = "Android", dump_os = "Android", lines = 7, what = "threadtime dump",
      make = function(text, i)
        local full = text .. " " .. words[i]
        return proto.threadtime_line(full, 0, "E", "AndroidRuntime"), full
      end })
  end,
}

cases[#cases + 1] = {
  id = "2.2", group = "formats", title = "Android Studio style lines are accepted",
  description = "An Android phone sends one logDump of 4 Android Studio style lines " ..
    "('05-22 11:44:31.180 7080-7080/com.google.wireless.debugging I/WiDB Example: aX: ...'), the document's " ..
    "Example 1, on which the real server drops the connection.",
  expectation = "The connection is not dropped and the text of all 4 lines reaches the dashboard in order.",
  reference = S.doc .. "§5.3, §7.3, §10",
  run = function(t)
    run_dumps(t, { session_os = "Android", dump_os = "Android", lines = 4, what = "Android Studio dump",
      make = function(text, i)
        local full = text .. string.format(" aX: 3.02627%02d aY: 2.0685902", i)
        return proto.studio_line(full, i), full
      end })
  end,
}

cases[#cases + 1] = {
  id = "2.3", group = "formats", title = "iOS lines without osType in the dump",
  description = "An iOS phone (startSession osType iOS) sends one logDump of 4 iOS lines " ..
    "('2024-05-22 11:44:31.180+0200 Hangouts[812:5123] ...') without an osType field, as iOS apps do.",
  expectation = "The text of all 4 lines reaches the dashboard in order, in a logData whose osType is \"iOS\" " ..
    "(the session's).",
  reference = S.doc .. "§5.2, §5.3, §7.3, §7.4",
  run = function(t)
    run_dumps(t, { session_os = "iOS", dump_os = nil, lines = 4, what = "iOS dump",
      make = function(text, i) return proto.ios_line(text .. " view did appear", i), text .. " view did appear" end })
  end,
}

cases[#cases + 1] = {
  id = "2.4", group = "formats", title = "Lines in no known format are passed on",
  description = "An Android phone sends one logDump of 6 lines: logcat threadtime lines alternating with lines " ..
    "in no format (free text, a truncated stamp, a line with a bad level letter).",
  expectation = "The connection stays open and the text of all 6 lines (the whole line, for the unparsable " ..
    "ones) reaches the dashboard in order.",
  reference = S.doc .. "§5.4, §7.3",
  run = function(t)
    local odd = { "%s plain text with no stamp", "05-24 12:12 %s truncated stamp", "05-24 12:12:49.247 1 2 Q %s: bad level" }
    run_dumps(t, { session_os = "Android", dump_os = "Android", lines = 6, what = "dump with unparsable lines",
      make = function(text, i)
        if i % 2 == 1 then return proto.threadtime_line(text, i) end
        local line = string.format(odd[i // 2], text)
        return line, line
      end })
  end,
}

cases[#cases + 1] = {
  id = "2.5", group = "formats", title = "Several dumps in a row keep their order",
  description = "An Android phone sends 3 logDumps of 20 threadtime lines each, back to back (as a phone " ..
    "flushing its buffer).",
  expectation = "All 60 line texts reach the dashboard, dump after dump, in order.",
  reference = S.doc .. "§5.1, §7.2, §7.3",
  run = function(t)
    run_dumps(t, { session_os = "Android", dump_os = "Android", dumps = 3, lines = 20, what = "3 dumps of 20 lines",
      make = function(text, i) return proto.threadtime_line(text, i, i % 3 == 0 and "W" or "D", "Sensor") end })
  end,
}

return cases
