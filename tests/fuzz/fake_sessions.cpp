// Fuzz target: each fake's message handler (fakes/echo, wearable, widb, vstats in both
// dialects, remotedev in both SocketCluster versions, datakraken), arbitrary frames into one
// session's state machine. The fakes run in this process, each on its own loopback port (one
// worker thread each), and every input is one WebSocket session against one of them, so the
// handlers run exactly as in production, ws_session's read loop and write queue included,
// with no seam cut into the fakes.
//
// Input: the first line names the fake and the request target ("wearable /",
// "vstats /ws/agent?token=agent:s1", "remotedev-v1 /socketcluster/"); every further line is
// one text frame. A first line that names no fake picks one by its first byte and uses that
// fake's default path.
// Tokens are single-use (wearable): "$N" in a frame or the target becomes a number fresh for
// every input, so a replayed seed still gets past IDENTIFY into the deeper states.
// DataKraken opens its socket only with a fresh ticket from GET /api/session: when an input
// holds "$T" or "$S" (the default target is "/ws?ticket=$T"), the harness first GETs a ticket
// (from the first line's third word, "/api/session" when absent: "datakraken /ws?ticket=$T
// /api/session?listeners=click") and puts the ticket for "$T" and its session id for "$S";
// after the session it GETs the record, /api/session/ID. "datakraken-http" fuzzes the HTTP
// side instead: everything after the first line is sent as raw bytes on a plain connection
// (requests to /api/session, /api/session/$S, pipelined, keep-alive, upgrades), the write
// side shut, the answers read until the fake closes; its first line's second word is the
// ticket request.
// Findings: a sanitizer report or abort anywhere in the process (fake threads included), a
// session that outlives its input by seconds (libFuzzer's -timeout), growing memory, and a
// text frame or close reason from a fake that is not UTF-8 (the client reads as it writes).
// DROVER_FUZZ_TRACE=1 prints one line per WebSocket session (upgraded, frames sent, messages
// read, the fake's close code): a quick look at how far the seeds get.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/common/server.hpp"
#include "fakes/datakraken/datakraken_server.hpp"
#include "fakes/echo/echo_server.hpp"
#include "fakes/remotedev/remotedev_server.hpp"
#include "fakes/vstats/vstats_server.hpp"
#include "fakes/wearable/wearable_server.hpp"
#include "fakes/widb/widb_server.hpp"
#include "tests/fuzz/fake_client.hpp"
#include "tests/fuzz/fuzz_split.hpp"

namespace {

using namespace drover::fakes;
using namespace std::chrono_literals;

struct fake {
  std::string name;
  std::string default_target;  // WebSocket fakes; for datakraken-http, the ticket request
  std::shared_ptr<fake_server> server;
  bool raw_http = false;  // the input after the first line is raw bytes, not frames
  bool tickets = false;   // "$T" and "$S" come from a ticket fetched for the input
};

listen_options one_thread() {
  listen_options l;
  l.threads = 1;
  return l;
}

std::vector<fake>& fakes() {
  static std::vector<fake> all = [] {
    std::vector<fake> v;
    v.push_back({"echo", "/", start_echo({one_thread(), {}})});
    wearable_config w;
    w.listen = one_thread();
    // History is kept per developer by design; a small cap keeps a long run's memory flat.
    w.history_limit = 64;
    v.push_back({"wearable", "/", start_wearable(w)});
    widb_config d;
    d.listen = one_thread();
    v.push_back({"widb", "/ws", start_widb(d)});
    vstats_config s;
    s.listen = one_thread();
    v.push_back({"vstats", "/ws/agent?token=agent:fuzz", start_vstats(s)});
    vstats_config r = s;
    r.dialect = "real";
    v.push_back({"vstats-real", "/ws/agent", start_vstats(r)});
    // Timers far below the defaults (8 s pings, 10 s for the handshake) so that pings, and
    // now and then a 4005 or 4001, happen within a session of a few milliseconds.
    for (auto [name, protocol] : {std::pair{"remotedev-v1", socketcluster_protocol::v1},
                                  std::pair{"remotedev-v2", socketcluster_protocol::v2}}) {
      remotedev_config c;
      c.listen = one_thread();
      c.protocol = protocol;
      c.ping_interval = 10ms;
      c.ping_timeout = 100ms;
      c.handshake_timeout = 50ms;
      v.push_back({name, "/socketcluster/", start_remotedev(c)});
    }
    datakraken_config k;
    k.listen = one_thread();
    // Records of closed sessions are kept by design; a small cap keeps a long run's memory flat.
    k.max_sessions = 1000;
    std::shared_ptr<fake_server> kraken = start_datakraken(k);
    v.push_back({"datakraken", "/ws?ticket=$T", kraken, false, true});
    v.push_back({"datakraken-http", "/api/session", kraken, true, true});
    return v;
  }();
  return all;
}

// "$N" becomes the input's nonce; "$T" and "$S" the ticket and session id, when there are.
std::string with_fresh_values(std::string_view text, std::uint64_t nonce, const drover::fuzz::datakraken_ticket* t) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (text[i] == '$' && next == 'N') {
      out += std::to_string(nonce);
    } else if (text[i] == '$' && next == 'T' && t) {
      out += t->ticket;
    } else if (text[i] == '$' && next == 'S' && t) {
      out += t->session;
    } else {
      out += text[i];
      continue;
    }
    ++i;
  }
  return out;
}

// The first line's words: the fake's name, then request targets (a word not starting with
// '/' counts as absent: Beast refuses a request line with spaces or control characters
// before the fake sees it).
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    auto space = line.find(' ');
    out.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return out;
}

std::string_view target_or(const std::vector<std::string_view>& w, std::size_t i, std::string_view fallback) {
  return i < w.size() && !w[i].empty() && w[i].front() == '/' ? w[i] : fallback;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& all = fakes();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view head = input.substr(0, input.find('\n'));
  std::string_view body = head.size() < input.size() ? input.substr(head.size() + 1) : std::string_view{};
  auto w = words(head);
  const fake* chosen = nullptr;
  for (const auto& f : all)
    if (!w.empty() && f.name == w.front()) chosen = &f;
  std::string target, ticket_request = "/api/session";
  if (chosen && chosen->raw_http) {
    ticket_request = target_or(w, 1, chosen->default_target);
  } else if (chosen) {
    target = target_or(w, 1, chosen->default_target);
    ticket_request = target_or(w, 2, ticket_request);
  } else {
    chosen = &all[head.empty() ? 0 : static_cast<unsigned char>(head.front()) % all.size()];
    (chosen->raw_http ? ticket_request : target) = chosen->default_target;
  }
  static std::uint64_t nonce = 0;
  ++nonce;
  const std::uint16_t port = chosen->server->port();
  std::optional<drover::fuzz::datakraken_ticket> ticket;
  bool wants_ticket = target.find("$T") != std::string::npos || target.find("$S") != std::string::npos ||
                      body.find("$T") != std::string_view::npos || body.find("$S") != std::string_view::npos;
  if (chosen->tickets && wants_ticket)
    ticket = drover::fuzz::fetch_ticket(port, with_fresh_values(ticket_request, nonce, nullptr));
  const drover::fuzz::datakraken_ticket* t = ticket ? &*ticket : nullptr;
  if (chosen->raw_http) {
    drover::fuzz::raw_exchange(port, with_fresh_values(body, nonce, t));
    return 0;
  }
  auto lines = drover::fuzz::split_fields(reinterpret_cast<const std::uint8_t*>(body.data()), body.size(), '\n');
  std::vector<std::string> owned;
  if (head.size() < input.size())
    for (std::size_t i = 0; i < lines.size() && owned.size() < 64; ++i)  // a session, not a flood
      owned.push_back(with_fresh_values(lines[i], nonce, t));
  std::vector<std::string_view> frames(owned.begin(), owned.end());
  auto outcome = drover::fuzz::run_session(port, with_fresh_values(target, nonce, t), frames);
  if (std::getenv("DROVER_FUZZ_TRACE")) {
    std::fprintf(stderr, "fake_sessions: %s %s: upgraded %d, %zu of %zu frames sent, %zu messages read, close %u%s\n",
                 chosen->name.c_str(), with_fresh_values(target, nonce, t).c_str(), outcome.upgraded,
                 outcome.frames_sent, frames.size(), outcome.messages_read, outcome.close_code,
                 outcome.closed_cleanly ? ", closed cleanly" : "");
  }
  if (outcome.invalid_utf8) {
    // RFC 6455 §8.1: text frames and close reasons are UTF-8; no fault of these fakes breaks it
    // (only fakes/hostile's invalid-utf8 mode does, and it is not fuzzed here).
    std::fprintf(stderr, "fake_sessions: %s sent a text frame or close reason that is not UTF-8\n",
                 chosen->name.c_str());
    std::abort();
  }
  // What the session left in its record (open, or closed a few milliseconds after the close).
  if (t) {
    drover::fuzz::raw_exchange(
        port, "GET /api/session/" + t->session + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }
  return 0;
}
