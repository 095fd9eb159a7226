-- Load benchmark, lean script: what drover costs with the least Lua per message (raw text in
-- and out, no JSON, no checks, no custom metrics). tests/bench/load/run.sh runs it against the
-- ack server (bench_ack_server) with --workers 1, the generator pinned to one core.
-- env: MODE closed (send, wait for the ack, again) | interval (one message every EVERY_MS) |
--      churn (connect, MESSAGES messages, close; with PACE=0 one session per iteration for the
--      arrival-rate executors, else once per second per client: vus = sessions/s)
local mode = env.MODE or "closed"
local every = tonumber(env.EVERY_MS or "5000")
local messages = tonumber(env.MESSAGES or "3")
local pace = env.PACE ~= "0" -- 0 under an arrival-rate executor, which starts the sessions itself
local payload = '{"type":"msg","n":1}'

function client()
  local started = now()
  local conn = ws.connect()
  if not conn then sleep(1000) return end -- counted in ws_errors; do not hammer a refusing target
  if mode == "churn" then
    for _ = 1, messages do
      if not conn:send_raw(payload) or not conn:recv_raw(5000) then break end
    end
    conn:close(1000, "done")
    if pace then -- constant-vus: one session per client per second
      local left = 1000 - (now() - started)
      if left > 0 and vu.running() then sleep(left) end
    end
    return
  end
  local next_at = now()
  while vu.running() do
    if mode == "interval" then
      local wait = next_at - now()
      if wait > 0 then sleep(wait) end
      next_at = next_at + every
      if not vu.running() then break end
    end
    if not conn:send_raw(payload) then break end
    if not conn:recv_raw(5000) then break end
  end
  conn:close(1000, "done")
end
