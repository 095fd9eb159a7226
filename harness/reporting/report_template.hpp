#pragma once
// reports/report.html.in, compiled in at build time (report_template.cpp.in), so a report never
// depends on an install path. Slots: {{TITLE}} and {{BODY}}.
namespace drover::reporting {
extern const char* const report_template;
}
