#include "playlist_attributes.hpp"

namespace sluice::load {

std::optional<std::string_view> attribute(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    const auto eq = list.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const auto key = list.substr(0, eq);
    list.remove_prefix(eq + 1);
    std::string_view value;
    if (!list.empty() && list.front() == '"') {
      const auto close = list.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = list.substr(1, close - 1);
      list.remove_prefix(close + 1);
    } else {
      value = list.substr(0, list.find(','));
      list.remove_prefix(value.size());
    }
    if (key == name) return value;
    if (!list.empty() && list.front() == ',') list.remove_prefix(1);
  }
  return std::nullopt;
}

}  // namespace sluice::load
