"""Builds tests/fuzz/corpus/<target>/ (see make_corpus.sh). Keeps each target under 300 files."""
import glob
import hashlib
import json
import os
import shutil
import sys

root = sys.argv[1]
fuzz = os.path.join(root, "tests", "fuzz")
MAX_FILES = 250

def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)

def schema_examples():
    out = []
    for path in sorted(glob.glob(os.path.join(root, "schemas", "**", "*.schema.json"), recursive=True)):
        def walk(node):
            if isinstance(node, dict):
                for ex in node.get("examples", []) if isinstance(node.get("examples"), list) else []:
                    if isinstance(ex, (dict, list)):
                        out.append(ex)
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    return out

def schema_tests(kind):
    """{protocol: [(message, instance)]} from tests/schemas/<p>/<kind>.json."""
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "tests", "schemas", "*", kind + ".json"))):
        proto = os.path.basename(os.path.dirname(path))
        with open(path, encoding="utf-8") as f:
            out[proto] = [(c.get("message", ""), c["instance"]) for c in json.load(f)]
    return out

def spread(items, limit):
    """At most limit items, evenly spaced, order kept (deterministic)."""
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]

HAND_JSON = [
    "{}", "[]", "null", "true", "0", "-0", "1.5e308", "1e400", "-1e400", "18446744073709551615",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "0.1", "1e-400",
    '"\\u0000\\ud83d\\ude00\\u00e9"', '"\\ud800"', '{"a":1,"a":2}', '{"1":"x","2":"y"}',
    '[1,"two",null,[],{},[[]],{"k":[null]}]', '{"":{"":[]}}', "[" * 33 + "]" * 33, "[" * 70 + "]" * 70,
    '{"a":' * 40 + "1" + "}" * 40, '"' + "x" * 3000 + '"', "[1,2,3,", '{"a":}', b"\xef\xbb\xbf{}", b'"\xff\xfe"', b'{"\xc0\xaf":1}',
    "  {\"op\" : 0 }  ", "#1", "#2", "", "1 2", "[1e5,1E+5,-0.0,0e0]",
]

def write(target, seeds):
    d = os.path.join(fuzz, "corpus", target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    seen = set()
    kept = []
    for s in seeds:
        b = s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s
        h = hashlib.sha1(b).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        kept.append((h, b))
    regressions = os.path.join(fuzz, "regressions", target)
    extra = sorted(glob.glob(os.path.join(regressions, "*"))) if os.path.isdir(regressions) else []
    kept = spread(kept, MAX_FILES - len(extra))
    for h, b in kept:
        with open(os.path.join(d, h), "wb") as f:
            f.write(b)
    for path in extra:
        shutil.copy(path, os.path.join(d, "regression-" + os.path.basename(path)))
    print(f"{target}: {len(kept) + len(extra)} files")

valid = schema_tests("valid")
invalid = schema_tests("invalid")
examples = [compact(e) for e in schema_examples()]
valid_json = [compact(i) for p in sorted(valid) for _, i in valid[p]]
invalid_json = [compact(i) for p in sorted(invalid) for _, i in invalid[p]]
messages = examples + valid_json + spread(invalid_json, 160) + HAND_JSON

write("json_bridge", spread(examples + valid_json, 120) + spread(invalid_json, 60) + HAND_JSON)
write("lua_json_decode", spread(examples + valid_json, 120) + spread(invalid_json, 60) + HAND_JSON)
write("schema_validation", messages)
write("identify", messages)

write("url", [
    "ws://127.0.0.1:9100/", "wss://example.com/path?x=1", "ws://[::1]:8080/ws", "ws://host", "ws://host:",
    "ws://host:0/", "ws://host:65536/", "ws://host:99999999999999/", "wss://[fe80::1%25eth0]/", "ws://[::1",
    "ws://a@b/", "http://x/", "ws://host?query#frag", "ws://host#frag", "ws://h/p a", "ws://h:80/\x01",
    "ws://a]b:c:80/", "ws://a b/", "ws://a\r\nX-Injected: 1/", "ws://host/path\x00token\x00t0k en\x00fault\x00a,b",
    "ws://127.0.0.1:9200/ws?fault=drop\x00key\x00\xe2\x82\xac\x00\x00", "wss://h:443/", "ws://h:80", "ws://[]:80/",
    "ws://[::1]x/", "ws:///path", "WS://HOST/", "ws://h/%zz", "ws://h:+80/", "ws://h:080/",
])
write("duration_threshold", [
    "250ms", "30s", "1m30s", "2h", "1.5s", "0", "0s", "100", "1..5s", ".s", "1e3s", "999999999999ms",
    "1000000000000", "1000000000001", "99999999h", "1h1m1s1ms", "5m5", "ms", "", "-1s", "1.0000000001ms",
    "0.5ms", "0.4999999ms", "1" * 400 + "s",
    "10s\x00ws_connecting.p99\x00< 200", "1s\x00ws_connecting\x00p(99) < 200", "1s\x00checks\x00rate > 0.99",
    "1s\x00ws_msgs_received\x00count > 100", "1s\x00ws_msgs_received\x00rate>=10", "1s\x00vus\x00value == 10",
    "1s\x00ws_connecting.p99.9\x00<=+1e3", "1s\x00ws_connecting\x00p(99.99)!=0", "1s\x00ws_connecting.avg\x00> nan",
    "1s\x00ws_connecting\x00med < inf", "1s\x00x\x00p() < 1", "1s\x00x.p\x00< 1", "1s\x00\x00< 1",
    "1s\x00ws_connecting\x00p(100) < 1", "1s\x00ws_connecting\x00p(0) < 1", "1s\x00ws_connecting\x00p(-1) < 1",
    "1s\x00ws_connecting\x00p(1e308) < 1", "1s\x00checks\x00passes == 1", "1s\x00checks.fails\x00 <  1 ",
    "p(99) < 200", "rate > 0.99", "< 200", "min<1 2", "max", "count >", "> 5",
])

# Fake sessions: "<fake> <target>" then one frame per line; "$N" is a fresh number per input.
def session(head, frames):
    return "\n".join([head] + frames)

def client_instances(proto, cases):
    return [compact(i) for m, i in cases.get(proto, []) if m.startswith("client/")]

fake_seeds = []
w_id_prod = '{"op":3,"d":{"token":"user:acme:u1:$N","type":0}}'
w_id_cons = '{"op":3,"d":{"token":"dev:acme:$N","type":1}}'
w_valid = client_instances("wearable", valid)
w_invalid = client_instances("wearable", invalid)
fake_seeds += [session("wearable /", [w_id_prod] + w_valid), session("wearable /", [w_id_cons] + w_valid)]
fake_seeds += [session("wearable /", [w_id_prod, f]) for f in w_valid + spread(w_invalid, 30)]
fake_seeds += [session("wearable /", [f]) for f in spread(w_invalid, 10)]
fake_seeds += [session("wearable /?fault=" + f, [w_id_prod] + w_valid[:3]) for f in ["late-hello", "bogus", "no-hello,x"]]
d_valid = client_instances("widb", valid)
d_invalid = client_instances("widb", invalid)
d_dash = '{"messageType":"associateUser","apiKey":"k"}'
fake_seeds += [session("widb /ws", d_valid), session("widb /ws", [d_dash] + d_valid), session("widb /other", d_valid[:1])]
fake_seeds += [session("widb /ws", [f]) for f in d_valid + spread(d_invalid, 40)]
s_valid = client_instances("vstats", valid)
s_invalid = client_instances("vstats", invalid)
fake_seeds += [session("vstats /ws/agent?token=agent:s$N", s_valid), session("vstats /ws", s_valid),
               session("vstats /ws/agent?token=", s_valid[:1]), session("vstats /nope", [])]
fake_seeds += [session("vstats /ws/agent?token=agent:s1", [f]) for f in spread(s_invalid, 40)]
s_auth = '{"type":"auth","server_id":"s$N","token":"agent:s$N","version":"1.2.0"}'
fake_seeds += [session("vstats-real /ws/agent", [s_auth] + s_valid), session("vstats-real /ws", [s_auth]),
               session("vstats-real /ws/agent", s_valid)]
fake_seeds += [session("vstats-real /ws/agent", [s_auth, f]) for f in spread(s_invalid, 30)]
fake_seeds += [session("echo /", ['{"id":1,"x":"y"}', "plain", "", "\xff\xfe", '{"id":null}', '{"id":[1,{}]}'])]
fake_seeds += [session("echo /", [f]) for f in spread(valid_json, 10)]
fake_seeds += [b'echo /\n{"id":1}\n\xff\xfe\x00', b"wearable /\n\xed\xa0\x80", "\x01\n{}", "\x02\n" + w_id_prod, "unknown\n[]"]
write("fake_sessions", fake_seeds)
