#include "harness/reporting/compare.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "harness/reporting/doc_view.hpp"

namespace drover::reporting::compare {
namespace {

namespace json = boost::json;

// Counters and rates whose growth is bad news; any other counter is throughput (more is better).
bool counts_trouble(std::string_view name) {
  for (std::string_view word : {"error", "fail", "drop", "timeout", "lost", "refused", "duplicate", "invalid"})
    if (name.find(word) != std::string_view::npos) return true;
  return false;
}

// Name -> object for an array of objects keyed by one field, keeping the array's order.
using keyed = std::vector<std::pair<std::string, const json::object*>>;
keyed key_by(const json::array& items, const std::function<std::string(const json::object&)>& key_of) {
  keyed out;
  for (const auto& item : items) {
    const auto* o = item.if_object();
    if (o) out.emplace_back(key_of(*o), o);
  }
  return out;
}

// Union of the names of base and next: base's order, then names only in next.
std::vector<std::string> union_of(const keyed& base, const keyed& next) {
  std::vector<std::string> names;
  for (const auto& [k, _] : base) names.push_back(k);
  for (const auto& [k, _] : next)
    if (std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
  return names;
}

const json::object* lookup(const keyed& items, const std::string& name) {
  for (const auto& [k, o] : items)
    if (k == name) return o;
  return nullptr;
}

keyed metrics_of(const json::object& doc, std::string_view type) {
  keyed out;
  for (const auto& [name, value] : view::object(doc, "metrics")) {
    const auto& m = view::as_object(value);
    if (view::string(m, "type") == type) out.emplace_back(std::string(name), &m);
  }
  return out;
}

struct builder {
  const noise_band& band;
  run_comparison out;

  void add(std::string section, std::string metric, std::string aggregation, std::string unit,
           std::optional<double> base, std::optional<double> next, direction dir, bool exact = false) {
    if (!base && !next) return;
    row r{std::move(section), std::move(metric), std::move(aggregation), std::move(unit), base, next, dir, exact,
          mark::within_noise};
    r.verdict = classify(r.base, r.next, r.unit, r.dir, r.exact, band);
    out.rows.push_back(std::move(r));
  }
  void last_detail(std::string text) {
    if (!out.rows.empty()) out.rows.back().detail = std::move(text);
  }
};

std::optional<double> field(const json::object* o, std::string_view key) {
  return o ? view::number(*o, key) : std::nullopt;
}

void add_trends(builder& b, const json::object& base, const json::object& next) {
  const auto bt = metrics_of(base, "trend"), nt = metrics_of(next, "trend");
  for (const auto& name : union_of(bt, nt)) {
    const auto *bm = lookup(bt, name), *nm = lookup(nt, name);
    const std::string unit = view::string(bm ? *bm : *nm, "unit");
    for (const auto& agg : trend_aggregations()) {
      const std::string key = agg == "avg" ? "mean" : agg;
      // A trend with no samples has no meaningful percentiles: only its count is compared.
      auto value = [&](const json::object* m) -> std::optional<double> {
        if (!m) return std::nullopt;
        if (agg != "count" && view::number_or(*m, "count") <= 0) return std::nullopt;
        return view::number(*m, key);
      };
      if (agg == "count")
        b.add("trends", name, agg, "", value(bm), value(nm), direction::neutral);
      else
        b.add("trends", name, agg, unit, value(bm), value(nm), direction::higher_is_worse);
    }
  }
}

void add_counters(builder& b, const json::object& base, const json::object& next) {
  const auto bc = metrics_of(base, "counter"), nc = metrics_of(next, "counter");
  for (const auto& name : union_of(bc, nc)) {
    const auto *bm = lookup(bc, name), *nm = lookup(nc, name);
    const std::string unit = view::string(bm ? *bm : *nm, "unit");
    const direction dir = counts_trouble(name) ? direction::higher_is_worse : direction::lower_is_worse;
    b.add("counters", name, "count", unit, field(bm, "count"), field(nm, "count"), dir);
    b.add("counters", name, "rate", unit.empty() ? "/s" : unit + "/s", field(bm, "rate"), field(nm, "rate"), dir);
  }
}

void add_rates(builder& b, const json::object& base, const json::object& next) {
  const auto br = metrics_of(base, "rate"), nr = metrics_of(next, "rate");
  for (const auto& name : union_of(br, nr)) {
    const direction dir = counts_trouble(name) ? direction::higher_is_worse : direction::lower_is_worse;
    b.add("rates", name, "rate", "ratio", field(lookup(br, name), "rate"), field(lookup(nr, name), "rate"), dir);
  }
}

std::optional<double> fail_ratio(const json::object* check) {
  if (!check) return std::nullopt;
  const double passes = view::number_or(*check, "passes"), fails = view::number_or(*check, "fails");
  return passes + fails > 0 ? fails / (passes + fails) : 0.0;
}

void add_checks(builder& b, const json::object& base, const json::object& next) {
  auto name_of = [](const json::object& o) { return view::string(o, "name"); };
  const auto bc = key_by(view::array(base, "checks"), name_of), nc = key_by(view::array(next, "checks"), name_of);
  for (const auto& name : union_of(bc, nc)) {
    const auto *bm = lookup(bc, name), *nm = lookup(nc, name);
    const std::string metric = "check:" + name;
    b.add("checks", metric, "passes", "", field(bm, "passes"), field(nm, "passes"), direction::lower_is_worse);
    b.add("checks", metric, "fails", "", field(bm, "fails"), field(nm, "fails"), direction::higher_is_worse);
    if (nm && view::number_or(*nm, "fails") > 0) b.last_detail(view::string(*nm, "first_failure"));
    b.add("checks", metric, "fail_ratio", "ratio", fail_ratio(bm), fail_ratio(nm), direction::higher_is_worse);
  }
}

void add_thresholds(builder& b, const json::object& base, const json::object& next) {
  auto expr_of = [](const json::object& o) { return view::string(o, "expression"); };
  const auto bt = key_by(view::array(base, "thresholds"), expr_of),
             nt = key_by(view::array(next, "thresholds"), expr_of);
  auto ok = [](const json::object* t) -> std::optional<double> {
    if (!t) return std::nullopt;
    return view::boolean(*t, "ok") ? 1.0 : 0.0;
  };
  for (const auto& expr : union_of(bt, nt))
    b.add("thresholds", "threshold:" + expr, "ok", "verdict", ok(lookup(bt, expr)), ok(lookup(nt, expr)),
          direction::lower_is_worse, true);
}

void add_errors(builder& b, const json::object& base, const json::object& next) {
  auto kind_of = [](const json::object& o) { return view::string(o, "kind"); };
  const auto be = key_by(view::array(base, "errors"), kind_of), ne = key_by(view::array(next, "errors"), kind_of);
  for (const auto& kind : union_of(be, ne)) {
    // A kind absent from one run happened 0 times there: that is a count, not a gone metric.
    auto count = [&](const json::object* e) { return e ? view::number_or(*e, "count") : 0.0; };
    b.add("errors", "error:" + kind, "count", "", count(lookup(be, kind)), count(lookup(ne, kind)),
          direction::higher_is_worse);
    if (const auto* e = lookup(ne, kind)) {
      const auto& samples = view::array(*e, "samples");
      if (!samples.empty() && samples.front().is_string()) b.last_detail(std::string(samples.front().get_string()));
    }
  }
}

void add_close_codes(builder& b, const json::object& base, const json::object& next) {
  auto code_of = [](const json::object& o) { return std::to_string(view::integer(o, "code")); };
  const auto bc = key_by(view::array(base, "close_codes"), code_of),
             nc = key_by(view::array(next, "close_codes"), code_of);
  for (const auto& code : union_of(bc, nc)) {
    auto count = [&](const json::object* c) { return c ? view::number_or(*c, "count") : 0.0; };
    // Normal closure and going away are how sessions end; their count follows the session count.
    const direction dir = code == "1000" || code == "1001" ? direction::neutral : direction::higher_is_worse;
    b.add("close codes", "close_code:" + code, "count", "", count(lookup(bc, code)), count(lookup(nc, code)), dir);
  }
}

}  // namespace

std::string_view mark_name(mark m) {
  switch (m) {
    case mark::regression: return "regression";
    case mark::improvement: return "improvement";
    case mark::within_noise: return "within noise";
    case mark::changed: return "changed";
    case mark::unchanged: return "unchanged";
    case mark::added: return "new";
    case mark::gone: return "gone";
  }
  return "?";
}

double noise_allowance(double base, std::string_view unit, const noise_band& band) {
  const double relative = band.relative * std::fabs(base);
  return unit == "ms" ? std::max(relative, band.floor_ms) : relative;
}

mark classify(std::optional<double> base, std::optional<double> next, std::string_view unit, direction dir,
              bool exact, const noise_band& band) {
  if (!base) return mark::added;
  if (!next) return mark::gone;
  const double delta = *next - *base;
  if (exact ? delta == 0 : std::fabs(delta) <= noise_allowance(*base, unit, band))
    return exact ? mark::unchanged : mark::within_noise;
  if (dir == direction::neutral) return mark::changed;
  const bool worse = dir == direction::higher_is_worse ? delta > 0 : delta < 0;
  return worse ? mark::regression : mark::improvement;
}

std::optional<double> row::absolute_change() const {
  if (!base || !next) return std::nullopt;
  return *next - *base;
}

std::optional<double> row::relative_change() const {
  // A verdict's 1 -> 0 is not "-100 %" of anything.
  if (!base || !next || *base == 0 || exact) return std::nullopt;
  return (*next - *base) / std::fabs(*base);
}

const std::vector<std::string>& trend_aggregations() {
  static const std::vector<std::string> aggs{"count", "avg", "p50", "p90", "p95", "p99", "max"};
  return aggs;
}

run_comparison compare_runs(const json::object& base, const json::object& next, const noise_band& band) {
  builder b{band, {}};
  add_trends(b, base, next);
  add_counters(b, base, next);
  add_rates(b, base, next);
  add_checks(b, base, next);
  add_thresholds(b, base, next);
  add_errors(b, base, next);
  add_close_codes(b, base, next);
  return std::move(b.out);
}

const row* find_row(const run_comparison& c, std::string_view metric, std::string_view aggregation) {
  for (const auto& r : c.rows)
    if (r.metric == metric && r.aggregation == aggregation) return &r;
  return nullptr;
}

}  // namespace drover::reporting::compare
