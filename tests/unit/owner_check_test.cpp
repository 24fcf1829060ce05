// The threading rules' debug check: a claimed io_context is only "owned"
// by the thread that claimed it; unclaimed ones are not checked.
#include "base/owner_check.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "config/config.hpp"
#include "manage/lifecycle_events.hpp"
#include "media/stream.hpp"

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

#ifdef SLUICE_OWNER_CHECKS
// The objects the media thread owns check it at their entry points: a
// stream touched from another thread (a session destroyed off the media
// thread, a control-side caller forgetting to cross) aborts at once in the
// checked builds instead of racing.
TEST(OwnerCheckDeathTest, AStreamTouchedOffItsThreadAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        boost::asio::io_context media;
        config::MediaConfig config;
        auto stream = std::make_shared<media::Stream>(media::StreamKey{"v", "live", "cam"}, config,
                                                      media.get_executor(), [](auto&) {});
        OwnerThread claim(media);
        std::thread other([&] { stream->begin_publish({}); });
        other.join();
      },
      "called off its owning executor's thread");
}

TEST(OwnerCheckDeathTest, LifecycleEventsEmittedOffTheMediaThreadAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        boost::asio::io_context media;
        manage::LifecycleEvents events(media.get_executor());
        OwnerThread claim(media);
        std::thread other([&] { events.emit(manage::PublishStarted{}); });
        other.join();
      },
      "called off its owning executor's thread");
}
#endif

}  // namespace
}  // namespace sluice
