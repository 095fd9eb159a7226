-- 3.x Routing and seq: a producer's SUBMIT reaches every consumer of its developer as DISPATCH,
-- never another developer's; seq strictly increases; unknown data types pass through.
local S = require("support")
local proto = S.proto

local cases = {}

local function dispatches_only(list, users)
  local out = {}
  for _, m in ipairs(list) do
    if proto.is_op(m, S.op.DISPATCH) and not S.foreign(m, users) then out[#out + 1] = m end
  end
  return out
end

cases[#cases + 1] = {
  id = "3.1", group = "routing", title = "SUBMIT reaches every consumer of the developer as DISPATCH",
  description = "Two consumers of one developer (one when the server refuses the second with 4002), one " ..
    "producer of that developer submitting HEART_RATE, STEPS (with its own ts), ACCELERATION and DISTANCE.",
  expectation = "Each consumer gets one DISPATCH per SUBMIT with uid = the producer's user, the same t, an " ..
    "integer seq, every submitted field of d unchanged and d.ts present. The producer gets no DISPATCH.",
  reference = "docs/protocols/wearable.md §8.1, §8.3, §8.4 (a SUBMIT reaches every consumer of the developer " ..
    "as DISPATCH, no producer); §3.2 (ts)",
  run = function(t)
    local dev = S.developer(t)
    local consumers = { (S.consumer(t, dev, "consumer 1")) }
    local c2, ready2, why2 = S.consumer(t, dev, "consumer 2", { may_fail = true })
    if ready2 then
      consumers[2] = c2
    else
      t:info("the second consumer was refused (" .. tostring(why2) .. "): the server allows one consumer per " ..
        "developer, so fan-out to several consumers is not tested")
    end
    local p = S.producer(t, dev, "p", "producer")
    local users = { [p.user] = true }
    local samples = {
      { t = "HEART_RATE", d = { val = 72 } },
      { t = "STEPS", d = { val = 1234, ts = proto.iso_now() } },
      { t = "ACCELERATION", d = { d = { 0.12, -9.81, 0.3 } } },
      { t = "DISTANCE", d = { val = 15.5 } },
    }
    S.submit_all(p, samples)
    for _, c in ipairs(consumers) do
      local got = c:collect(#samples, S.response_ms, users)
      local matched, extra = S.match(samples, got)
      for i, s in ipairs(samples) do
        local m = matched[i]
        local what = string.format("%s: SUBMIT %d (%s)", c.name, i, s.t)
        if t:check(m ~= nil, what .. " arrives as a DISPATCH with its data unchanged", got) then
          t:check(m.uid == p.user, what .. ": uid is the producer's user " .. p.user, m.uid)
          t:check(math.type(m.seq) ~= nil and proto.is_integer(m.seq), what .. ": seq is an integer", m.seq)
          t:check(type(m.d) == "table" and type(m.d.ts) == "string", what .. ": d.ts is present", m.d)
        end
      end
      t:check(#extra == 0, c.name .. ": no other DISPATCH of this producer", extra)
    end
    local at_producer = dispatches_only(p:pump(S.settle_ms), users)
    t:check(#at_producer == 0, "the producer receives no DISPATCH", at_producer)
  end,
}

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- Every DISPATCH c receives must be one of its own developer's samples: c listens until all of
-- its own arrived, then S.settle_ms longer.
local function only_own(t, c, own_samples, own_user)
  local got, settle_end = {}, nil
  local deadline = now() + S.response_ms
  while true do
    local msg = c:recv(math.max(0, (settle_end or deadline) - now()))
    if msg == nil then break end
    if proto.is_op(msg, S.op.DISPATCH) then
      got[#got + 1] = msg
      if not settle_end and count((S.match(own_samples, got))) == #own_samples then settle_end = now() + S.settle_ms end
    end
  end
  local matched, extra = S.match(own_samples, got)
  S.require(t, count(matched) == #own_samples, c.name .. " got its own developer's DISPATCHes (3.1 judges delivery)")
  local foreign = extra
  for _, m in pairs(matched) do
    if type(m.uid) == "string" and m.uid ~= own_user then foreign[#foreign + 1] = m end
  end
  t:check(#foreign == 0, c.name .. " receives no DISPATCH of another developer",
    #foreign > 0 and { count = #foreign, first = foreign[1] } or nil)
end

cases[#cases + 1] = {
  id = "3.2", group = "routing", title = "DISPATCH never reaches another developer's consumers",
  description = "Developers A and B each have a consumer and a producer; both producers submit. Each consumer " ..
    "waits for its own developer's DISPATCHes, then listens a little longer.",
  expectation = "Each consumer receives exactly its own developer's readings and nothing of the other " ..
    "developer (or of any other).",
  reference = "docs/protocols/wearable.md §8.2 (never another developer's DISPATCHes)",
  run = function(t)
    local dev_a, dev_b = S.developer(t, "a"), S.developer(t, "b")
    local ca = S.consumer(t, dev_a, "consumer A")
    local cb = S.consumer(t, dev_b, "consumer B")
    local pa = S.producer(t, dev_a, "pa", "producer A")
    local pb = S.producer(t, dev_b, "pb", "producer B")
    local sa, sb = S.samples(3, "HEART_RATE", 100), S.samples(2, "HEART_RATE", 200)
    S.submit_all(pa, sa)
    S.submit_all(pb, sb)
    only_own(t, ca, sa, pa.user)
    only_own(t, cb, sb, pb.user)
  end,
}

cases[#cases + 1] = {
  id = "3.3", group = "routing", title = "seq strictly increases in a consumer's stream",
  description = "Two producers of one developer submit 5 readings each, alternating; one consumer records the " ..
    "seq of each DISPATCH in arrival order.",
  expectation = "Every seq is an integer and each is greater than the one before (gaps are allowed and are " ..
    "not loss).",
  reference = "docs/protocols/wearable.md §8.5 (seq strictly increases within a consumer's stream; gaps are allowed)",
  run = function(t)
    local dev = S.developer(t)
    local c = S.consumer(t, dev, "consumer")
    local p1 = S.producer(t, dev, "p1", "producer 1")
    local p2 = S.producer(t, dev, "p2", "producer 2")
    local users = { [p1.user] = true, [p2.user] = true }
    local s1, s2 = S.samples(5, "HEART_RATE", 100), S.samples(5, "HEART_RATE", 200)
    for i = 1, 5 do
      S.submit_all(p1, { s1[i] })
      S.submit_all(p2, { s2[i] })
    end
    local got = c:collect(10, S.response_ms, users)
    S.require(t, #got >= 2, "the consumer got DISPATCHes (3.1 judges delivery)")
    local seqs, bad, gaps = {}, nil, 0
    for i, m in ipairs(got) do
      seqs[i] = m.seq
      if math.type(m.seq) == nil or not proto.is_integer(m.seq) then
        bad = bad or string.format("DISPATCH %d has seq %s", i, S.describe(m.seq))
      elseif i > 1 and math.type(got[i - 1].seq) ~= nil then
        if m.seq <= got[i - 1].seq then
          bad = bad or string.format("DISPATCH %d has seq %s after %s", i, m.seq, got[i - 1].seq)
        elseif m.seq > got[i - 1].seq + 1 then
          gaps = gaps + 1
        end
      end
    end
    t:check(bad == nil, string.format("seq strictly increases over %d DISPATCHes%s", #got,
      gaps > 0 and string.format(" (%d gaps, allowed)", gaps) or ""), { problem = bad, seqs = seqs })
  end,
}

cases[#cases + 1] = {
  id = "3.4", group = "routing", title = "Unknown data types pass through unchanged",
  description = "A producer submits a scalar and a vector reading with data types no document lists.",
  expectation = "The consumer gets both as DISPATCH with t and every submitted field of d unchanged.",
  reference = "docs/protocols/wearable.md §3.5 (unknown data types pass through unchanged)",
  run = function(t)
    local dev = S.developer(t)
    local c = S.consumer(t, dev, "consumer")
    local p = S.producer(t, dev, "p", "producer")
    local samples = {
      { t = "DROVER_PROBE_SCALAR", d = { val = 7.25 } },
      { t = "DROVER_PROBE_VECTOR", d = { d = { 1, 2, 3, 4 } } },
    }
    S.submit_all(p, samples)
    local got = c:collect(#samples, S.response_ms, { [p.user] = true })
    local matched = S.match(samples, got)
    for i, s in ipairs(samples) do
      t:check(matched[i] ~= nil, s.t .. " arrives with t and d unchanged", got)
    end
  end,
}

return cases
