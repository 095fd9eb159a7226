#include "harness/reporting/compare_cases.hpp"

#include <algorithm>

#include "harness/reporting/doc_view.hpp"

namespace drover::reporting::compare {

int verdict_severity(std::string_view verdict) {
  if (verdict == "OK" || verdict == "INFORMATIONAL") return 0;
  if (verdict == "NON-STRICT") return 1;
  if (verdict == "UNIMPLEMENTED") return 2;
  return 3;
}

namespace {

mark row_mark(const case_row& row) {
  const auto& base = row.verdicts.front();
  if (!base) return mark::added;
  bool worse = false, better = false, changed = false, gone = false;
  for (std::size_t i = 1; i < row.verdicts.size(); ++i) {
    const auto& v = row.verdicts[i];
    if (!v) {
      gone = true;
      continue;
    }
    const int delta = verdict_severity(*v) - verdict_severity(*base);
    worse = worse || delta > 0;
    better = better || delta < 0;
    changed = changed || *v != *base;
  }
  if (worse) return mark::regression;
  if (gone) return mark::gone;
  if (better) return mark::improvement;
  return changed ? mark::changed : mark::unchanged;
}

}  // namespace

case_matrix compare_cases(const std::vector<const boost::json::object*>& docs) {
  std::vector<case_row> rows;
  for (std::size_t column = 0; column < docs.size(); ++column) {
    for (const auto& item : view::array(*docs[column], "cases")) {
      const auto& c = view::as_object(item);
      const std::string id = view::string(c, "id");
      auto it = std::find_if(rows.begin(), rows.end(), [&](const case_row& r) { return r.id == id; });
      if (it == rows.end()) {
        rows.push_back(case_row{id, view::string(c, "title"), std::vector<std::optional<std::string>>(docs.size()),
                                mark::unchanged, false});
        it = rows.end() - 1;
      }
      it->verdicts[column] = view::string(c, "verdict");
    }
  }
  for (auto& row : rows) {
    row.verdict = docs.empty() ? mark::unchanged : row_mark(row);
    row.differs = std::any_of(row.verdicts.begin(), row.verdicts.end(),
                              [&](const auto& v) { return v != row.verdicts.front(); });
  }
  std::stable_partition(rows.begin(), rows.end(), [](const case_row& r) { return r.differs; });
  return case_matrix{std::move(rows)};
}

}  // namespace drover::reporting::compare
