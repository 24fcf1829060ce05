#include "http/query_lookup.hpp"

#include <algorithm>

namespace sluice::http {
namespace {

// Calls visit(param, name) for each non-empty `name[=value]` of `query` in
// order, until it returns true.
template <class Visit>
void for_each_param(std::string_view query, Visit visit) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    if (!param.empty() && visit(param, param.substr(0, param.find('=')))) return;
    if (amp == std::string_view::npos) return;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace

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
  std::optional<std::string_view> found;
  for_each_param(raw_, [&](std::string_view param, std::string_view key) {
    if (key != name) return false;
    found = key.size() == param.size() ? std::string_view() : param.substr(key.size() + 1);
    return true;
  });
  return found;
}

std::string query_without(std::string_view query, std::initializer_list<std::string_view> names) {
  std::string out;
  out.reserve(query.size());
  for_each_param(query, [&](std::string_view param, std::string_view key) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      if (!out.empty()) out += '&';
      out += param;
    }
    return false;
  });
  return out;
}

}  // namespace sluice::http
