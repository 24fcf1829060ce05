#include "http/host_header.hpp"

#include <cctype>

namespace sluice::http {

std::string_view host_name(std::string_view host) {
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    const auto name = host.substr(0, close + 1);
    for (char c : name.substr(1, name.size() - 2))
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return {};
    return name.size() > 2 ? name : std::string_view{};
  }
  const auto name = host.substr(0, host.find(':'));
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return {};
  return name;
}

}  // namespace sluice::http
