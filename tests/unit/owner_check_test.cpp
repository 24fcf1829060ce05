// The threading rules' debug check: a claimed io_context is only "owned"
// by the thread that claimed it; unclaimed ones are not checked.
#include "base/owner_check.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sluice {
namespace {

TEST(OwnerCheck, OnlyTheClaimingThreadIsTheOwner) {
  boost::asio::io_context context;
  const boost::asio::any_io_executor executor = context.get_executor();
  EXPECT_TRUE(on_owner_thread(executor));  // nobody claimed it yet
  {
    OwnerThread claim(context);
    EXPECT_TRUE(on_owner_thread(executor));
    bool elsewhere = true;
    std::thread other([&] { elsewhere = on_owner_thread(executor); });
    other.join();
    EXPECT_FALSE(elsewhere);
  }
  bool after_release = false;
  std::thread other([&] { after_release = on_owner_thread(executor); });
  other.join();
  EXPECT_TRUE(after_release);
}

}  // namespace
}  // namespace sluice
