// The lifecycle event stream: subscribers in order, RAII unsubscription
// (also from inside an emission), a failing subscriber contained, play
// tickets that report their end exactly once, and the log's lines.
#include "manage/lifecycle_events.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "manage/event_log.hpp"

namespace sluice::manage {
namespace {

Party party(std::string stream = "cam") {
  return {
      AccessProtocol::kRtmp, {"__defaultVhost__", "live", std::move(stream)}, "", "127.0.0.1:5000"};
}

PublishStarted publish_started(int64_t id) {
  return {id, party(), wall_now()};
}

int64_t publish_id(const LifecycleEvent& e) {
  return std::get<PublishStarted>(e).publish_id;
}

class LifecycleEventsTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  LifecycleEvents events_{io_.get_executor()};
};

TEST_F(LifecycleEventsTest, SubscribersGetEveryEventInOrderUntilTheirGuardGoes) {
  std::vector<std::string> calls;
  auto first = events_.subscribe(
      [&](const LifecycleEvent& e) { calls.push_back("a" + std::to_string(publish_id(e))); });
  std::optional<EventSubscription> second = events_.subscribe(
      [&](const LifecycleEvent& e) { calls.push_back("b" + std::to_string(publish_id(e))); });
  events_.emit(publish_started(1));
  second.reset();
  events_.emit(publish_started(2));
  EXPECT_EQ(calls, (std::vector<std::string>{"a1", "b1", "a2"}));
}

TEST_F(LifecycleEventsTest, ASubscriberMayUnsubscribeAnotherWhileAnEventIsOut) {
  std::optional<EventSubscription> later;
  int later_calls = 0;
  auto first = events_.subscribe([&](const LifecycleEvent&) { later.reset(); });
  later = events_.subscribe([&](const LifecycleEvent&) { ++later_calls; });
  events_.emit(publish_started(1));
  events_.emit(publish_started(2));
  EXPECT_EQ(later_calls, 0) << "a subscriber removed during an emission was still called";
}

TEST_F(LifecycleEventsTest, AThrowingSubscriberDoesNotStopTheOthersNorTheEmitter) {
  int after = 0;
  auto bad = events_.subscribe([](const LifecycleEvent&) { throw std::runtime_error("boom"); });
  auto good = events_.subscribe([&](const LifecycleEvent&) { ++after; });
  EXPECT_NO_THROW(events_.emit(publish_started(1)));
  EXPECT_EQ(after, 1);
}

TEST_F(LifecycleEventsTest, ASubscriptionOrTicketOutlivingTheStreamIsHarmless) {
  auto events = std::make_unique<LifecycleEvents>(io_.get_executor());
  auto subscription = events->subscribe([](const LifecycleEvent&) {});
  auto ticket = events->start_play({7, party(), wall_now(), true});
  events.reset();
  ticket.finish(PlayEnd::kViewerLeft, 10);  // nobody to tell; no crash
  subscription.reset();
  SUCCEED();
}

TEST_F(LifecycleEventsTest, APlayTicketTellsItsEndOnceWithDurationAndBytes) {
  std::vector<LifecycleEvent> seen;
  auto s = events_.subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  auto ticket = events_.start_play({7, party(), wall_now(), false});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(std::get<PlayStarted>(seen[0]).play_id, 7u);
  EXPECT_FALSE(std::get<PlayStarted>(seen[0]).publisher_live);

  PlayTicket moved = std::move(ticket);
  EXPECT_FALSE(ticket.active());
  moved.finish(PlayEnd::kTooSlow, 12345);
  moved.finish(PlayEnd::kViewerLeft, 1);  // a second report is ignored
  ASSERT_EQ(seen.size(), 2u);
  const auto& ended = std::get<PlayEnded>(seen[1]);
  EXPECT_EQ(ended.play_id, 7u);
  EXPECT_EQ(ended.reason, PlayEnd::kTooSlow);
  EXPECT_EQ(ended.bytes_out, 12345u);
  EXPECT_EQ(ended.party.key.stream, "cam");
  EXPECT_GE(ended.duration.count(), 0);
  EXPECT_GE(ended.ended, ended.started);
}

TEST_F(LifecycleEventsTest, ATicketDroppedWithoutAnEndReportsAnError) {
  std::vector<LifecycleEvent> seen;
  auto s = events_.subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  { auto ticket = events_.start_play({8, party(), wall_now(), true}); }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(std::get<PlayEnded>(seen[1]).reason, PlayEnd::kError);
  // Assigning over a live ticket ends it too.
  auto a = events_.start_play({9, party(), wall_now(), true});
  a = events_.start_play({10, party(), wall_now(), true});
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::get<PlayEnded>(seen[4]).play_id, 9u);
}

TEST(EventLogLines, EveryEventHasOneLineNamingWhoWhatWhyAndHowMuch) {
  const auto t0 = wall_now();
  const auto p = party();
  EXPECT_EQ(describe(PublishStarted{3, p, t0}),
            "rtmp 127.0.0.1:5000 __defaultVhost__/live/cam publishing (publish 3)");
  EXPECT_EQ(describe(PublishEnded{3, p, t0, t0 + std::chrono::milliseconds(2500),
                                  store::EndReason::kKilled, 4096}),
            "rtmp 127.0.0.1:5000 __defaultVhost__/live/cam unpublished (killed) after 2.500 s, "
            "4096 bytes in");
  EXPECT_EQ(describe(PlayStarted{1, p, t0, false}),
            "rtmp 127.0.0.1:5000 __defaultVhost__/live/cam playing (waiting for the publisher)");
  PlayEnded ended{1, p, t0, t0, std::chrono::milliseconds(1250), PlayEnd::kStreamEnded, 99};
  ended.party.protocol = AccessProtocol::kHttpFlv;
  EXPECT_EQ(describe(ended),
            "http-flv 127.0.0.1:5000 __defaultVhost__/live/cam play ended (stream ended) after "
            "1.250 s, 99 bytes out");
  EXPECT_EQ(describe(AccessRefused{AccessAction::kPublish,
                                   p,
                                   "__defaultVhost__/live/cam",
                                   {Refusal::Kind::kForbidden, "forbidden until X"},
                                   t0}),
            "rtmp 127.0.0.1:5000 __defaultVhost__/live/cam publish refused (forbidden): "
            "forbidden until X");
  // A clock stepped back never gives a negative duration.
  EXPECT_NE(
      describe(PublishEnded{3, p, t0, t0 - std::chrono::hours(1), store::EndReason::kNormal, 0})
          .find("after 0.000 s"),
      std::string::npos);
}

}  // namespace
}  // namespace sluice::manage
