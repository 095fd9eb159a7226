#include "harness/protocols/uri.hpp"

#include "harness/common/url.hpp"

#include <cctype>
#include <optional>

namespace drover::protocols {
namespace {

struct uri_parts {
  std::optional<std::string> scheme;
  std::optional<std::string> authority;
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;
};

uri_parts parse(std::string_view s) {
  uri_parts p;
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    p.fragment = std::string(s.substr(hash + 1));
    s = s.substr(0, hash);
  }
  if (auto q = s.find('?'); q != std::string_view::npos) {
    p.query = std::string(s.substr(q + 1));
    s = s.substr(0, q);
  }
  auto colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0 && colon < s.find('/') &&
      std::isalpha(static_cast<unsigned char>(s[0]))) {
    bool ok = true;
    for (char c : s.substr(0, colon)) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
    }
    if (ok) {
      p.scheme = std::string(s.substr(0, colon));
      s = s.substr(colon + 1);
    }
  }
  if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
    auto slash = s.find('/');
    p.authority = std::string(s.substr(0, slash));
    s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
  }
  p.path = std::string(s);
  return p;
}

// RFC 3986 5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      auto last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      auto next = in.find('/', in[0] == '/' ? 1 : 0);
      out += in.substr(0, next);
      in = next == std::string_view::npos ? std::string_view{} : in.substr(next);
    }
  }
  return out;
}

std::string merge(const uri_parts& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  auto slash = base.path.rfind('/');
  if (slash == std::string::npos) return std::string(ref_path);
  return base.path.substr(0, slash + 1) + std::string(ref_path);
}

std::string compose(const uri_parts& p) {
  std::string out;
  if (p.scheme) out += *p.scheme + ":";
  if (p.authority) out += "//" + *p.authority;
  out += p.path;
  if (p.query) out += "?" + *p.query;
  if (p.fragment) out += "#" + *p.fragment;
  return out;
}

}  // namespace

std::string resolve_uri(std::string_view base_text, std::string_view reference) {
  uri_parts base = parse(base_text);
  uri_parts ref = parse(reference);
  uri_parts t;
  if (ref.scheme) {
    t = ref;
    t.path = remove_dot_segments(ref.path);
  } else {
    t.scheme = base.scheme;
    if (ref.authority) {
      t.authority = ref.authority;
      t.path = remove_dot_segments(ref.path);
      t.query = ref.query;
    } else {
      t.authority = base.authority;
      if (ref.path.empty()) {
        t.path = base.path;
        t.query = ref.query ? ref.query : base.query;
      } else {
        // A relative path keeps its leading "../" when the base has no directory to climb.
        std::string merged = ref.path[0] == '/' ? ref.path : merge(base, ref.path);
        bool relative_base = !base.scheme && !base.authority && (merged.empty() || merged[0] != '/');
        t.path = relative_base ? remove_dot_segments("/" + merged).substr(1) : remove_dot_segments(merged);
        t.query = ref.query;
      }
    }
  }
  t.fragment = ref.fragment;
  return compose(t);
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
