#include "http/query_lookup.hpp"

#include <string>

namespace sluice::http {

QueryLookup::QueryLookup(std::string_view query) : raw_(query) {
  if (query.find_first_of("%+") != std::string_view::npos)
    decoded_ = media::split_name("?" + std::string(query)).params;
}

std::optional<std::string_view> QueryLookup::get(std::string_view name) const {
  if (decoded_) {
    const auto it = decoded_->find(std::string(name));
    if (it == decoded_->end()) return std::nullopt;
    return std::string_view(it->second);
  }
  for (std::string_view rest = raw_; !rest.empty();) {
    const auto amp = rest.find('&');
    const auto param = rest.substr(0, amp);
    const auto equals = param.find('=');
    if (param.substr(0, equals) == name)
      return equals == std::string_view::npos ? std::string_view() : param.substr(equals + 1);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace sluice::http
