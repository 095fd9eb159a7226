"""Builds tests/fuzz/corpus/<target>/ (see make_corpus.sh). Keeps each target at 250 files or
fewer (300 for fake_sessions, whose seeds cover seven fakes)."""
import glob
import hashlib
import json
import os
import shutil
import sys

root = sys.argv[1]
only = set(sys.argv[2:])  # target names: regenerate only these (default: every target)
fuzz = os.path.join(root, "tests", "fuzz")
MAX_FILES = 250
MAX_FILES_OF = {"fake_sessions": 300}

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

def protocol_examples(proto, direction="client"):
    """The examples of schemas/<proto>/<direction>/*.schema.json, in file order."""
    out = []
    for path in sorted(glob.glob(os.path.join(root, "schemas", proto, direction, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            node = json.load(f)
        out += [e for e in node.get("examples", []) if isinstance(e, (dict, list))]
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
    if only and target not in only:
        return
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
    kept = spread(kept, MAX_FILES_OF.get(target, MAX_FILES) - len(extra))
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

# RemoteDev (SocketCluster v1 and v2): the handshake first, then login, channels and relays.
r_examples = [compact(e) for e in protocol_examples("remotedev")]
r_valid = client_instances("remotedev", valid)
r_invalid = client_instances("remotedev", invalid)
r_hs = '{"event":"#handshake","data":{"authToken":null},"cid":1}'
r_app = [r_hs, '{"event":"login","data":"master","cid":2}', '{"event":"#subscribe","data":{"channel":"respond"},"cid":3}',
         '{"event":"#subscribe","data":{"channel":"log"},"cid":4}']
r_monitor = [r_hs, '{"event":"login","data":"monitor","cid":2}', '{"event":"#subscribe","data":{"channel":"log"},"cid":3}',
             '{"event":"#subscribe","data":{"channel":"respond"},"cid":4}']
r_misc = ['{"event":"#subscribe","data":"log","cid":5}', '{"event":"#subscribe","data":{"channel":"sc-x"}}',
          '{"event":"sc-x","data":{"type":"START"}}', '{"event":"#authenticate","data":"a.b.c","cid":6}',
          '{"event":"#publish","data":{"channel":"log","data":1},"cid":7}', '{"event":"#unsubscribe","data":"nope","cid":8}',
          '{"event":"#unsubscribe","data":"log","cid":9}', '{"event":"#removeAuthToken"}', '{"rid":1,"data":{}}',
          '[{"event":"log","data":{"a":1}},{"event":"log-noid","data":[1,2]},7,"x"]', "not json", "[" * 40 + "]" * 40,
          '{"event":"#handshake","data":{},"cid":10}', '{"event":"#disconnect","data":{"code":1000}}',
          '{"event":"#subscribe","data":{"channel":"' + "n" * 1025 + '"},"cid":11}']
r_faults = ["no-handshake-timeout", "early-handshake-timeout", "non-handshake-accepted", "handshake-wrong-rid",
            "handshake-wrong-ping-timeout", "handshake-no-id", "same-socket-id", "no-ping", "slow-ping", "ping-wrong-format",
            "ping-timeout-ignored", "early-ping-timeout", "pong-only-keepalive", "subscribe-not-acked", "unsubscribe-ignored",
            "deliver-unsubscribed", "publish-accepted", "wrong-channel-for-monitor", "wrong-channel-for-app", "answer-plain-emit",
            "log-not-relayed", "log-relayed-modified", "log-noid-not-wrapped", "log-noid-wrong-id", "respond-not-relayed",
            "no-disconnected"]
for v, pong in (("remotedev-v1", "#2"), ("remotedev-v2", "")):
    head = v + " /socketcluster/"
    fake_seeds += [session(head, r_app + r_examples + r_valid), session(head, r_monitor + r_examples[::-1] + [pong]),
                   session(head, r_app + r_misc), session(head + "?x=1", [pong, r_hs]), session(head, ["garbage"]),
                   session(head, [r_examples[1]]), session(head, ["[" + r_hs + ',{"event":"login","data":"master"}]']),
                   session(head, ['{"event":"#handshake","data":{"authToken":"a.b.c"},"cid":1}', r_hs]),
                   session(head, ['{"event":"#handshake","data":{"authToken":7}}', '{"event":"login","data":"master"}',
                                  '{"event":"log","data":{"x":1}}', '{"event":"log-noid","data":{"x":1}}']),
                   session(v + " /other", [r_hs])]
    # Faults in groups (a connection may carry several): every one of them on each version.
    for i in range(0, len(r_faults), 7):
        fake_seeds.append(session(head + "?fault=" + ",".join(r_faults[i:i + 7]), r_app + r_misc[:7] + r_valid))
# The invalid instances after the handshake, half on each version.
for i, f in enumerate(spread(r_invalid, 20)):
    fake_seeds.append(session(("remotedev-v1" if i % 2 else "remotedev-v2") + " /socketcluster/", [r_hs, f]))

# DataKraken: a fresh ticket per input ($T, its session $S), then start, events, end.
k_examples = [compact(e) for e in protocol_examples("datakraken")]  # click, end, move, start
k_valid = client_instances("datakraken", valid)
k_invalid = client_instances("datakraken", invalid)
k_start = '{"type":"start","meta":{"device":{"os":"Linux","browser":"Firefox"},"referrer":""}}'
k_click = k_examples[0]
k_move = k_examples[2]
k_end = k_examples[1]
k_session = [k_start, k_click, k_move, k_move, k_click, k_end]
fake_seeds += [session("datakraken /ws?ticket=$T", k_session), session("datakraken /ws?ticket=$T", k_valid + [k_click, k_end]),
               session("datakraken /ws?ticket=$T /api/session?listeners=click", [k_start, k_click, k_move]),
               session("datakraken /ws?ticket=$T /api/session?listeners=mousemove", [k_start, k_move, k_click]),
               session("datakraken /ws?ticket=$T", [k_click]), session("datakraken /ws?ticket=$T", [k_end, k_start]),
               session("datakraken /ws?ticket=$T", [k_start, k_start, k_end, k_click, "junk", k_end]),
               session("datakraken /ws?ticket=$T", [k_start, '{"type":2,"timestamp":1}', k_click]),
               session("datakraken /ws?ticket=$T", [k_start, '{"type":18446744073709551615}']),
               session("datakraken /ws?ticket=$T", [k_start, "not json"]), session("datakraken /ws?ticket=$T", ['{"type":null}']),
               session("datakraken /ws", [k_start]), session("datakraken /ws?ticket=", [k_start]),
               session("datakraken /ws?ticket=0123456789abcdef0123456789abcdef", [k_start]),
               session("datakraken /other?ticket=$T", [k_start]), session("datakraken /ws?ticket=$T&fault=nope", [k_start]),
               session("datakraken /ws?ticket=$T&ticket=$T", [k_start, k_click])]
k_ticket_faults = ["no-cookie", "cookie-not-kept", "ttl-wrong", "same-ticket-per-visitor", "ticket-reusable",
                   "ticket-never-expires", "refuse-with-4001", "close-at-ttl", "listeners-swapped", "ignore-listeners",
                   "wants-elapsed", "accept-before-start", "no-bad-json-close", "server-sends-data", "lose-events",
                   "needs-end-message", "duration-needs-end", "always-ended-cleanly"]
k_socket_faults = ["ticket-reusable", "bad-ticket-accepted", "missing-ticket-accepted", "refuse-with-4001",
                   "listeners-swapped", "ignore-listeners", "wants-elapsed", "accept-before-start", "server-sends-data"]
k_faulty = [k_click, "{", k_start, k_move, '{"type":1,"timestamp":1,"event":{"X":1,"Y":2,"elapsed":3}}',
            '{"type":5,"timestamp":1}', k_end]
k_started = [k_start, k_click, k_move, '{"type":1,"timestamp":1,"event":{"X":1,"Y":2,"elapsed":3}}', k_click,
             '{"type":5,"timestamp":1}', "{", k_end]
for i in range(0, len(k_ticket_faults), 6):
    fake_seeds.append(session("datakraken /ws?ticket=$T /api/session?listeners=click&fault=" +
                              ",".join(k_ticket_faults[i:i + 6]), k_started))
fake_seeds += [session("datakraken /ws?ticket=$T&fault=" + ",".join(k_socket_faults[:5]), k_faulty),
               session("datakraken /ws?ticket=nope&fault=" + ",".join(k_socket_faults[1:3] + k_socket_faults[5:]), k_faulty),
               session("datakraken /ws?fault=missing-ticket-accepted", [k_start, k_click]),
               session("datakraken /ws?ticket=$S&fault=refuse-with-4001", [k_start])]
fake_seeds += [session("datakraken /ws?ticket=$T", [k_start, f]) for f in spread(k_invalid, 16)]

# The DataKraken HTTP side: raw bytes after the first line (requests, pipelined, an upgrade).
def get(target, extra="", version="1.1"):
    return f"GET {target} HTTP/{version}\r\nHost: 127.0.0.1\r\n{extra}\r\n"
def masked_text(payload):
    """A client's text frame (FIN, opcode 1) with a zero mask, so the payload reads as it is."""
    b = payload.encode()
    assert len(b) < 126
    return bytes([0x81, 0x80 | len(b), 0, 0, 0, 0]) + b
upgrade = ("GET /ws?ticket=$T HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
fake_seeds += [
    session("datakraken-http", [get("/api/session", "Connection: close\r\n")]),
    session("datakraken-http", [get("/api/session") + get("/api/session", "Cookie: a=b; dk_visitor=v-1_X\r\n") +
                                get("/api/session/$S") + get("/api/session/$S?fault=unknown-session-found", "Connection: close\r\n")]),
    session("datakraken-http /api/session?listeners=click&fault=no-cookie", [get("/api/session/$S", "Cookie: dk_visitor=\"q\"\r\n")]),
    session("datakraken-http", [get("/api/session?listeners=click,bogus") + get("/api/session?fault=bogus") +
                                get("/api/session?listeners=") + get("/api/session/0000000000000000")]),
    session("datakraken-http", ["POST /api/session HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody" +
                                "HEAD /api/session/$S HTTP/1.1\r\n\r\n" + "DELETE /api/session/x HTTP/1.1\r\n\r\n"]),
    session("datakraken-http", [get("/ws") + get("/nope") + get("/api/session/") + get("/api/session/a/b") + get("/api/sessionx")]),
    session("datakraken-http", [get("/api/session", version="1.0") + get("/api/session")]),
    session("datakraken-http", [get("/api/session", "Connection: keep-alive\r\n", "1.0") + get("/api/session", "Cookie: dk_visitor=" + "x" * 65 + "\r\n")]),
    session("datakraken-http", ["POST /api/session HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n"]),
    session("datakraken-http", ["GET /api/session HTTP/1.1\r\nX: " + "y" * 9000 + "\r\n\r\n"]),
    session("datakraken-http", ["\x16\x03\x01 not http at all\r\n\r\n"]),
    session("datakraken-http", [get("/api/session") + upgrade]).encode() + masked_text(k_start) + masked_text(k_click) +
        masked_text(k_end) + bytes([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]),
    session("datakraken-http", [upgrade.replace("ticket=$T", "ticket=$T&fault=server-sends-data")]).encode() +
        masked_text(k_start) + masked_text(k_move),
    session("datakraken-http", [upgrade.replace("?ticket=$T", "")]),
]
write("fake_sessions", fake_seeds)
