#include "net/connection_budget.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sluice {
namespace {

using Refusal = ConnectionBudget::Refusal;

boost::asio::ip::address ip(const char* text) {
  return boost::asio::ip::make_address(text);
}

TEST(ConnectionBudget, CapsTheTotalAndGivesPlacesBack) {
  ConnectionBudget budget(2, 0);
  auto a = budget.admit(ip("192.0.2.1"));
  auto b = budget.admit(ip("192.0.2.2"));
  auto c = budget.admit(ip("192.0.2.3"));
  EXPECT_TRUE(a.admitted());
  EXPECT_TRUE(b.admitted());
  EXPECT_FALSE(c.admitted());
  EXPECT_EQ(c.refusal(), Refusal::kTotal);
  EXPECT_EQ(budget.in_use(), 2u);
  { auto gone = std::move(a); }
  EXPECT_EQ(budget.in_use(), 1u);
  EXPECT_TRUE(budget.admit(ip("192.0.2.3")).admitted());
  EXPECT_EQ(budget.in_use(), 1u);  // that ticket was a temporary
}

TEST(ConnectionBudget, CapsEachAddressAlone) {
  ConnectionBudget budget(100, 2);
  std::vector<ConnectionBudget::Ticket> held;
  held.push_back(budget.admit(ip("192.0.2.1")));
  held.push_back(budget.admit(ip("192.0.2.1")));
  auto third = budget.admit(ip("192.0.2.1"));
  EXPECT_FALSE(third.admitted());
  EXPECT_EQ(third.refusal(), Refusal::kPerAddress);
  EXPECT_TRUE(budget.admit(ip("192.0.2.2")).admitted());
  EXPECT_EQ(budget.in_use_by(ip("192.0.2.1")), 2u);
  held.pop_back();
  EXPECT_EQ(budget.in_use_by(ip("192.0.2.1")), 1u);
  EXPECT_TRUE(budget.admit(ip("192.0.2.1")).admitted());
  held.clear();
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_EQ(budget.in_use_by(ip("192.0.2.1")), 0u);
}

TEST(ConnectionBudget, CountsIpv6PerSlash64AndMappedIpv4AsIpv4) {
  ConnectionBudget budget(100, 1);
  auto first = budget.admit(ip("2001:db8:1:2::1"));
  EXPECT_FALSE(budget.admit(ip("2001:db8:1:2:ffff::9")).admitted());  // same /64
  EXPECT_TRUE(budget.admit(ip("2001:db8:1:3::1")).admitted());        // the next /64
  auto v4 = budget.admit(ip("198.51.100.1"));
  EXPECT_FALSE(budget.admit(ip("::ffff:198.51.100.1")).admitted());
  EXPECT_TRUE(v4.admitted());
}

TEST(ConnectionBudget, ExemptRangesCountOnlyTowardsTheTotal) {
  ConnectionBudget budget(3, 1, {*AddressRange::parse("127.0.0.0/8")});
  std::vector<ConnectionBudget::Ticket> held;
  for (int i = 0; i < 3; ++i) held.push_back(budget.admit(ip("127.0.0.1")));
  for (const auto& t : held) EXPECT_TRUE(t.admitted());
  EXPECT_EQ(budget.admit(ip("127.0.0.1")).refusal(), Refusal::kTotal);
}

TEST(ConnectionBudget, MovedTicketsReleaseOnce) {
  ConnectionBudget budget(5, 5);
  auto a = budget.admit(ip("192.0.2.1"));
  ConnectionBudget::Ticket b;
  b = std::move(a);
  ConnectionBudget::Ticket c(std::move(b));
  EXPECT_EQ(budget.in_use(), 1u);
  c = budget.admit(ip("192.0.2.9"));  // releases the old place, takes a new one
  EXPECT_EQ(budget.in_use(), 1u);
  EXPECT_EQ(budget.in_use_by(ip("192.0.2.1")), 0u);
}

TEST(ConnectionBudget, DescribesRefusalsWithTheirSetting) {
  ConnectionBudget budget(864, 8, {}, {"limits.max_connections", "limits.max_connections_per_ip"});
  EXPECT_EQ(budget.describe(Refusal::kTotal), "over limits.max_connections (864)");
  EXPECT_EQ(budget.describe(Refusal::kPerAddress), "over limits.max_connections_per_ip (8)");
}

}  // namespace
}  // namespace sluice
