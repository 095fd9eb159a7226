-- The echo fake's close-1011 fault closes right after the first message: the script must
-- see the server's close code and reason.
options = { vus = 2, iterations = 1 }

function client()
  local conn = assert(ws.connect())
  conn:send({ id = 1 })
  local msg, err = conn:recv(3000)
  check("recv ends with closed", msg == nil and err == "closed", err)
  check("close code is 1011", conn:close_code() == 1011, conn:close_code())
  check("closed by the server", conn:closed_by_server(), conn:close_reason())
end
