#include "harness/protocols/uri.hpp"

#include "harness/common/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace drover::protocols {
namespace {
// Boost.URL resolves only against an absolute base; a relative base (a schema found by a
// relative path) is resolved as a path under this root, which is stripped again afterwards.
constexpr std::string_view relative_root = "drover-relative:/";
}  // namespace

std::string resolve_uri(std::string_view base_text, std::string_view reference) {
  auto ref = boost::urls::parse_uri_reference(reference);
  if (!ref) return std::string(reference);  // not a URI reference: left for the caller to report unresolved
  auto base = boost::urls::parse_uri(base_text);
  bool relative = !base;
  std::string rooted;
  if (relative) {
    rooted = std::string(relative_root) + std::string(base_text);
    base = boost::urls::parse_uri(rooted);
    if (!base) return std::string(reference);
  }
  boost::urls::url out;
  if (!boost::urls::resolve(*base, *ref, out)) return std::string(reference);
  // RFC 3986 5.2.4 drops ".." segments that would climb above the root ("http://a/../g" is
  // "http://a/g", section 5.4.2); Boost.URL 1.81 keeps them, so they are dropped here.
  std::string path(out.encoded_path());
  std::size_t climb = 0;
  while (path.compare(climb, 3, "/..") == 0 && (path.size() == climb + 3 || path[climb + 3] == '/')) climb += 3;
  if (climb > 0 && out.has_authority()) out.set_encoded_path(path.size() == climb ? "/" : path.substr(climb));
  std::string text(out.buffer());
  if (relative && text.rfind(relative_root, 0) == 0) text.erase(0, relative_root.size());
  return text;
}

std::pair<std::string, std::string> split_fragment(std::string_view uri) {
  auto hash = uri.find('#');
  if (hash == std::string_view::npos) return {std::string(uri), {}};
  return {std::string(uri.substr(0, hash)), std::string(uri.substr(hash + 1))};
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string file_uri(const std::filesystem::path& path) {
  std::string out = "file://";
  std::string text = std::filesystem::absolute(path).lexically_normal().generic_string();
  std::string_view rest = text;
  while (!rest.empty()) {
    auto slash = rest.find('/', 1);
    std::string_view segment = rest.substr(0, slash);
    out += '/';
    out += percent_encode(segment.substr(segment[0] == '/' ? 1 : 0));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  return out;
}

bool is_file_uri(std::string_view uri) { return uri.substr(0, 7) == "file://"; }

std::filesystem::path path_from_file_uri(std::string_view uri) {
  return std::filesystem::path(percent_decode(uri.substr(7)));
}

std::string display_uri(std::string_view uri) {
  return is_file_uri(uri) ? path_from_file_uri(uri).string() : std::string(uri);
}

}  // namespace drover::protocols
