-- 4.x REPLAY: the suite's own producer submits N readings, the consumer records the live
-- DISPATCHes, then asks for a range and compares the answer with what it recorded.
local S = require("support")
local proto = S.proto

local cases = {}

local submitted = 10

-- Returns the consumer link, the live DISPATCHes in order, and the case's users.
local function record_live(t)
  local dev = S.developer(t)
  local c = S.consumer(t, dev, "consumer")
  local p = S.producer(t, dev, "p", "producer")
  local users = { [p.user] = true }
  local samples = S.samples(submitted, "HEART_RATE", 60)
  samples[4] = { t = "ACCELERATION", d = { d = { 0.5, -9.5, 1.25 } } }
  samples[7] = { t = "STEPS", d = { val = 4321 } }
  S.submit_all(p, samples)
  local live = c:collect(submitted, S.response_ms, users)
  S.require(t, #live == submitted, string.format("the consumer got all %d live DISPATCHes, got %d (3.1 judges " ..
    "delivery)", submitted, #live))
  for i, m in ipairs(live) do
    S.require(t, math.type(m.seq) ~= nil and proto.is_integer(m.seq) and (i == 1 or m.seq > live[i - 1].seq),
      "live seqs are strictly increasing integers (3.3 judges that)")
  end
  local seqs = {}
  for i, m in ipairs(live) do seqs[i] = m.seq end
  t:note("live seqs: " .. table.concat(seqs, ","))
  return c, live, users
end

local function seq_list(list)
  local out = {}
  for i, m in ipairs(list) do out[i] = tostring(m.seq) end
  return "[" .. table.concat(out, ",") .. "]"
end

-- Sends REPLAY(after, before) and judges the answer against the live record: the exact set
-- (bounds exclusive), each once, in seq order, with identical content.
local function judge_replay(t, c, live, users, after, before)
  local expected, by_seq = {}, {}
  for _, m in ipairs(live) do
    by_seq[m.seq] = m
    if m.seq > after and (before == nil or m.seq < before) then expected[#expected + 1] = m end
  end
  c:send(proto.replay(after, before))
  local got, other = c:collect(#expected, S.response_ms, users)
  local more, other2 = c:collect(math.huge, S.settle_ms, users)
  for _, m in ipairs(more) do got[#got + 1] = m end
  other.closed = other.closed or other2.closed
  for _, m in ipairs(other2) do other[#other + 1] = m end
  local markers = {} -- other developers' DISPATCHes are 3.2's business
  for _, m in ipairs(other) do
    if not proto.is_op(m, S.op.DISPATCH) then markers[#markers + 1] = m end
  end
  t:check(#markers == 0 and not other.closed, "the answer is DISPATCH frames only (no marker, no close)",
    { frames = markers, closed = other.closed })

  local range = string.format("after %s%s", after, before and (", before " .. before) or "")
  local want, seen, missing, extra, dup = {}, {}, {}, {}, {}
  for _, m in ipairs(expected) do want[m.seq] = true end
  for _, m in ipairs(got) do
    local key = m.seq
    if key ~= nil and seen[key] then dup[#dup + 1] = tostring(key) end
    if key ~= nil then seen[key] = true end
    if key == nil or not want[key] then extra[#extra + 1] = S.describe(key) end
  end
  for _, m in ipairs(expected) do
    if not seen[m.seq] then missing[#missing + 1] = tostring(m.seq) end
  end
  t:check(#missing == 0 and #extra == 0 and #dup == 0,
    string.format("REPLAY %s returns exactly seq %s (bounds exclusive, each once)", range, seq_list(expected)),
    { received = seq_list(got), missing = missing, unexpected = extra, repeated = dup })

  local ordered = true
  for i = 2, #got do
    local a, b = got[i - 1].seq, got[i].seq
    if math.type(a) == nil or math.type(b) == nil or b <= a then ordered = false end
  end
  t:check(ordered, "the replayed DISPATCHes come in seq order", seq_list(got))

  local altered = {}
  for _, m in ipairs(got) do
    local original = m.seq ~= nil and by_seq[m.seq]
    if original and not proto.same(m, original) then
      altered[#altered + 1] = { replayed = m, live = original }
    end
  end
  t:check(#altered == 0, "each replayed DISPATCH is identical to the live one (op, d, uid, seq, t)",
    altered[1] and { count = #altered, first = altered[1] } or nil)
end

cases[#cases + 1] = {
  id = "4.1", group = "replay", title = "REPLAY after/before returns the exact range",
  description = string.format("The case's producer submits %d readings; the consumer records them, then sends " ..
    "REPLAY {after: seq of the 3rd, before: seq of the 9th}.", submitted),
  expectation = "Exactly the 4th to 8th DISPATCH again (both bounds exclusive), each once, in seq order, " ..
    "identical to the live ones.",
  reference = "docs/protocols/wearable.md §9.1 (the request), §9.2 (both bounds exclusive), §9.3 (every " ..
    "DISPATCH in range once, in seq order, identical), §9.4 (ordinary DISPATCH frames, no marker)",
  run = function(t)
    local c, live, users = record_live(t)
    judge_replay(t, c, live, users, live[3].seq, live[9].seq)
  end,
}

cases[#cases + 1] = {
  id = "4.2", group = "replay", title = "REPLAY without before returns everything after",
  description = string.format("The case's producer submits %d readings; the consumer records them, then sends " ..
    "REPLAY {after: seq of the 5th} with no upper bound.", submitted),
  expectation = string.format("Exactly the 6th to %dth DISPATCH again, each once, in seq order, identical to the " ..
    "live ones.", submitted),
  reference = "docs/protocols/wearable.md §9.2 (without before: everything after after), §9.3",
  run = function(t)
    local c, live, users = record_live(t)
    judge_replay(t, c, live, users, live[5].seq, nil)
  end,
}

return cases
