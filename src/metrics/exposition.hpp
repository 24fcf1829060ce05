#pragma once
// The Prometheus text exposition format, version 0.0.4: one `# HELP` and one
// `# TYPE` line per family, then its samples. Label values and help texts are
// escaped here, so a stream name with a quote or a newline cannot break a
// scrape.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::metrics {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// `\` → `\\`, `"` → `\"`, newline → `\n` (label values).
std::string escape_label_value(std::string_view value);
// `\` → `\\`, newline → `\n` (HELP text).
std::string escape_help(std::string_view text);
// Shortest text that reads back as `value`; +Inf, -Inf and NaN as Prometheus spells them.
std::string format_value(double value);

class Exposition {
 public:
  // `type`: counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, const Labels& labels, uint64_t value);

  const std::string& text() const { return text_; }

 private:
  void series(std::string_view name, const Labels& labels);

  std::string text_;
};

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace sluice::metrics
