#pragma once
// The writers of the result document (result_document.hpp). Each reads only the document and
// tolerates missing or mistyped fields (it shows what it can), so a document from an older or
// newer drover still renders. Everything taken from the document is escaped for the output
// format: it contains server data.
//
// Threading: pure functions, callable from any thread.
#include <filesystem>
#include <string>

#include <boost/json.hpp>

namespace drover::reporting {

// The terminal summary: settings, percentiles table, counters, checks, thresholds, errors, close
// codes, validation, cases and a final status line. color adds ANSI colours and bold.
std::string render_console(const boost::json::object& doc, bool color);

// report.html: one self-contained page (no network, no JavaScript) with tables and inline SVG
// latency histograms.
std::string render_html(const boost::json::object& doc);

// junit.xml: <testsuites> with a suite for checks, one for thresholds and one for conformance
// cases (whichever the document has), plus a "run" suite when the run itself failed
// (unreachable, interrupted, error).
std::string render_junit(const boost::json::object& doc);

// summary.json: pretty-printed, keys in the document's (stable) order, ending in a newline.
std::string render_json(const boost::json::value& doc);

// Creates out_dir (and parents) and writes summary.json, report.html and junit.xml into it.
// Throws drover::file_error naming the path when a directory or file cannot be written.
void write_outputs(const boost::json::object& doc, const std::filesystem::path& out_dir);

}  // namespace drover::reporting
