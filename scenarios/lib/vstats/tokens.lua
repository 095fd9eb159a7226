-- Agent tokens for protocol 004 (docs/protocols/vstats.md §12). A token names one monitored
-- server; it is not used up. Three sources, chosen by env:
--
--   (default)       self-describing tokens the fake understands: "agent:SERVER_ID", with a
--                   server id unique to this run and label ("drv-<run>-<label>").
--   env.TOKEN_FILE  a JSON file of real agents: {"agents": [{"token": "T", "server_id": "ID"}, ...]};
--                   each is handed out once per run (labels take them in order). The suite
--                   needs one per agent a case connects (scenarios/vstats/README.md).
--   env.TOKEN_CMD   a command run as `CMD agent LABEL`; the first line of its output is
--                   "TOKEN SERVER_ID" (e.g. a script registering a server with the vendor).
--
-- env.BAD_TOKEN: a token the server must refuse (default: a random string no server knows).
-- Every function returns the value(s), or nil and a message a user can act on.
local tokens = {}

local run_id = string.format("%x%05x", os.time() % 0x1000000, math.random(0, 0xfffff))
tokens.run_id = run_id
tokens.mode = env.TOKEN_FILE and "file" or (env.TOKEN_CMD and "command" or "self-describing")

local function sanitize(label)
  return (tostring(label):gsub("[^%w%.%-_]", "-"))
end

local file_agents, next_agent

local function load_file()
  if file_agents then return file_agents end
  local f, err = io.open(env.TOKEN_FILE, "r")
  if not f then return nil, "cannot read TOKEN_FILE: " .. tostring(err) end
  local text = f:read("a")
  f:close()
  local doc, why = json.decode(text)
  if type(doc) ~= "table" or type(doc.agents) ~= "table" then
    return nil, "TOKEN_FILE " .. env.TOKEN_FILE .. ' is not {"agents": [{"token": T, "server_id": ID}, ...]}: ' ..
      tostring(why or "no agents list")
  end
  for i, a in ipairs(doc.agents) do
    if type(a) ~= "table" or type(a.token) ~= "string" or type(a.server_id) ~= "string" then
      return nil, "TOKEN_FILE " .. env.TOKEN_FILE .. ": agents[" .. i .. "] needs a string token and server_id"
    end
  end
  file_agents, next_agent = doc.agents, 1
  return file_agents
end

-- token, server_id for a new agent | nil, why.
function tokens.agent(label)
  if tokens.mode == "file" then
    local agents, err = load_file()
    if not agents then return nil, err end
    local a = agents[next_agent]
    if not a then
      return nil, "TOKEN_FILE " .. env.TOKEN_FILE .. " has only " .. #agents .. " agents; this run needs more"
    end
    next_agent = next_agent + 1
    return a.token, a.server_id
  elseif tokens.mode == "command" then
    -- env_command: the --token-cmd the user gave, the one process the Lua sandbox runs.
    local output = env_command("TOKEN_CMD", "agent", tostring(label))
    local token, id = (output or ""):match("^(%S+)[ \t]+(%S+)")
    if not token then return nil, "TOKEN_CMD printed no \"TOKEN SERVER_ID\" line for agent " .. tostring(label) end
    return token, id
  end
  local id = "drv-" .. run_id .. "-" .. sanitize(label)
  return "agent:" .. id, id
end

-- token, server_id of the i-th agent of a fleet (the same i gives the same agent on every
-- worker): TOKEN_FILE's i-th agent, TOKEN_CMD `CMD agent FLEET-i`, or "agent:FLEET-i"
-- (FLEET = env.FLEET or "fleet").
function tokens.nth_agent(i)
  local label = (env.FLEET or "fleet") .. "-" .. i
  if tokens.mode == "file" then
    local agents, err = load_file()
    if not agents then return nil, err end
    local a = agents[i]
    if not a then return nil, "TOKEN_FILE " .. env.TOKEN_FILE .. " has only " .. #agents .. " agents, agent " .. i .. " needs one" end
    return a.token, a.server_id
  elseif tokens.mode == "command" then
    return tokens.agent(label)
  end
  return "agent:" .. label, label
end

function tokens.bad()
  return env.BAD_TOKEN or ("drover-invalid-" .. run_id)
end

return tokens
