#pragma once
// An IP address range in CIDR form ("127.0.0.0/8", "::1/128", "10.1.2.3"),
// for the connection limits' exemptions. IPv4 is kept as an IPv4-mapped IPv6
// range, so one comparison serves both families and a dual-stack listener's
// mapped peers (::ffff:192.0.2.1) match the IPv4 ranges they belong to.
#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// 16 bytes: IPv6, or IPv4 mapped into ::ffff:0:0/96.
using Address16 = std::array<uint8_t, 16>;

Address16 to_address16(const boost::asio::ip::address& address);
// True for an IPv4 address or an IPv4-mapped IPv6 one.
bool is_ipv4(const Address16& address);

struct AddressRange {
  Address16 network{};
  unsigned prefix_bits = 0;  // of the 128
  std::string text;          // as written, for messages

  // "ADDR" or "ADDR/BITS"; nullopt when it is neither.
  static std::optional<AddressRange> parse(std::string_view text);
  bool contains(const Address16& address) const;
};

}  // namespace sluice
