#include "base/address_range.hpp"

#include <charconv>

namespace sluice {

namespace {

constexpr unsigned kMappedPrefixBits = 96;

bool same_prefix(const Address16& a, const Address16& b, unsigned bits) {
  for (unsigned i = 0; i < 16 && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
    const uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Address16 to_address16(const boost::asio::ip::address& address) {
  if (address.is_v6()) return address.to_v6().to_bytes();
  return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
}

bool is_ipv4(const Address16& address) {
  static constexpr Address16 kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  return same_prefix(address, kMapped, kMappedPrefixBits);
}

std::optional<AddressRange> AddressRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return std::nullopt;
  AddressRange range;
  range.network = to_address16(address);
  range.text = std::string(text);
  const unsigned family_bits = address.is_v4() ? 32 : 128;
  unsigned bits = family_bits;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (err != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        bits > family_bits) {
      return std::nullopt;
    }
  }
  range.prefix_bits = address.is_v4() ? kMappedPrefixBits + bits : bits;
  return range;
}

bool AddressRange::contains(const Address16& address) const {
  return same_prefix(network, address, prefix_bits);
}

}  // namespace sluice
