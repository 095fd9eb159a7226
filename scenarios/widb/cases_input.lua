-- 4.x Frames that are not messages (docs/protocols/widb.md §4): close 1003/1007 or ignore,
-- never an abrupt drop.
local S = require("support")
local proto = S.proto

local cases = {}

-- A phone in a session sends `frames` (raw texts) one at a time; each is judged by §4. When
-- the server ignores them all, a logDump afterwards must still be taken without a drop.
local function bad_frames(t, frames, what)
  local phone = S.phone(t, S.nonce(t, "key"), "Android")
  for i, frame in ipairs(frames) do
    t:send_raw(phone, frame)
    if S.judge_bad_input(t, phone, string.format("%s #%d (%s)", what, i, frame)) ~= "open" then return end
  end
  S.dump(t, phone, { proto.threadtime_line(S.nonce(t) .. " after the bad frames", 1) }, "Android")
  S.expect_open(t, phone, "a logDump after the ignored frames")
end

cases[#cases + 1] = {
  id = "4.1", group = "input", title = "Invalid JSON does not drop the connection",
  description = "A phone in a session sends text that is not JSON ('{not json'), then JSON that is not an " ..
    "object ('[1,2]').",
  expectation = "For each: the server closes with 1003 or 1007, or ignores it and goes on (a later logDump " ..
    "is taken, pings are answered). A drop without a close frame is FAILED.",
  reference = S.doc .. "§4.2",
  run = function(t) bad_frames(t, { "{not json", "[1,2]" }, "invalid JSON") end,
}

cases[#cases + 1] = {
  id = "4.2", group = "input", title = "An unknown messageType does not drop the connection",
  description = "A phone in a session sends {\"messageType\":\"heartbeat\"}, then an object without " ..
    "messageType.",
  expectation = "For each: the server closes with 1003 or 1007, or ignores it and goes on. A drop without a " ..
    "close frame is FAILED.",
  reference = S.doc .. "§4.3",
  run = function(t)
    bad_frames(t, { '{"messageType":"heartbeat"}', '{"type":"logDump","rawLogData":"x"}' }, "unknown messageType")
  end,
}

return cases
