-- Persona: an Android app with the WiDB library (docs/protocols/widb.md): a logDump of logcat
-- threadtime lines every 200 ms (osType "Android" in each dump), deviceMetrics every 5 s.
-- See phone.lua for the markers in each line and the metrics recorded.
local proto = require("widb.proto")
local phone = require("widb.phone")

local android = {}

local tags = { "ActivityManager", "WiDB Example", "OkHttp", "chromium", "SensorService" }
local levels = { "D", "I", "I", "W", "E" }

-- opts: id, api_key, and optionally dump_ms (200), metrics_ms (5000), lines (2), start_delay_ms, connect_opts.
function android.run(opts)
  phone.run {
    id = opts.id, api_key = opts.api_key, os = "Android", send_os_in_dump = true,
    dump_ms = opts.dump_ms or 200, metrics_ms = opts.metrics_ms or 5000, lines = opts.lines or 2,
    start_delay_ms = opts.start_delay_ms, connect_opts = opts.connect_opts,
    line = function(text, i)
      local pick = i % #tags + 1
      return proto.threadtime_line(text, i, levels[pick], tags[pick])
    end,
  }
end

return android
