-- Sequence accounting for the RemoteDev personas (app.lua, monitor.lua): every message a
-- sender relays carries seq = 1, 2, 3 ... and its last one says it is the last; a receiver
-- keeps one stream per sender and, from the numbers alone, tells lost, repeated and reordered
-- messages apart (docs/protocols/remotedev.md §7.5: each once, in the order sent).
--
-- Per message: a comparison and an assignment; a table is made only when a gap opens (the
-- numbers skipped, so that one arriving later counts as reordered, not lost).
local stream = {}

-- A sender whose numbers jump further than this is not ours (or was altered): the jump is not
-- expanded into a gap of that many entries.
stream.max_jump = 100000

-- new(first_expected) -> a stream expecting first_expected next (1: every message from the
-- start is owed; the first seen: only what follows it is).
function stream.new(first_expected)
  return { last = first_expected - 1, gaps = 0, missing = nil, dups = 0, reordered = 0, fin = nil, count = 0 }
end

-- seen(s, seq) -> false when seq cannot be one of the sender's numbers (not counted).
function stream.seen(s, seq)
  local last = s.last
  if seq == last + 1 then
    s.last = seq
  elseif seq > last then
    if seq - last > stream.max_jump then return false end
    local missing = s.missing
    if not missing then
      missing = {}
      s.missing = missing
    end
    for i = last + 1, seq - 1 do missing[i] = true end
    s.gaps = s.gaps + (seq - last - 1)
    s.last = seq
  elseif s.missing and s.missing[seq] then
    s.missing[seq] = nil
    s.gaps = s.gaps - 1
    s.reordered = s.reordered + 1
  elseif seq >= 1 then
    s.dups = s.dups + 1
  else
    return false
  end
  s.count = s.count + 1
  return true
end

-- lost(s) -> messages owed and never seen, up to the highest number seen. The sender's last
-- message says where the stream ends; a stream without it owes an unknown tail, which the
-- personas count as unfinished.
function stream.lost(s) return s.gaps end

-- Turns a decoded JSON number into an integer, or nil (a relaying server may respell numbers,
-- docs/protocols/remotedev.md §1.4: 7 may come back as 7.0).
function stream.integer(v)
  if type(v) ~= "number" then return nil end
  return math.tointeger(v)
end

return stream
