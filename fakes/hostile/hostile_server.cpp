#include "fakes/hostile/hostile_server.hpp"

#include <exception>
#include <fstream>

#include <boost/asio/co_spawn.hpp>

#include "fakes/hostile/io.hpp"
#include "fakes/hostile/serve.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

namespace {

using namespace hostile;
namespace asio = boost::asio;

bool is_beast_mode(hostile_mode m) {
  return m == hostile_mode::ping_flood || m == hostile_mode::binary_instead_of_text;
}

bool is_tls_mode(hostile_mode m) {
  return m == hostile_mode::tls_expired || m == hostile_mode::tls_wrong_host || m == hostile_mode::tls_stall ||
         m == hostile_mode::tls_oversized;
}

asio::awaitable<void> serve(std::shared_ptr<conn> c, std::shared_ptr<shared_state> shared) {
  unsigned index = shared->accepted.fetch_add(1, std::memory_order_relaxed);
  if (is_tls_mode(shared->mode))
    co_await serve_tls(c, shared->mode, shared->tls.get());
  else if (is_beast_mode(shared->mode))
    co_await serve_beast(c, shared->mode);
  else
    co_await serve_raw(c, shared->mode, index);
}

}  // namespace

std::unique_ptr<fake_server> start_hostile(const hostile_config& config) {
  using namespace hostile;
  const hostile_mode_info* info = nullptr;
  for (const auto& m : hostile_modes())
    if (m.name == config.mode) info = &m;
  if (!info)
    throw usage_error("unknown mode '" + config.mode + "' (drover fake hostile --list-modes prints them)");
  if (config.max_life.count() <= 0) throw usage_error("--max-life must be longer than 0");
  auto shared = std::make_shared<shared_state>();
  shared->mode = info->mode;
  if (is_tls_mode(info->mode) && info->mode != hostile_mode::tls_stall) {
    std::string cert_pem;
    shared->tls = make_server_tls(info->mode, cert_pem);
    if (!config.cert_out.empty()) {
      std::ofstream out(config.cert_out, std::ios::binary | std::ios::trunc);
      out << cert_pem;
      if (!out.flush()) throw usage_error("cannot write the certificate to '" + config.cert_out + "'");
    }
  }
  raise_open_file_limit();
  auto max_life = config.max_life;
  return std::make_unique<fake_server>(config.listen, [shared, max_life](asio::ip::tcp::socket socket, worker& w) {
    auto c = std::make_shared<conn>(std::move(socket), w, max_life);
    c->start_life();
    // Whatever the mode did, the connection ends with it; an exception (none is expected:
    // every operation reports errors as values) must not take the server down either.
    asio::co_spawn(w.ioc, serve(c, shared), [c](std::exception_ptr) { c->shutdown(); });
  });
}

}  // namespace drover::fakes
