#include "harness/protocols/schema_files.hpp"

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/protocols/uri.hpp"

namespace drover::protocols {

boost::json::value read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path.string() + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw file_error(path.string() + ": cannot read the file");
  std::string content = std::move(text).str();
  boost::json::parse_options options;
  options.max_depth = 256;  // schemas nest deeper than messages
  boost::system::error_code ec;
  boost::json::stream_parser parser({}, options);
  std::size_t used = parser.write_some(content.data(), content.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < used && i < content.size(); ++i) {
      if (content[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw file_error(path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": not valid JSON: " + ec.message());
  }
  return parser.release();
}

document_loader file_loader(std::map<std::string, std::filesystem::path> ids) {
  return [ids = std::move(ids)](const std::string& uri) -> boost::json::value {
    if (auto it = ids.find(uri); it != ids.end()) return read_json_file(it->second);
    if (is_file_uri(uri)) {
      auto path = path_from_file_uri(uri);
      if (!std::filesystem::exists(path)) throw file_error(path.string() + ": referenced schema file does not exist");
      return read_json_file(path);
    }
    throw usage_error("cannot fetch '" + uri + "': drover reads referenced schemas from files only (no file has this \"$id\")");
  };
}

std::map<std::string, std::filesystem::path> index_schema_ids(const std::filesystem::path& dir) {
  std::map<std::string, std::filesystem::path> ids;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it){}; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    try {
      auto doc = read_json_file(it->path());
      if (const auto* obj = doc.if_object()) {
        if (auto id = obj->find("$id"); id != obj->end() && id->value().is_string()) {
          std::string uri(id->value().get_string());
          if (!uri.empty() && uri.back() == '#') uri.pop_back();
          ids.emplace(uri, it->path());
        }
      }
    } catch (const usage_error&) {
    }
  }
  return ids;
}

}  // namespace drover::protocols
