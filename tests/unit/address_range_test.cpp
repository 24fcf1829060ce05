#include "base/address_range.hpp"

#include <gtest/gtest.h>

namespace sluice {
namespace {

Address16 addr(const char* text) {
  return to_address16(boost::asio::ip::make_address(text));
}

TEST(AddressRange, ParsesAddressesAndCidrRanges) {
  EXPECT_TRUE(AddressRange::parse("127.0.0.0/8"));
  EXPECT_TRUE(AddressRange::parse("10.1.2.3"));
  EXPECT_TRUE(AddressRange::parse("::1/128"));
  EXPECT_TRUE(AddressRange::parse("2001:db8::/32"));
  EXPECT_TRUE(AddressRange::parse("0.0.0.0/0"));
  for (const char* bad : {"", "/8", "127.0.0.0/", "127.0.0.0/33", "::/129", "127.0.0.0/8x",
                          "localhost", "127.0.0.0/-1", "1.2.3.4/8/8"}) {
    EXPECT_FALSE(AddressRange::parse(bad)) << bad;
  }
}

TEST(AddressRange, MatchesByPrefix) {
  const auto loopback = *AddressRange::parse("127.0.0.0/8");
  EXPECT_TRUE(loopback.contains(addr("127.0.0.1")));
  EXPECT_TRUE(loopback.contains(addr("127.255.0.9")));
  EXPECT_FALSE(loopback.contains(addr("128.0.0.1")));
  EXPECT_FALSE(loopback.contains(addr("::1")));

  const auto host = *AddressRange::parse("192.0.2.7");
  EXPECT_TRUE(host.contains(addr("192.0.2.7")));
  EXPECT_FALSE(host.contains(addr("192.0.2.8")));

  const auto odd = *AddressRange::parse("10.0.0.0/9");
  EXPECT_TRUE(odd.contains(addr("10.127.0.1")));
  EXPECT_FALSE(odd.contains(addr("10.128.0.1")));

  const auto v6 = *AddressRange::parse("2001:db8::/32");
  EXPECT_TRUE(v6.contains(addr("2001:db8:1::5")));
  EXPECT_FALSE(v6.contains(addr("2001:db9::5")));

  EXPECT_TRUE(AddressRange::parse("0.0.0.0/0")->contains(addr("203.0.113.1")));
  EXPECT_FALSE(AddressRange::parse("0.0.0.0/0")->contains(addr("2001:db8::1")));
}

TEST(AddressRange, MappedIpv4PeersMatchIpv4Ranges) {
  // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d.
  const auto loopback = *AddressRange::parse("127.0.0.0/8");
  EXPECT_TRUE(loopback.contains(addr("::ffff:127.0.0.1")));
  EXPECT_TRUE(is_ipv4(addr("::ffff:127.0.0.1")));
  EXPECT_TRUE(is_ipv4(addr("198.51.100.1")));
  EXPECT_FALSE(is_ipv4(addr("2001:db8::1")));
}

}  // namespace
}  // namespace sluice
