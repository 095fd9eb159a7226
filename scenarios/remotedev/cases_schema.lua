-- 6.x Message shapes: every server frame of a whole app + monitor session against
-- schemas/remotedev/server/*.schema.json. The checks are structural ones in Lua that mirror the
-- schemas and the matching rules of schemas/remotedev/protocol.json; a run with --protocol v1 or
-- v2 also validates every frame in C++ against the schemas themselves (summary.json).
local S = require("support")

local cases = {}

local function integer(v) return type(v) == "number" and v == math.floor(v) end
local function is_object(v) return type(v) == "table" and v[1] == nil end

-- Classifies one packet as protocol.json does (first matching server entry) and returns its
-- name and the schema problems found.
local function check_packet(p)
  local problems = {}
  local function need(cond, text) if not cond then problems[#problems + 1] = text end end
  if not is_object(p) then return "?", { "not a JSON object" } end
  local d = p.data
  if p.rid ~= nil and is_object(d) and d.pingTimeout ~= nil then
    need(integer(p.rid) and p.rid >= 0, "rid is not an integer >= 0")
    need(type(d.id) == "string", "data.id is not a string")
    need(integer(d.pingTimeout) and d.pingTimeout > 0, "data.pingTimeout is not an integer > 0")
    need(type(d.isAuthenticated) == "boolean", "data.isAuthenticated is not a boolean")
    need(d.authError == nil or is_object(d.authError), "data.authError is not an object")
    return "HANDSHAKE_ANSWER", problems
  end
  if p.rid ~= nil and p.error ~= nil then
    local e = p.error
    need(integer(p.rid) and p.rid >= 0, "rid is not an integer >= 0")
    need(is_object(e) or type(e) == "string", "error is neither an object nor a string")
    if is_object(e) then
      need(e.name == nil or type(e.name) == "string", "error.name is not a string")
      need(e.message == nil or type(e.message) == "string", "error.message is not a string")
    end
    return "ERROR_ANSWER", problems
  end
  if p.rid ~= nil and (d == "respond" or d == "log") then
    need(integer(p.rid) and p.rid >= 0, "rid is not an integer >= 0")
    return "LOGIN_ANSWER", problems
  end
  if p.rid ~= nil then
    need(integer(p.rid) and p.rid >= 0, "rid is not an integer >= 0")
    return "ACK_ANSWER", problems
  end
  if p.event == "#publish" then
    need(is_object(d), "data is not an object")
    if is_object(d) then
      need(type(d.channel) == "string", "data.channel is not a string")
      need(d.data ~= nil, "data.data is missing")
      local inner = d.data
      if d.channel == "log" and is_object(inner) and inner.type == "DISCONNECTED" then
        need(type(inner.id) == "string", "data.data.id is not a string")
        return "DISCONNECTED", problems
      end
    end
    return "PUBLISH", problems
  end
  if p.event ~= nil then
    need(type(p.event) == "string", "event is not a string")
    need(p.cid == nil or (integer(p.cid) and p.cid >= 0), "cid is not an integer >= 0")
    return "EMIT", problems
  end
  return "?", { "neither an event nor an answer (no event, no rid)" }
end

-- Judges one received frame's text; counts types in seen.
local function judge_frame(t, who, text, seen, failures)
  if text == "#1" or text == "" then
    local kind = text == "#1" and "PING_V1" or "PING_V2"
    seen[kind] = (seen[kind] or 0) + 1
    return
  end
  local decoded, err = json.decode(text)
  if decoded == nil then
    failures[#failures + 1] = string.format("%s: a frame that is neither JSON nor a ping: %s (%s)", who,
      S.describe(text), tostring(err))
    return
  end
  local packets = (type(decoded) == "table" and decoded[1] ~= nil) and decoded or { decoded }
  for _, p in ipairs(packets) do
    local kind, problems = check_packet(p)
    seen[kind] = (seen[kind] or 0) + 1
    if #problems > 0 then
      failures[#failures + 1] = string.format("%s: %s %s: %s", who, kind, S.describe(p), table.concat(problems, "; "))
    end
  end
end

cases[#cases + 1] = {
  id = "6.1", group = "schema", title = "Every server frame of an app and monitor session matches its schema",
  description = "An app and a monitor go through a whole session: handshake, login, #subscribe; the app's " ..
    "#publish is refused; the app emits log and log-noid, the monitor respond; a second app closes. Every frame " ..
    "both receive (answers, deliveries, the DISCONNECTED notice, pings) is classified as schemas/remotedev/" ..
    "protocol.json says and checked against its schema.",
  expectation = "HANDSHAKE_ANSWER {rid, data: {id: string, pingTimeout: integer > 0, isAuthenticated: boolean}}; " ..
    "LOGIN_ANSWER {rid, data: \"respond\"|\"log\"}; ACK_ANSWER {rid}; ERROR_ANSWER {rid, error: object|string}; " ..
    "PUBLISH {event: \"#publish\", data: {channel: string, data}}; DISCONNECTED {..., data: {channel: \"log\", " ..
    "data: {id: string, type: \"DISCONNECTED\"}}}; rid and cid integers >= 0; text that is not JSON only as pings.",
  reference = "docs/protocols/remotedev.md §1.2, §1.3, §2.2, §4.2, §5.2; schemas/remotedev/server/*.schema.json",
  run = function(t)
    local nonce = S.nonce(t)
    local m = S.monitor(t, "monitor", { keep_frames = true, any_answer = true })
    local app = S.app(t, "app", { keep_frames = true, any_answer = true })
    local leaving = S.app(t, "leaving app", { subscribe = false, any_answer = true })
    local id = leaving.id
    app:publish("log", S.app_message(nonce, "ACTION", 0), S.response_ms)
    app:emit("log", S.app_message(nonce, "INIT", 1, app.id))
    app:emit("log-noid", S.app_message(nonce, "ACTION", 2))
    m:emit("respond", S.monitor_message(nonce, "START", 3))
    S.collect(m, "log", 2, S.response_ms, S.with_nonce(nonce))
    S.collect(app, "respond", 1, S.response_ms, S.with_nonce(nonce))
    leaving:close(1000, "done")
    S.collect(m, "log", 1, S.response_ms, function(d) return type(d) == "table" and d.type == "DISCONNECTED" and d.id == id end)

    local seen, failures = {}, {}
    for _, p in ipairs({ app, m }) do
      for _, text in ipairs(p.frames) do judge_frame(t, p.name, text, seen, failures) end
    end
    local kinds = {}
    for kind, n in pairs(seen) do kinds[#kinds + 1] = kind .. " x" .. n end
    table.sort(kinds)
    if #failures == 0 then
      t:ok("every frame matches its schema: " .. table.concat(kinds, ", "))
    else
      for _, f in ipairs(failures) do t:fail(f) end
    end
    for _, kind in ipairs({ "HANDSHAKE_ANSWER", "LOGIN_ANSWER", "ACK_ANSWER", "ERROR_ANSWER", "PUBLISH", "DISCONNECTED" }) do
      if not seen[kind] then t:info("no " .. kind .. " was received, so none was checked") end
    end
  end,
}

return cases
