-- Tokens for protocol 001 (wearable). Three sources, chosen by env:
--
--   (default)       self-describing tokens the fake understands: "dev:DEV:NONCE" (consumer of
--                   developer DEV) and "user:DEV:USER:NONCE" (producer USER of DEV); every nonce
--                   is unique (run id, client id and a counter), since tokens are single use.
--   env.TOKEN_FILE  a JSON file of pre-minted tokens:
--                     {"consumer": {"DEV": ["tok", ...]},
--                      "producer": {"DEV": {"USER": ["tok", ...]}}}
--                   each token is handed out once. The callers' developer and user names are
--                   labels, mapped onto the file's developers (sorted, first come first served,
--                   wrapping around when there are more labels than developers) and users.
--   env.TOKEN_CMD   a command run as `CMD consumer DEV` or `CMD producer DEV USER`; the first
--                   line of its output is a fresh token (e.g. a script calling the vendor's
--                   HTTP endpoint). It runs on the worker thread: keep it quick.
--
-- Every function returns the value, or nil and a message a user can act on.
local tokens = {}

-- Unique per Lua state and run: tokens from earlier runs against the same server stay used.
local run_id = string.format("%x%05x", os.time() % 0x1000000, math.random(0, 0xfffff))
tokens.run_id = run_id

local counter = 0
local function nonce()
  counter = counter + 1
  local client = (vu and vu.id) or 0
  return string.format("%s-%s-%d", run_id, tostring(client), counter)
end

local function sanitize(label)
  return (tostring(label):gsub("[^%w%.%-_]", "-"))
end

local function read_file(path)
  local f, err = io.open(path, "r")
  if not f then return nil, "cannot read TOKEN_FILE: " .. tostring(err) end
  local text = f:read("a")
  f:close()
  local doc, why = json.decode(text)
  if type(doc) ~= "table" then return nil, "TOKEN_FILE " .. path .. " is not JSON: " .. tostring(why) end
  return doc
end

-- Token file state, shared by every case on this worker (one Lua state).
local file_state

local function load_file()
  if file_state then return file_state end
  local doc, err = read_file(env.TOKEN_FILE)
  if not doc then return nil, err end
  local state = { consumer = {}, producer = {}, developers = {}, dev_of = {}, user_of = {}, users_used = {} }
  local seen = {}
  for dev, list in pairs(type(doc.consumer) == "table" and doc.consumer or {}) do
    state.consumer[dev] = { table.unpack(list) }
    if not seen[dev] then seen[dev] = true; state.developers[#state.developers + 1] = dev end
  end
  for dev, users in pairs(type(doc.producer) == "table" and doc.producer or {}) do
    state.producer[dev] = {}
    for user, list in pairs(users) do state.producer[dev][user] = { table.unpack(list) } end
    if not seen[dev] then seen[dev] = true; state.developers[#state.developers + 1] = dev end
  end
  table.sort(state.developers)
  if #state.developers == 0 then return nil, "TOKEN_FILE " .. env.TOKEN_FILE .. " names no developer" end
  file_state = state
  return state
end

tokens.mode = env.TOKEN_FILE and "file" or (env.TOKEN_CMD and "command" or "self-describing")

-- The server-side developer id for a label (e.g. a case id).
function tokens.developer(label)
  if tokens.mode ~= "file" then return "drv-" .. run_id .. "-" .. sanitize(label) end
  local state, err = load_file()
  if not state then return nil, err end
  local dev = state.dev_of[label]
  if not dev then
    local n = 0
    for _ in pairs(state.dev_of) do n = n + 1 end
    dev = state.developers[n % #state.developers + 1]
    state.dev_of[label] = dev
  end
  return dev
end

-- The server-side user id for a user label of a developer (what DISPATCH.uid should say).
function tokens.user(dev, label)
  if tokens.mode ~= "file" then return sanitize(label) .. "." .. dev end
  local state, err = load_file()
  if not state then return nil, err end
  local key = dev .. "\0" .. label
  if state.user_of[key] then return state.user_of[key] end
  local names = {}
  for user in pairs(state.producer[dev] or {}) do names[#names + 1] = user end
  table.sort(names)
  if #names == 0 then return nil, "TOKEN_FILE has no producer tokens for developer " .. dev end
  local used = state.users_used[dev] or 0
  state.users_used[dev] = used + 1
  state.user_of[key] = names[used % #names + 1]
  return state.user_of[key]
end

-- env_command runs the --token-cmd the user gave (args shell-quoted by drover); the Lua
-- sandbox allows no other process (scenarios/README.md).
local function from_command(...)
  local output, code = env_command("TOKEN_CMD", ...)
  if not output then return nil, code end
  local token = output:match("^[^\n]*")
  if code ~= 0 or token == "" then
    return nil, string.format("TOKEN_CMD `%s %s` gave no token (exit code %s)", env.TOKEN_CMD,
      table.concat({ ... }, " "), tostring(code))
  end
  return (token:gsub("%s+$", ""))
end

local function take(list, what)
  if not list or #list == 0 then return nil, "TOKEN_FILE has no more " .. what .. " tokens" end
  return table.remove(list, 1)
end

-- A fresh consumer token of developer `dev` (a value from tokens.developer()).
function tokens.consumer(dev)
  if tokens.mode == "command" then return from_command("consumer", dev) end
  if tokens.mode == "file" then
    local state, err = load_file()
    if not state then return nil, err end
    return take(state.consumer[dev], "consumer tokens for developer " .. dev)
  end
  return "dev:" .. dev .. ":" .. nonce()
end

-- A fresh producer token of user `user` (a value from tokens.user()) of developer `dev`.
function tokens.producer(dev, user)
  if tokens.mode == "command" then return from_command("producer", dev, user) end
  if tokens.mode == "file" then
    local state, err = load_file()
    if not state then return nil, err end
    return take((state.producer[dev] or {})[user], "producer tokens for user " .. user .. " of developer " .. dev)
  end
  return "user:" .. dev .. ":" .. user .. ":" .. nonce()
end

-- Deterministic picks for load runs, the same in every worker's Lua state: the index-th
-- producer (1-based) of developer dev -> user, token; and the index-th consumer token. With a
-- token file, producers are the file's (user, token) pairs of dev in sorted order, so each
-- index gets its own token whatever worker it runs on; nil when the file has too few.
function tokens.nth_producer(dev, index)
  if tokens.mode ~= "file" then
    local user = "user-" .. index
    local token, err = tokens.producer(dev, user)
    return user, token, err
  end
  local state, err = load_file()
  if not state then return nil, nil, err end
  local pairs_list = {}
  local users = {}
  for user in pairs(state.producer[dev] or {}) do users[#users + 1] = user end
  table.sort(users)
  for _, user in ipairs(users) do
    for _, tok in ipairs(state.producer[dev][user]) do pairs_list[#pairs_list + 1] = { user, tok } end
  end
  local pick = pairs_list[index]
  if not pick then
    return nil, nil, string.format("TOKEN_FILE has %d producer tokens for developer %s, producer %d needs one",
      #pairs_list, dev, index)
  end
  return pick[1], pick[2]
end

function tokens.nth_consumer(dev, index)
  if tokens.mode ~= "file" then return tokens.consumer(dev) end
  local state, err = load_file()
  if not state then return nil, err end
  local list = state.consumer[dev] or {}
  if not list[index] then
    return nil, string.format("TOKEN_FILE has %d consumer tokens for developer %s, consumer %d needs one", #list, dev,
      index)
  end
  return list[index]
end

-- A token no server knows.
function tokens.unknown()
  return "drover-unknown-token-" .. nonce()
end

return tokens
