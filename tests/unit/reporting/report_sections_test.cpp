#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "fleet_fixture.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

std::size_t occurrences(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// The text of the section with this id ("" when absent).
std::string section(const std::string& html, std::string_view id) {
  const auto start = html.find("<section class=\"card\" id=\"" + std::string(id) + "\">");
  if (start == std::string::npos) return {};
  return html.substr(start, html.find("</section>", start) - start);
}

TEST(HtmlWriter, FleetWithTimeseriesMatchesGolden) {
  EXPECT_EQ(testing::compare_with_golden("fleet_report.html", render_html(testing::sample_fleet_document())), "");
}

TEST(HtmlOverTime, ChartsEveryMainTrendRatesErrorsAndCloseCodesWithTheClientOverlay) {
  const std::string over_time = section(render_html(testing::sample_fleet_document()), "over-time");
  ASSERT_FALSE(over_time.empty());
  // ws_connecting and widb_e2e (their scenario sub-metrics are charted in the scenario
  // section), messages/s, sessions/s, errors and failed checks, close codes.
  EXPECT_EQ(occurrences(over_time, "class=\"chart time-chart\""), 6u);
  EXPECT_EQ(occurrences(over_time, "data-intervals=\"6\""), 6u);
  for (std::string_view title : {">ws_connecting</figcaption>", ">widb_e2e</figcaption>", ">messages per second<",
                                 ">sessions per second<", ">errors and failed checks per interval<",
                                 ">close codes per interval<"}) {
    EXPECT_NE(over_time.find(title), std::string::npos) << title;
  }
  // The client count on a second axis in the trend, message and session charts.
  EXPECT_EQ(occurrences(over_time, "class=\"series series-clients\""), 4u);
  EXPECT_EQ(occurrences(over_time, ">active clients</text>"), 4u);
  EXPECT_NE(over_time.find("data-name=\"connection_refused\""), std::string::npos);
  EXPECT_NE(over_time.find("data-name=\"close 1006\""), std::string::npos);
  EXPECT_EQ(over_time.find("{scenario:"), std::string::npos);
}

TEST(HtmlOverTime, RatesArePerSecondOfEachIntervalAndGapsStayGaps) {
  const std::string html = render_html(testing::sample_fleet_document());
  // messages sent: 10, 40, 60, 60, 60 per 1 s interval, then 20 in the last 0.5 s = 40/s.
  EXPECT_NE(html.find("&quot;name&quot;:&quot;sent&quot;,&quot;unit&quot;:&quot;/s&quot;,&quot;css&quot;:&quot;s0&quot;,"
                      "&quot;values&quot;:[10,40,60,60,60,40]"),
            std::string::npos);
  // ws_connecting has values in the first three intervals only: p50 is null afterwards.
  EXPECT_NE(html.find("&quot;name&quot;:&quot;p50&quot;,&quot;unit&quot;:&quot;ms&quot;,&quot;css&quot;:&quot;s0&quot;,"
                      "&quot;values&quot;:[1.2,1.8,2.2,null,null,null]"),
            std::string::npos);
}

TEST(HtmlOverTime, AMergedTimeseriesWithoutPercentilesChartsTheMax) {
  auto doc = testing::sample_fleet_document();
  for (auto& point : doc["timeseries"].as_object()["points"].as_array()) {
    for (auto& trend : point.as_object()["trends"].as_object()) {
      for (const char* key : {"p50", "p95", "p99"}) trend.value().as_object().erase(key);
    }
  }
  const std::string over_time = section(render_html(doc), "over-time");
  EXPECT_EQ(over_time.find("data-name=\"p50\""), std::string::npos);
  EXPECT_EQ(over_time.find("data-name=\"p99\""), std::string::npos);
  EXPECT_EQ(occurrences(over_time, "data-name=\"max\""), 2u);  // widb_e2e, ws_connecting
  EXPECT_EQ(occurrences(over_time, "class=\"series series-clients\""), 4u);
}

TEST(HtmlOverTime, AbsentWithoutTimeseries) {
  const std::string html = render_html(testing::sample_run_document());
  EXPECT_EQ(html.find("id=\"over-time\""), std::string::npos);
  EXPECT_EQ(html.find("class=\"chart time-chart\""), std::string::npos);
  auto doc = testing::sample_fleet_document();
  doc["timeseries"] = json::object{{"interval_ms", 1000}, {"points", json::array{}}};
  EXPECT_EQ(render_html(doc).find("id=\"over-time\""), std::string::npos);
}

TEST(HtmlOverTime, HostileNamesInTheTimeseriesStayText) {
  auto doc = testing::sample_fleet_document();
  auto& points = doc["timeseries"].as_object()["points"].as_array();
  auto& first = points[0].as_object();
  first["trends"].as_object()["</script><img src=x onerror=alert(1)>"] =
      json::object{{"count", 1}, {"p50", 1}, {"p95", 1}, {"p99", 1}, {"max", 1}};
  first["errors"].as_object()["\"><svg onload=alert(2)>"] = 1;
  points.push_back(json::parse(R"({"t_ms": 5400, "end_ms": 5000})"));  // out of order: left out
  points.push_back(json::parse(R"({"t_ms": "x"})"));
  points.push_back(json::parse(R"({"t_ms": 1e300, "end_ms": 1e301})"));
  const std::string html = render_html(doc);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<svg onload"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<script"), 1u);  // the page's own
  EXPECT_EQ(occurrences(html, "</script>"), 1u);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(occurrences(section(html, "over-time"), "data-intervals=\"6\""), 7u);
}

TEST(HtmlScenarios, ASectionPerScenarioWithItsSubMetricsThresholdsAndChart) {
  const std::string html = render_html(testing::sample_fleet_document());
  const std::string scenarios = section(html, "scenarios");
  ASSERT_FALSE(scenarios.empty());
  const auto phones = scenarios.find("id=\"scenario-phones\"");
  const auto dashboards = scenarios.find("id=\"scenario-dashboards\"");
  ASSERT_NE(phones, std::string::npos);
  ASSERT_NE(dashboards, std::string::npos);
  ASSERT_LT(phones, dashboards);  // run.scenarios' order
  const std::string first = scenarios.substr(phones, dashboards - phones), second = scenarios.substr(dashboards);
  EXPECT_NE(first.find("iterations{scenario:phones}.count &gt; 10"), std::string::npos);
  EXPECT_EQ(first.find("widb_e2e"), std::string::npos);
  EXPECT_NE(first.find("<code>ws_connecting</code>"), std::string::npos);
  EXPECT_NE(first.find("<code>checks</code>"), std::string::npos);
  EXPECT_NE(first.find("6 passed, 0 failed"), std::string::npos);
  EXPECT_NE(first.find("constant-vus, 4 VUs"), std::string::npos);
  EXPECT_NE(second.find("widb_e2e{scenario:dashboards}.p99 &lt; 100"), std::string::npos);
  EXPECT_NE(second.find("243 passed, 2 failed"), std::string::npos);
  EXPECT_NE(second.find("from 500ms"), std::string::npos);
  EXPECT_EQ(second.find("ws_connecting"), std::string::npos);
  EXPECT_EQ(occurrences(first, "class=\"chart time-chart\""), 1u);   // p95 of ws_connecting{scenario:phones}
  EXPECT_EQ(occurrences(second, "class=\"chart time-chart\""), 1u);  // p95 of widb_e2e{scenario:dashboards}
  // A run of one scenario has no such section.
  EXPECT_EQ(render_html(testing::sample_run_document()).find("id=\"scenarios\""), std::string::npos);
}

TEST(HtmlSpectrum, OneSpectrumPerTrendWithValues) {
  const std::string html = render_html(testing::sample_run_document());
  const std::string spectrum = section(html, "spectrum");
  EXPECT_EQ(occurrences(spectrum, "aria-label=\"percentile spectrum of "), 3u);  // ws_ping has no values
  for (std::string_view name : {"ws_connecting", "ws_handshaking", "message_size"}) {
    EXPECT_NE(spectrum.find("percentile spectrum of " + std::string(name) + "\""), std::string::npos) << name;
  }
}

TEST(HtmlPage, PrintAndColourSchemesAndTheScriptIsInline) {
  const std::string html = render_html(testing::sample_fleet_document());
  EXPECT_NE(html.find("@media (prefers-color-scheme: dark)"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<script"), 1u);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("innerHTML"), std::string::npos);
  EXPECT_EQ(html.find("eval("), std::string::npos);
}

}  // namespace
}  // namespace drover::reporting
