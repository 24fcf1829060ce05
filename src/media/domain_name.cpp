#include "media/domain_name.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <string>

namespace sluice::media {
namespace {

constexpr size_t kMaxNameLength = 253;
constexpr size_t kMaxLabelLength = 63;

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

}  // namespace

bool valid_dns_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (;;) {
    const size_t dot = name.find('.');
    if (!valid_label(name.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

bool is_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // A zone id ("fe80::1%eth0") names an interface of the client's machine, no host.
  if (host.empty() || host.size() > 64 || host.find('%') != std::string_view::npos) return false;
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec;
}

}  // namespace sluice::media
