#include "cli/table.hpp"

#include <algorithm>
#include <string_view>

namespace sluice::cli {

void Table::print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string_view cell =
          i < row.size() && !row[i].empty() ? std::string_view(row[i]) : "-";
      out << cell;
      if (i + 1 < widths.size()) out << std::string(widths[i] - cell.size() + 2, ' ');
    }
    out << "\n";
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

}  // namespace sluice::cli
