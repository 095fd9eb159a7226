-- Measures what validating every message costs the load engine: clients send wearable
-- SUBMITs (vector data) to the echo fake as fast as the echo comes back. Run it twice:
--   drover run scenarios/load/validation-cost.lua --target ws://127.0.0.1:P/ --validate all
--   drover run scenarios/load/validation-cost.lua --target ws://127.0.0.1:P/ --validate off
-- and compare ws_msgs_sent's rate.
options = { vus = 50, duration = "10s", protocol = "wearable" }

function client()
  local conn = assert(ws.connect({ validate = "sent" }))
  local submit = { op = 6, t = "ECG", d = { ts = "2022-05-04T10:26:11.268507+01:00", d = {} } }
  for i = 1, 64 do submit.d.d[i] = math.sin(i / 10) end
  while vu.running() do
    if not conn:send(submit) then break end
    if not conn:recv(5000) then break end
  end
end
