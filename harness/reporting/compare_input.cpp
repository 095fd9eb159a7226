#include "harness/reporting/compare_input.hpp"

#include <fstream>
#include <sstream>

#include "harness/common/error.hpp"
#include "harness/reporting/doc_view.hpp"

namespace drover::reporting::compare {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

[[noreturn]] void bad(const fs::path& file, const std::string& what) { throw usage_error(file.string() + ": " + what); }

}  // namespace

compared_document read_compared_document(const std::string& path) {
  compared_document out;
  out.label = path;
  std::error_code ec;
  const fs::path given(path);
  if (!fs::exists(given, ec)) throw file_error(path + ": no such file or folder (a summary.json or a result folder)");
  out.file = fs::is_directory(given, ec) ? given / "summary.json" : given;
  std::ifstream in(out.file, std::ios::binary);
  if (!in) throw file_error(out.file.string() + ": cannot read (no summary.json in this folder?)");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw file_error(out.file.string() + ": cannot read");
  json::error_code jec;
  json::value v = json::parse(text.str(), jec);
  if (jec) bad(out.file, "not valid JSON (" + jec.message() + ")");
  if (!v.is_object()) bad(out.file, "not a drover result document (the JSON is not an object)");
  out.doc = std::move(v.get_object());
  const auto& tool = view::object(out.doc, "tool");
  out.command = view::string(out.doc, "command");
  if (view::string(tool, "name") != "drover" || !out.doc.contains("metrics") || !out.doc.at("metrics").is_object())
    bad(out.file, "not a drover result document (no tool.name \"drover\" or no metrics)");
  if (out.command != "run" && out.command != "conform")
    bad(out.file, "not a drover result document (command is '" + out.command + "', expected run or conform)");
  if (out.command == "conform" && !(out.doc.contains("cases") && out.doc.at("cases").is_array()))
    bad(out.file, "a drover conform result without a \"cases\" array");
  return out;
}

void require_comparable(const std::vector<compared_document>& docs) {
  for (std::size_t i = 1; i < docs.size(); ++i) {
    if (docs[i].command != docs.front().command)
      throw usage_error(docs[i].file.string() + " is a drover " + docs[i].command + " result but " +
                        docs.front().file.string() + " is a drover " + docs.front().command +
                        " result: compare results of one kind");
  }
  if (docs.size() > 2 && docs.front().command == "run")
    throw usage_error("report compare: " + std::to_string(docs.size()) +
                      " drover run results given; runs compare two at a time (BASE NEW), only drover conform "
                      "results go side by side");
  if (docs.size() < 2) throw usage_error("report compare: give two results (BASE NEW), or more conform results");
}

}  // namespace drover::reporting::compare
