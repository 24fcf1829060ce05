#include "metrics/exposition.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sluice::metrics {

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type);
}

void Exposition::series(std::string_view name, const Labels& labels) {
  text_ += name;
  if (labels.empty()) return;
  text_ += '{';
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) text_ += ',';
    first = false;
    text_ += label;
    text_ += "=\"";
    text_ += escape_label_value(value);
    text_ += '"';
  }
  text_ += '}';
}

void Exposition::sample(std::string_view name, const Labels& labels, double value) {
  series(name, labels);
  text_ += ' ';
  text_ += format_value(value);
  text_ += '\n';
}

void Exposition::sample(std::string_view name, const Labels& labels, uint64_t value) {
  series(name, labels);
  text_ += fmt::format(" {}\n", value);
}

}  // namespace sluice::metrics
