#include <cerrno>
#include <fstream>
#include <system_error>

#include "harness/common/error.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (out) out.close();
  if (!out) {
    const std::string reason = errno != 0 ? std::error_code(errno, std::generic_category()).message() : "write failed";
    throw file_error("cannot write '" + path.string() + "': " + reason);
  }
}

}  // namespace

void write_outputs(const boost::json::object& doc, const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir)) {
    throw file_error("cannot create the output directory '" + out_dir.string() +
                     "': " + (ec ? ec.message() : std::string("a file of that name exists")));
  }
  // Rendered first, so a writer's failure leaves no half-written set of files.
  const std::string json = render_json(doc);
  const std::string html = render_html(doc);
  const std::string junit = render_junit(doc);
  write_file(out_dir / "summary.json", json);
  write_file(out_dir / "report.html", html);
  write_file(out_dir / "junit.xml", junit);
}

}  // namespace drover::reporting
