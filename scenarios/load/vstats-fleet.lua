-- A fleet of monitored servers and the dashboards watching them (protocol 004, documented
-- dialect): clients 1..DASHBOARDS are dashboards (lib/vstats/dashboard.lua), the rest are
-- agents (lib/vstats/agent.lua), one server each.
--
--   drover fake vstats --port 9200
--   drover run scenarios/load/vstats-fleet.lua --target ws://127.0.0.1:9200 \
--     --vus 2004 --duration 30s --ramp-up 10s
--
-- env: DASHBOARDS (4), REPORT_MS (2000: each agent's report period; the server's offline rule
--   must allow it, the fake's default 5 s x 3 does), HEARTBEAT (1: a heartbeat between reports;
--   0: none), START_DELAY_MS (2000: agents wait this long after connecting, so the dashboards
--   are there for their first report), GRACE_MS (5000: how long dashboards may keep draining
--   after the run stops), E2E_P99_MS (500: the vstats_e2e p99 threshold), FLEET ("fleet": server
--   ids FLEET-N), TOKEN_FILE / TOKEN_CMD (see lib/vstats/tokens.lua), TARGET (set from --target),
--   DASHBOARD_PATH ("/ws") and AGENT_PATH ("/ws/agent") for a server behind a path prefix.
--
-- Every report is accounted for by the dashboards themselves (each knows, from the agents' end
-- markers, how many reports each agent made): vstats_lost, vstats_duplicates,
-- vstats_out_of_order and vstats_unfinished must stay 0. vstats_reports_sent and
-- vstats_delivered (= DASHBOARDS x sent when nothing is lost) are in the report for the record.
local proto = require("vstats.proto")
local tokens = require("vstats.tokens")
local agent = require("vstats.agent")
local dashboard = require("vstats.dashboard")

local dashboards = tonumber(env.DASHBOARDS or "4")
local grace_ms = tonumber(env.GRACE_MS or "5000")

options = {
  vus = 2004,
  duration = "30s",
  ramp_up = "10s",
  -- Dashboards drain for GRACE_MS after the stop; agents finish their current wait (<= 1 s).
  graceful_stop = string.format("%ds", math.ceil(grace_ms / 1000) + 10),
  protocol = "vstats",
  -- One message in 20 is validated: validating the whole ~5,000 messages/s stream costs more
  -- CPU than the clients on a small machine and would inflate vstats_e2e.
  validate = "sample:20",
  thresholds = {
    ["vstats_e2e.p99"] = "< " .. (env.E2E_P99_MS or "500"),
    vstats_lost = "count == 0",
    vstats_duplicates = "count == 0",
    vstats_out_of_order = "count == 0",
    vstats_unfinished = "count == 0",
    checks = "rate == 1",
    ws_errors = "count == 0",
  },
}

function client()
  local target = env.TARGET
  if not check("vstats fleet target", target ~= nil, "pass --target ws://HOST:PORT (or --env TARGET=...)") then return end
  if vu.id <= dashboards then
    dashboard.run { url = proto.url(target, env.DASHBOARD_PATH or "/ws"), grace_ms = grace_ms }
  else
    local token, server_id = tokens.nth_agent(vu.id - dashboards)
    if not check("vstats token", token ~= nil, server_id) then return end
    agent.run {
      url = proto.url(target, env.AGENT_PATH or "/ws/agent"),
      token = token,
      hostname = server_id,
      interval_ms = tonumber(env.REPORT_MS or "2000"),
      heartbeat = env.HEARTBEAT ~= "0",
      start_delay_ms = tonumber(env.START_DELAY_MS or "2000"),
    }
  end
  -- One session per client: the run's end stops the fleet, not an iteration count.
  while vu.running() do sleep(1000) end
end
