-- 3.x Device metrics (docs/protocols/widb.md §6, §7.5): forwarded unchanged, in their units.
local S = require("support")

local cases = {}

-- A phone sends two deviceMetrics; returns what the dashboard got (matched by timeStamp) and what was sent.
local function forwarded(t)
  local key = S.nonce(t, "key")
  local dash = S.dashboard(t, key)
  local phone = S.phone(t, key, "Android")
  local sent, stamps = {}, {}
  for k = 1, 2 do
    local m = S.metrics(t, "Android", k)
    if k == 2 then m.cpuUsage, m.netSentPerSec, m.netReceivePerSec = 0.5, 0, 3 end
    sent[m.timeStamp] = m
    stamps[m.timeStamp] = true
    t:send(phone, m)
  end
  local st = S.collect(t, dash, nil, stamps, S.response_ms, function(st) return #st.metrics == 2 end)
  return st.metrics, sent
end

local function same(a, b)
  if type(a) == "number" and type(b) == "number" then
    return a == b or math.abs(a - b) <= 1e-9 * math.max(1, math.abs(a))
  end
  return a == b
end

cases[#cases + 1] = {
  id = "3.1", group = "metrics", title = "deviceMetrics reach the dashboard unchanged",
  description = "A phone sends two deviceMetrics; a dashboard of its apiKey watches.",
  expectation = "The dashboard receives both, each with every field the phone sent and the same values " ..
    "(numbers compared as numbers).",
  reference = S.doc .. "§7.5, §1.2",
  run = function(t)
    local got, sent = forwarded(t)
    t:check(#got == 2, "both deviceMetrics were forwarded", #got .. " of 2")
    for _, m in ipairs(got) do
      local orig = sent[m.timeStamp]
      local diffs = {}
      for k, v in pairs(orig) do
        if not same(m[k], v) then diffs[#diffs + 1] = string.format("%s %s (sent %s)", k, tostring(m[k]), tostring(v)) end
      end
      t:check(#diffs == 0, "metrics " .. m.timeStamp .. " forwarded unchanged", table.concat(diffs, ", "))
    end
  end,
}

cases[#cases + 1] = {
  id = "3.2", group = "metrics", title = "Forwarded metrics are in the documented units",
  description = "A phone sends two deviceMetrics in the documented units; the forwarded messages are checked " ..
    "field by field.",
  expectation = "cpuUsage a number in 0..1; memUsage and memTotal integers >= 0 in kilobytes (memUsage <= " ..
    "memTotal, memTotal below 1 TiB); netSentPerSec and netReceivePerSec numbers >= 0; timeStamp an integer in " ..
    "epoch milliseconds (above 1e12).",
  reference = S.doc .. "§6.1",
  run = function(t)
    local got = forwarded(t)
    S.require(t, #got > 0, "no deviceMetrics was forwarded")
    for _, m in ipairs(got) do
      local problems = {}
      local function need(cond, text) if not cond then problems[#problems + 1] = text end end
      need(type(m.cpuUsage) == "number" and m.cpuUsage >= 0 and m.cpuUsage <= 1, "cpuUsage " .. tostring(m.cpuUsage) .. " is not a fraction 0..1")
      for _, f in ipairs({ "memUsage", "memTotal" }) do
        need(math.type(m[f]) == "integer" and m[f] >= 0, f .. " " .. tostring(m[f]) .. " is not an integer >= 0")
      end
      need(math.type(m.memTotal) == "integer" and m.memTotal < 1024 * 1024 * 1024,
        "memTotal " .. tostring(m.memTotal) .. " kB is 1 TiB or more: bytes, not kilobytes?")
      need(math.type(m.memUsage) ~= "integer" or math.type(m.memTotal) ~= "integer" or m.memUsage <= m.memTotal,
        "memUsage above memTotal")
      for _, f in ipairs({ "netSentPerSec", "netReceivePerSec" }) do
        need(type(m[f]) == "number" and m[f] >= 0, f .. " " .. tostring(m[f]) .. " is not a number >= 0")
      end
      need(math.type(m.timeStamp) == "integer" and m.timeStamp > 1e12, "timeStamp " .. tostring(m.timeStamp) .. " is not epoch ms")
      t:check(#problems == 0, "metrics " .. tostring(m.timeStamp) .. " in the documented units", table.concat(problems, "; "))
    end
  end,
}

return cases
