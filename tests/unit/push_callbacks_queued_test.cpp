// ControlService queues the push/push_end callbacks of every publish in the
// store's outbox, with the history change: a start, a normal end, a kill, and
// publishes a crash interrupted. Real gate, control service and SQLite store;
// one io_context plays both executors.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "base/coroutine_warnings.hpp"
#include "manage/access_gate.hpp"
#include "manage/control_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::manage {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

struct Sent {
  std::string url;
  std::string event_type;
  std::string fp_user_url;
  std::string reason;
  std::string session_id;
};

class PushCallbacksQueued : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-callbacks-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config::VhostConfig v;
    v.name = config_.default_vhost;
    v.push_callback_urls = {"http://127.0.0.1:9/push-a", "http://127.0.0.1:9/push-b"};
    v.push_end_callback_urls = {"http://127.0.0.1:9/end"};
    config_.vhosts.push_back(v);
    open_services();
  }
  void TearDown() override {
    close_services();
    std::filesystem::remove_all(dir_);
  }
  void open_services() {
    store_ = store::SqliteStore::open(dir_ / "sluice.db");
    registry_ = std::make_unique<media::Registry>(io_.get_executor(), config_.media);
    gate_ = std::make_unique<AccessGate>(io_.get_executor(), config_, *registry_);
    control_ = std::make_unique<ControlService>(io_.get_executor(), config_, *store_, *gate_);
    gate_->set_records(*control_);
  }
  void close_services() {
    if (control_) control_->stop();
    control_.reset();
    gate_.reset();
    registry_.reset();
    store_.reset();
  }

  void run_until(const std::function<bool()>& done) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(50ms);
    io_.poll();
  }

  AccessDecision admit(std::map<std::string, std::string> params) {
    AccessRequest r;
    r.action = AccessAction::kPublish;
    r.key = {config_.default_vhost, "live", "cam"};
    r.domain = "push.example.com";
    r.client_address = "198.51.100.4:40000";
    r.params = std::move(params);
    std::optional<AccessDecision> out;
    asio::co_spawn(io_, gate_->admit_publish(r),
                   [&](std::exception_ptr, AccessDecision d) { out = std::move(d); });
    run_until([&] { return out.has_value(); });
    EXPECT_TRUE(out && out->allowed());
    return out ? std::move(*out) : AccessDecision{};
  }

  // Everything waiting in the outbox, in the order the delivery worker may
  // send it (one key: one at a time), each marked delivered.
  std::vector<Sent> drain() {
    std::vector<Sent> sent;
    for (int round = 0; round < 100; ++round) {
      const auto due = store_->due_callbacks(wall_now() + 1s, 100);
      if (due.empty()) break;
      std::vector<int64_t> ids;
      for (const auto& m : due) {
        const auto v = json::parse(m.payload).as_object();
        Sent s{m.url, std::string(v.at("event_type").as_string()),
               std::string(v.at("fp_user_url").as_string()), "",
               std::string(v.at("session_id").as_string())};
        if (v.contains("reason")) s.reason = std::string(v.at("reason").as_string());
        EXPECT_EQ(m.order_key, config_.default_vhost + "/live/cam");
        sent.push_back(s);
        ids.push_back(m.id);
      }
      store_->callbacks_delivered(ids);
    }
    return sent;
  }

  uint64_t history_total() {
    store::ClosedStreamQuery q;
    q.end_from = kWallTimeMin;
    q.end_to = kWallTimeMax;
    return store_->closed_streams(q).total;
  }

  std::filesystem::path dir_;
  asio::io_context io_;
  config::Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<media::Registry> registry_;
  std::unique_ptr<AccessGate> gate_;
  std::unique_ptr<ControlService> control_;
};

TEST_F(PushCallbacksQueued, APublishQueuesAPushPerUrlAndItsEndAPushEnd) {
  auto d = admit({{"volcSecret", "0123456789abcdef0123456789abcdef"},
                  {"volcTime", "1700000600"},
                  {"room", "7"}});
  const std::string id = std::to_string(d.ticket->id);
  gate_->publish_ended(*d.ticket, store::EndReason::kNormal, 100);
  run_until([&] { return history_total() == 1; });

  const auto sent = drain();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:9/push-a");
  EXPECT_EQ(sent[1].url, "http://127.0.0.1:9/push-b");
  EXPECT_EQ(sent[2].url, "http://127.0.0.1:9/end");
  EXPECT_EQ(sent[0].event_type, "push_start");
  EXPECT_EQ(sent[1].event_type, "push_start");
  EXPECT_EQ(sent[2].event_type, "push_end");
  EXPECT_EQ(sent[2].reason, "finished");
  for (const auto& s : sent) {
    EXPECT_EQ(s.session_id, id);
    EXPECT_EQ(s.fp_user_url, "room=7&volcTime=1700000600");  // no volcSecret
  }
}

TEST_F(PushCallbacksQueued, AKillQueuesAPushEndWithReasonKilled) {
  auto d = admit({});
  media::PublisherInfo info;
  info.publish_id = d.ticket->id;
  const auto ticket = *d.ticket;
  std::weak_ptr<media::Stream> weak = d.stream;
  info.disconnect = [&, weak, ticket](media::DisconnectCause) {
    if (auto s = weak.lock()) s->end_publish();
    gate_->publish_ended(ticket, store::EndReason::kKilled, 0);
  };
  d.stream->begin_publish(info);

  std::optional<bool> killed;
  asio::co_spawn(io_, control_->kill(ticket.key),
                 [&](std::exception_ptr, bool was) { killed = was; });
  run_until([&] { return killed.has_value(); });
  ASSERT_EQ(killed, true);
  const auto sent = drain();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[2].event_type, "push_end");
  EXPECT_EQ(sent[2].reason, "killed");
}

TEST_F(PushCallbacksQueued, APublishACrashInterruptedGetsItsPushEndAtStart) {
  admit({{"room", "9"}, {"secret_thing", "x"}});
  const auto pushes = drain();
  ASSERT_EQ(pushes.size(), 2u);
  // The process dies: nothing closes the publish.
  close_services();
  open_services();
  control_->start();
  const auto sent = drain();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].event_type, "push_end");
  EXPECT_EQ(sent[0].reason, "interrupted");
  EXPECT_EQ(sent[0].fp_user_url, "room=9");
  EXPECT_EQ(sent[0].session_id, pushes[0].session_id);
}

TEST_F(PushCallbacksQueued, AVhostWithoutCallbackUrlsQueuesNothing) {
  config_.vhosts.clear();
  auto d = admit({});
  gate_->publish_ended(*d.ticket, store::EndReason::kNormal, 0);
  run_until([&] { return history_total() == 1; });
  EXPECT_EQ(store_->pending_callbacks(), 0u);
}

}  // namespace
}  // namespace sluice::manage
