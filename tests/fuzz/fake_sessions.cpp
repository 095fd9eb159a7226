// Fuzz target: each fake's message handler (fakes/echo, wearable, widb, vstats in both
// dialects), arbitrary frames into one session's state machine. The fakes run in this
// process, each on its own loopback port (one worker thread each), and every input is one
// WebSocket session against one of them, so the handlers run exactly as in production,
// ws_session's read loop and write queue included, with no seam cut into the fakes.
//
// Input: the first line names the fake and the request target ("wearable /",
// "vstats /ws/agent?token=agent:s1"); every further line is one text frame. A first line
// that names no fake picks one by its first byte and uses that fake's default path.
// Tokens are single-use (wearable): "$N" in a frame or the target becomes a number fresh for
// every input, so a replayed seed still gets past IDENTIFY into the deeper states.
// Findings: a sanitizer report or abort anywhere in the process (fake threads included), a
// session that outlives its input by seconds (libFuzzer's -timeout), growing memory.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/common/server.hpp"
#include "fakes/echo/echo_server.hpp"
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
  std::string default_target;
  std::unique_ptr<fake_server> server;
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
    return v;
  }();
  return all;
}

std::string with_fresh_nonce(std::string_view text, std::uint64_t nonce) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == 'N') {
      out += std::to_string(nonce);
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& all = fakes();
  auto lines = drover::fuzz::split_fields(data, size, '\n');
  std::string_view head = lines.front();
  std::string_view name = head.substr(0, head.find(' '));
  const fake* chosen = nullptr;
  for (const auto& f : all)
    if (f.name == name) chosen = &f;
  std::string target;
  if (chosen) {
    std::string_view rest = name.size() < head.size() ? head.substr(name.size() + 1) : std::string_view{};
    // Beast refuses a request line with spaces or control characters before the fake sees it.
    target = !rest.empty() && rest.front() == '/' ? std::string(rest) : chosen->default_target;
  } else {
    chosen = &all[head.empty() ? 0 : static_cast<unsigned char>(head.front()) % all.size()];
    target = chosen->default_target;
  }
  static std::uint64_t nonce = 0;
  ++nonce;
  std::vector<std::string> owned;
  for (std::size_t i = 1; i < lines.size() && owned.size() < 64; ++i)  // a session, not a flood
    owned.push_back(with_fresh_nonce(lines[i], nonce));
  std::vector<std::string_view> frames(owned.begin(), owned.end());
  drover::fuzz::run_session(chosen->server->port(), with_fresh_nonce(target, nonce), frames);
  return 0;
}
