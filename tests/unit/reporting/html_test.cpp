#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

constexpr std::string_view hostile = "<script>alert(1)</script>";

json::object hostile_document() {
  auto rec = testing::sample_recorder();
  rec.add_check(hostile, false, "\"><img src=x onerror=alert(2)>");
  rec.add_error("bad_frame", "see https://evil.example/payload.js <iframe src=\"http://evil.example\">");
  auto info = testing::sample_run_info();
  info.env.emplace_back("CALLBACK", "https://callback.example/hook");
  return build_result_document(info, rec, {}, {1, "checks_failed", hostile.data()}, nullptr, nullptr);
}

// True when pos is inside a tag (between '<' and '>'), i.e. in markup rather than text.
bool inside_tag(const std::string& html, std::size_t pos) {
  const auto open = html.rfind('<', pos);
  const auto close = html.rfind('>', pos);
  return open != std::string::npos && (close == std::string::npos || open > close);
}

TEST(HtmlWriter, EscapesHostileText) {
  const std::string html = render_html(hostile_document());
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<script"), html.rfind("<script"));  // the page's own, once
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
}

TEST(HtmlWriter, IsSelfContained) {
  for (const auto& doc : {testing::sample_run_document(), testing::sample_conform_document(), hostile_document()}) {
    const std::string html = render_html(doc);
    for (std::string_view scheme : {"http://", "https://", "//"}) {
      for (auto pos = html.find(scheme); pos != std::string::npos; pos = html.find(scheme, pos + 1)) {
        EXPECT_FALSE(inside_tag(html, pos)) << "a link to the network in markup: " << html.substr(pos, 60);
      }
    }
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("<script src"), std::string::npos);  // the page's script is inline
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
  }
  // The links exist, as text, so a reader still sees them.
  EXPECT_NE(render_html(hostile_document()).find("https://callback.example/hook"), std::string::npos);
}

TEST(HtmlWriter, HasEverySectionAndAChartPerRecordedTrend) {
  const std::string html = render_html(testing::sample_run_document());
  for (std::string_view id : {"thresholds", "checks", "percentiles", "histograms", "counters", "errors",
                              "close-codes", "validation"}) {
    EXPECT_NE(html.find("<section class=\"card\" id=\"" + std::string(id) + "\">"), std::string::npos) << id;
  }
  std::size_t charts = 0;
  for (auto pos = html.find("aria-label=\"histogram of"); pos != std::string::npos;
       pos = html.find("aria-label=\"histogram of", pos + 1))
    ++charts;
  EXPECT_EQ(charts, 3u);  // ws_connecting, ws_handshaking, message_size; ws_ping has no values
  EXPECT_NE(html.find("marker-p50"), std::string::npos);
  EXPECT_NE(html.find("marker-p99"), std::string::npos);
  EXPECT_NE(html.find("latency (ms"), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos);
}

TEST(HtmlWriter, CasesShowVerdictsAndCollapsibleMessages) {
  const std::string html = render_html(testing::sample_conform_document());
  EXPECT_NE(html.find("id=\"cases\""), std::string::npos);
  EXPECT_NE(html.find("<details class=\"messages\">"), std::string::npos);
  for (std::string_view v : {"verdict-ok", "verdict-non-strict", "verdict-informational", "verdict-unimplemented",
                             "verdict-failed"}) {
    EXPECT_NE(html.find(v), std::string::npos) << v;
  }
  EXPECT_NE(html.find("{not json &lt;b&gt;&amp;amp;"), std::string::npos);
}

TEST(Writers, TolerateMalformedDocuments) {
  const json::object odd{{"metrics", 5}, {"checks", "x"}, {"cases", json::array{1, 2}}, {"outcome", nullptr}};
  EXPECT_NE(render_html(odd).find("</html>"), std::string::npos);
  EXPECT_NE(render_console(odd, true).find("unknown"), std::string::npos);
  EXPECT_NE(render_junit(odd).find("</testsuites>"), std::string::npos);

  auto doc = testing::sample_run_document();
  auto& trend = doc["metrics"].as_object()["ws_connecting"].as_object();
  trend["histogram"] = json::parse(R"([[-5, -1, 3], [10, 2, 1], ["a", 1, 1], [1, 2], 7, [0, 0, 0]])");
  trend["p50"] = -1;
  EXPECT_NE(render_html(doc).find("</html>"), std::string::npos);
  EXPECT_EQ(render_html(doc).find("nan"), std::string::npos);
}

}  // namespace
}  // namespace drover::reporting
