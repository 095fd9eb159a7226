-- Conformance suite for protocol 002, RemoteDev over SocketCluster (see README.md here and
-- docs/protocols/remotedev.md):
--   drover conform remotedev --target ws://HOST:PORT/socketcluster/ [--protocol v1|v2|auto]
-- Each case runs in its own client, all at once on one worker; env.CASE selects cases,
-- env.PROTOCOL (set by --protocol) the SocketCluster protocol version.
local S = require("support")

if not S.versions[S.version] then
  error("remotedev: unknown protocol version '" .. tostring(S.version) .. "' (--protocol v1, v2 or auto)", 0)
end

local conform = require("conform")

local cases = {}
for _, file in ipairs({ "cases_handshake", "cases_ping", "cases_login", "cases_channels", "cases_relay", "cases_schema" }) do
  for _, case in ipairs(require(file)) do cases[#cases + 1] = case end
end

-- The schemas' dialects are the versions; with auto the version is known only once a ping came,
-- so the frames are not validated in C++ (case 6.1 still checks their shapes in Lua).
conform.suite { protocol = "remotedev", dialect = S.version ~= "auto" and S.version or nil, cases = cases,
                max_duration = "3m" }
if S.version == "auto" then options.validate = "off" end
