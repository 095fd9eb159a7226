#include "fakes/remotedev/packets.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <random>

#include <boost/json/serialize.hpp>

namespace drover::fakes::remotedev {

namespace json = boost::json;

std::string make_socket_id() {
  static std::atomic<std::uint32_t> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::array<unsigned char, 15> bytes{};
  std::uint64_t a = random(), b = random();
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(a >> (8 * i));
  for (int i = 0; i < 3; ++i) bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
  std::uint32_t n = counter.fetch_add(1, std::memory_order_relaxed);
  for (int i = 0; i < 4; ++i) bytes[11 + i] = static_cast<unsigned char>(n >> (8 * (3 - i)));
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve(20);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t v = (std::uint32_t(bytes[i]) << 16) | (std::uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(alphabet[(v >> shift) & 63]);
  }
  return out;
}

std::string answer_text(const json::value& cid, const json::value* data) {
  std::string out = R"({"rid":)" + json::serialize(cid);
  if (data) out += R"(,"data":)" + json::serialize(*data);
  out += "}";
  return out;
}

json::object error_object(std::string_view name, std::string_view message) {
  // sc-errors' dehydrateError puts message first.
  return json::object{{"message", message}, {"name", name}};
}

std::string error_text(const json::value& cid, std::string_view name, std::string_view message) {
  return R"({"rid":)" + json::serialize(cid) + R"(,"error":)" + json::serialize(error_object(name, message)) + "}";
}

std::string event_text(std::string_view event, const json::value* data) {
  std::string out = R"({"event":)" + json::serialize(json::value(json::string(event)));
  if (data) out += R"(,"data":)" + json::serialize(*data);
  out += "}";
  return out;
}

}  // namespace drover::fakes::remotedev
