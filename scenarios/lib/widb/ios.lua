-- Persona: an iOS app with the WiDB library (docs/protocols/widb.md): a logDump of iOS lines
-- ("2024-05-22 11:44:31.180+0200 Name[pid:tid] text") every 100 ms WITHOUT osType (the server
-- takes the session's, §5.2), deviceMetrics every 5 s. See phone.lua for markers and metrics.
local proto = require("widb.proto")
local phone = require("widb.phone")

local ios = {}

-- opts: id, api_key, and optionally dump_ms (100), metrics_ms (5000), lines (2), start_delay_ms, connect_opts.
function ios.run(opts)
  phone.run {
    id = opts.id, api_key = opts.api_key, os = "iOS", send_os_in_dump = false,
    dump_ms = opts.dump_ms or 100, metrics_ms = opts.metrics_ms or 5000, lines = opts.lines or 2,
    start_delay_ms = opts.start_delay_ms, connect_opts = opts.connect_opts,
    line = function(text, i) return proto.ios_line(text, i, "DroverApp") end,
  }
end

return ios
