#pragma once
// The documents `drover report compare` reads: a summary.json, or a result folder holding one.
//
// Threading: file reads on the calling thread; no shared state.
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace drover::reporting::compare {

struct compared_document {
  std::string label;            // the argument as the user gave it (column title, error messages)
  std::filesystem::path file;   // the summary.json read
  std::string command;          // "run" or "conform"
  boost::json::object doc;
};

// Reads PATH (a file) or PATH/summary.json (a folder). Throws file_error naming the path when
// it is missing or unreadable, usage_error naming the file when it is not JSON or not a drover
// result document (tool.name "drover", command "run" or "conform", a "metrics" object; a conform
// document also needs a "cases" array).
compared_document read_compared_document(const std::string& path);

// Throws usage_error unless all documents have one command: naming the first that differs and
// what each is. Also refuses more than two run documents (only conform results go side by side).
void require_comparable(const std::vector<compared_document>& docs);

}  // namespace drover::reporting::compare
