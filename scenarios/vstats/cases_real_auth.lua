-- 7.x Real dialect, agents (docs/protocols/vstats.md §14): in-band auth answered without a
-- close; metrics before auth get an error message.
local S = require("support")
local proto = S.proto

local cases = {}

-- The agent's connection is still open SETTLE_MS x 2 later (messages meanwhile are skipped).
local function stays_open(t, a, what)
  t:recv_until(a.conn, function() return false end, S.settle_ms * 2)
  t:check(a.conn:is_open(), what .. ": the connection stays open",
    string.format("closed %s %s", tostring(a.conn:close_code()), tostring(a.conn:close_reason())))
end

cases[#cases + 1] = {
  id = "7.1", group = "real-auth", title = "auth with a good token is answered status ok, no close",
  description = "An agent connects to /ws/agent without a token and sends {type:auth, server_id, token}; wait up " ..
    "to max(1 s, REPORT_INTERVAL_MS) for {type:auth}, then SETTLE_MS x 2. Trend vstats_auth.",
  expectation = "{\"type\":\"auth\",\"status\":\"ok\"} and the connection stays open.",
  reference = "docs/protocols/vstats.md §14.1",
  run = function(t)
    local a = S.real_agent(t, "a")
    local answer, ms = a:auth()
    if not answer then return t:fail("no auth answer within " .. S.ms(S.prompt_ms) .. " (" .. tostring(ms) .. ")") end
    t:check(answer.status == "ok", "auth answered status ok", answer)
    t:measure("vstats_auth", ms)
    stays_open(t, a, "after auth ok")
  end,
}

cases[#cases + 1] = {
  id = "7.2", group = "real-auth", title = "auth with a bad token is answered status error, no close",
  description = "An agent sends auth with its server id and a token the server must refuse (BAD_TOKEN).",
  expectation = "{\"type\":\"auth\",\"status\":\"error\",\"message\":...} and the connection stays open. A close " ..
    "after the error answer is NON-STRICT (the documented dialect's behaviour); a close without it, or no " ..
    "answer, FAILED.",
  reference = "docs/protocols/vstats.md §14.1",
  run = function(t)
    local a = S.real_agent(t, "a")
    local answer, why = a:auth(S.tokens.bad())
    if not answer then
      local code = a.conn:close_code()
      return t:fail(code and ("closed " .. code .. " without an auth answer") or
        ("no auth answer within " .. S.ms(S.prompt_ms) .. " (" .. tostring(why) .. ")"))
    end
    t:check(answer.status == "error" and type(answer.message) == "string",
      "auth answered status error with a message", answer)
    t:recv_until(a.conn, function() return false end, S.settle_ms * 2)
    if a.conn:is_open() then
      t:ok("the connection stays open after the refusal")
    else
      t:non_strict("the server closed " .. tostring(a.conn:close_code()) .. " after the error answer")
    end
  end,
}

cases[#cases + 1] = {
  id = "7.3", group = "real-auth", title = "metrics before auth get an error message",
  description = "An agent connects and sends a real-shaped metrics report before any auth.",
  expectation = "{\"type\":\"error\",\"message\":...} within max(1 s, REPORT_INTERVAL_MS); the connection stays open.",
  reference = "docs/protocols/vstats.md §14.2",
  run = function(t)
    local a = S.real_agent(t, "a")
    a:real_report()
    local err = t:recv_until(a.conn, function(m) return type(m) == "table" and m.type == "error" end, S.prompt_ms)
    t:check(err ~= nil and type(err.message) == "string", "an error message answers metrics before auth", err)
    stays_open(t, a, "after the error")
  end,
}

return cases
