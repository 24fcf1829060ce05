// The access gate: admission rules behind one awaitable call, and the race
// an awaiting check opens (two publishers for one name: exactly one wins).
// Real registry, real control service and SQLite store; one io_context
// plays both the media and the control executor.
#include "manage/access_gate.hpp"
#include "base/coroutine_warnings.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>

#include "manage/control_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::manage {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A check that takes a while, as an HTTP hook or a key lookup will.
AccessCheck slow_check(std::chrono::milliseconds delay, std::optional<Refusal> answer = {}) {
  return [delay, answer](const AccessRequest&) -> asio::awaitable<std::optional<Refusal>> {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_return answer;
  };
}

class AccessGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-gate-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = store::SqliteStore::open(dir_ / "sluice.db");
    registry_ = std::make_unique<media::Registry>(io_.get_executor(), config_.media);
    gate_ = std::make_unique<AccessGate>(io_.get_executor(), config_, *registry_);
    control_ = std::make_unique<ControlService>(io_.get_executor(), config_, *store_, *gate_);
    gate_->set_records(*control_);
  }
  void TearDown() override {
    control_.reset();
    gate_.reset();
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static AccessRequest request(AccessAction action, std::string stream,
                               std::string client = "127.0.0.1:5000") {
    AccessRequest r;
    r.action = action;
    r.key = {"__defaultVhost__", "live", std::move(stream)};
    r.client_address = std::move(client);
    return r;
  }

  // Starts admissions side by side and runs until all have answered.
  std::vector<AccessDecision> admit_all(const std::vector<AccessRequest>& requests) {
    std::vector<std::optional<AccessDecision>> out(requests.size());
    size_t done = 0;
    io_.restart();
    for (size_t i = 0; i < requests.size(); ++i) {
      auto task = requests[i].action == AccessAction::kPublish ? gate_->admit_publish(requests[i])
                                                               : gate_->admit_play(requests[i]);
      asio::co_spawn(io_, std::move(task), [&, i](std::exception_ptr e, AccessDecision d) {
        EXPECT_FALSE(e);
        out[i] = std::move(d);
        ++done;
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (done < requests.size() && std::chrono::steady_clock::now() < deadline)
      io_.run_one_for(100ms);
    std::vector<AccessDecision> decisions;
    for (auto& d : out) {
      EXPECT_TRUE(d.has_value()) << "an admission never answered";
      decisions.push_back(d ? std::move(*d) : AccessDecision{});
    }
    return decisions;
  }

  std::filesystem::path dir_;
  asio::io_context io_;
  config::Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<media::Registry> registry_;
  std::unique_ptr<AccessGate> gate_;
  std::unique_ptr<ControlService> control_;
};

void expect_one_winner(std::vector<AccessDecision>& decisions) {
  ASSERT_EQ(decisions.size(), 2u);
  const int winners = decisions[0].allowed() + decisions[1].allowed();
  ASSERT_EQ(winners, 1);
  auto& winner = decisions[0].allowed() ? decisions[0] : decisions[1];
  auto& loser = decisions[0].allowed() ? decisions[1] : decisions[0];
  ASSERT_TRUE(winner.stream);
  ASSERT_TRUE(winner.ticket);
  EXPECT_GT(winner.ticket->id, 0);
  EXPECT_EQ(loser.refusal->kind, Refusal::Kind::kDuplicate);
  EXPECT_EQ(rtmp_status_code(AccessAction::kPublish, *loser.refusal), "NetStream.Publish.BadName");
  EXPECT_FALSE(loser.stream);
  EXPECT_FALSE(loser.ticket);
}

TEST_F(AccessGateTest, TwoPublishersRacingThroughAnAwaitingCheckOneWins) {
  gate_->add_check(slow_check(30ms));
  auto decisions = admit_all({request(AccessAction::kPublish, "cam", "10.0.0.1:1"),
                              request(AccessAction::kPublish, "cam", "10.0.0.2:2")});
  expect_one_winner(decisions);
}

TEST_F(AccessGateTest, TwoPublishersRacingForTheOpenRecordOneWins) {
  // No extra check: the race is over the await for the store's open record.
  auto decisions =
      admit_all({request(AccessAction::kPublish, "cam"), request(AccessAction::kPublish, "cam")});
  expect_one_winner(decisions);
}

TEST_F(AccessGateTest, APublisherThatWentLiveWhileTheCheckAwaitedWins) {
  // Only the client "slow" waits in the check: "fast" asks later, is let in
  // and starts publishing while "slow" still awaits; the gate's re-check
  // after the await must refuse "slow".
  gate_->add_check([](const AccessRequest& r) -> asio::awaitable<std::optional<Refusal>> {
    if (r.client_address == "slow") {
      asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return std::nullopt;
  });
  std::optional<AccessDecision> slow, fast;
  io_.restart();
  asio::co_spawn(io_, gate_->admit_publish(request(AccessAction::kPublish, "cam", "slow")),
                 [&](std::exception_ptr, AccessDecision d) { slow = std::move(d); });
  asio::co_spawn(io_, gate_->admit_publish(request(AccessAction::kPublish, "cam", "fast")),
                 [&](std::exception_ptr, AccessDecision d) {
                   fast = std::move(d);
                   ASSERT_TRUE(fast->allowed());
                   media::PublisherInfo info;
                   info.publish_id = fast->ticket->id;
                   fast->stream->begin_publish(info);  // as the session does, at once
                 });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while ((!slow || !fast) && std::chrono::steady_clock::now() < deadline) io_.run_one_for(100ms);
  ASSERT_TRUE(fast && slow);
  ASSERT_TRUE(fast->allowed());
  ASSERT_FALSE(slow->allowed());
  EXPECT_EQ(slow->refusal->kind, Refusal::Kind::kDuplicate);
  fast->stream->end_publish();
  gate_->publish_ended(*fast->ticket, store::EndReason::kNormal, 0);
}

TEST_F(AccessGateTest, BadNamesAreRefusedForPublishAndPlay) {
  auto decisions =
      admit_all({request(AccessAction::kPublish, "bad name"), request(AccessAction::kPlay, "..")});
  for (const auto& d : decisions) {
    ASSERT_FALSE(d.allowed());
    EXPECT_EQ(d.refusal->kind, Refusal::Kind::kBadName);
  }
  EXPECT_EQ(rtmp_status_code(AccessAction::kPlay, *decisions[1].refusal),
            "NetStream.Play.StreamNotFound");
  EXPECT_EQ(http_status(*decisions[1].refusal), 400u);
  EXPECT_EQ(registry_->size(), 0u);  // nothing was created for them
}

TEST_F(AccessGateTest, ARefusingCheckEndsAPlayBeforeAnyStreamExists) {
  gate_->add_check(slow_check(10ms, Refusal{Refusal::Kind::kDenied, "token expired"}));
  auto decisions = admit_all({request(AccessAction::kPlay, "cam")});
  ASSERT_FALSE(decisions[0].allowed());
  EXPECT_EQ(decisions[0].refusal->reason, "token expired");
  EXPECT_EQ(rtmp_status_code(AccessAction::kPlay, *decisions[0].refusal), "NetStream.Play.Failed");
  EXPECT_EQ(http_status(*decisions[0].refusal), 403u);
  EXPECT_EQ(registry_->size(), 0u);
}

TEST_F(AccessGateTest, ChecksSeeEveryQueryParameter) {
  AccessRequest seen;
  gate_->add_check([&](const AccessRequest& r) -> asio::awaitable<std::optional<Refusal>> {
    seen = r;
    co_return std::nullopt;
  });
  auto r = request(AccessAction::kPlay, "cam");
  r.params = {{"token", "abc"}, {"volcTime", "1700000000"}};
  auto decisions = admit_all({r});
  ASSERT_TRUE(decisions[0].allowed());
  EXPECT_EQ(seen.params.at("token"), "abc");
  EXPECT_EQ(seen.params.at("volcTime"), "1700000000");
}

TEST_F(AccessGateTest, AForbidSentByControlRefusesThePublish) {
  store::Forbid f{"__defaultVhost__", "live", "cam", "", wall_now(), wall_now() + 1h};
  gate_->forbid_added(f);
  auto decisions = admit_all({request(AccessAction::kPublish, "cam")});
  ASSERT_FALSE(decisions[0].allowed());
  EXPECT_EQ(decisions[0].refusal->kind, Refusal::Kind::kForbidden);
  EXPECT_EQ(rtmp_status_code(AccessAction::kPublish, *decisions[0].refusal),
            "NetStream.Publish.Rejected");
  gate_->forbid_removed({f.vhost, f.app, f.stream});
  EXPECT_TRUE(admit_all({request(AccessAction::kPublish, "cam")})[0].allowed());
}

// --- lifecycle events: what the gate decides and how publishes end ---

TEST_F(AccessGateTest, APublishIsToldWhenItStartsAndWhenItEndsWithReasonAndBytes) {
  std::vector<LifecycleEvent> seen;
  auto s = gate_->events().subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  auto r = request(AccessAction::kPublish, "cam", "10.0.0.9:1935");
  r.domain = "push.example.com";
  auto decisions = admit_all({r});
  ASSERT_TRUE(decisions[0].allowed());
  ASSERT_EQ(seen.size(), 1u);
  const auto started = std::get<PublishStarted>(seen[0]);  // a copy: seen grows
  EXPECT_EQ(started.publish_id, decisions[0].ticket->id);
  EXPECT_EQ(started.party.key.stream, "cam");
  EXPECT_EQ(started.party.domain, "push.example.com");
  EXPECT_EQ(started.party.client_address, "10.0.0.9:1935");

  gate_->publish_ended(*decisions[0].ticket, store::EndReason::kKilled, 4096);
  ASSERT_EQ(seen.size(), 2u);
  const auto& ended = std::get<PublishEnded>(seen[1]);
  EXPECT_EQ(ended.publish_id, started.publish_id);
  EXPECT_EQ(ended.reason, store::EndReason::kKilled);
  EXPECT_EQ(ended.bytes_in, 4096u);
  EXPECT_GE(ended.ended, ended.started);
}

TEST_F(AccessGateTest, EveryRefusalIsToldWithItsKind) {
  std::vector<LifecycleEvent> seen;
  auto s = gate_->events().subscribe([&](const LifecycleEvent& e) {
    if (std::holds_alternative<AccessRefused>(e)) seen.push_back(e);
  });
  gate_->add_check(slow_check(5ms));
  auto decisions =
      admit_all({request(AccessAction::kPublish, "cam"), request(AccessAction::kPublish, "cam"),
                 request(AccessAction::kPlay, "..")});
  ASSERT_EQ(seen.size(), 2u);
  // The bad name is refused at once, the duplicate after the check awaited.
  const auto& bad = std::get<AccessRefused>(seen[0]);
  EXPECT_EQ(bad.action, AccessAction::kPlay);
  EXPECT_EQ(bad.refusal.kind, Refusal::Kind::kBadName);
  const auto& duplicate = std::get<AccessRefused>(seen[1]);
  EXPECT_EQ(duplicate.action, AccessAction::kPublish);
  EXPECT_EQ(duplicate.refusal.kind, Refusal::Kind::kDuplicate);
  EXPECT_EQ(duplicate.name, "__defaultVhost__/live/cam");

  gate_->refused_unresolved(AccessAction::kPlay, AccessProtocol::kHttpFlv, "10.0.0.3:1",
                            "live/bad\\x0a", {Refusal::Kind::kBadName, "invalid stream name"});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(std::get<AccessRefused>(seen[2]).party.protocol, AccessProtocol::kHttpFlv);
  EXPECT_EQ(std::get<AccessRefused>(seen[2]).name, "live/bad\\x0a");
  for (auto& d : decisions)
    if (d.ticket) gate_->publish_ended(*d.ticket, store::EndReason::kNormal, 0);
}

TEST_F(AccessGateTest, APlayIsToldWhenAdmittedAndItsTicketTellsTheEnd) {
  std::vector<LifecycleEvent> seen;
  auto s = gate_->events().subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  auto decisions =
      admit_all({request(AccessAction::kPlay, "cam"), request(AccessAction::kPlay, "cam")});
  ASSERT_EQ(seen.size(), 2u);
  const auto first = std::get<PlayStarted>(seen[0]);  // copies: seen grows
  const auto second = std::get<PlayStarted>(seen[1]);
  EXPECT_FALSE(first.publisher_live);  // nobody publishes "cam": the viewers wait
  EXPECT_NE(first.play_id, second.play_id);
  EXPECT_EQ(decisions[0].play.play_id(), first.play_id);

  decisions[0].play.finish(PlayEnd::kNotPublished, 0);
  decisions[1].play.finish(PlayEnd::kViewerLeft, 777);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(std::get<PlayEnded>(seen[2]).reason, PlayEnd::kNotPublished);
  EXPECT_EQ(std::get<PlayEnded>(seen[3]).bytes_out, 777u);
  EXPECT_EQ(std::get<PlayEnded>(seen[3]).play_id, second.play_id);
}

}  // namespace
}  // namespace sluice::manage
