// CallbackDelivery against a real SqliteStore in a temporary directory and
// a real HTTP receiver on loopback (same io_context, one thread, as on the
// control executor).
#include "hooks/callback_delivery.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "base/coroutine_warnings.hpp"
#include "hooks/callback_body.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::hooks {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using asio::ip::tcp;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-callbacks-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Received {
  boost::json::object body;
  unsigned status = 0;
};

// Answers every POST with the status `decide` picks for its body; keeps
// what it got, in arrival order, and how many requests were open at once.
class Receiver {
 public:
  using Decide = std::function<unsigned(const boost::json::object&)>;

  Receiver(asio::io_context& io, Decide decide, std::chrono::milliseconds delay = 0ms,
           uint16_t port = 0)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)),
        decide_(std::move(decide)),
        delay_(delay) {
    asio::co_spawn(io, accept(), asio::detached);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/cb";
  }
  const std::vector<Received>& received() const { return received_; }
  size_t peak_open() const { return peak_open_; }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    ++open_;
    peak_open_ = std::max(peak_open_, open_);
    try {
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      co_await bhttp::async_read(socket, buffer, request, asio::use_awaitable);
      if (delay_ > 0ms) {
        asio::steady_timer t(socket.get_executor(), delay_);
        co_await t.async_wait(asio::use_awaitable);
      }
      Received r{boost::json::parse(request.body()).as_object(), 0};
      r.status = decide_(r.body);
      received_.push_back(r);
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(r.status), 11};
      response.body() = "{}";
      response.prepare_payload();
      co_await bhttp::async_write(socket, response, asio::use_awaitable);
    } catch (const std::exception&) {
    }
    --open_;
  }

  tcp::acceptor acceptor_;
  Decide decide_;
  std::chrono::milliseconds delay_;
  std::vector<Received> received_;
  size_t open_ = 0, peak_open_ = 0;
};

unsigned always_ok(const boost::json::object&) {
  return 200;
}

class CallbackDeliveryTest : public ::testing::Test {
 protected:
  CallbackDeliveryTest() {
    config_.callbacks.timeout = 1000ms;
    config::VhostConfig v;
    v.name = "vh";
    v.callback_auth_key = "the-callback-key";
    config_.vhosts.push_back(v);
  }

  store::CallbackMessage message(const std::string& key, const std::string& url,
                                 const std::string& event) {
    store::CallbackMessage m;
    m.order_key = key;
    m.url = url;
    m.payload = R"({"event":")" + event + R"(","stream":")" + key + R"("})";
    m.created = m.next_attempt = wall_now();
    return m;
  }

  // Runs the worker until `done` holds or 10 s pass.
  std::shared_ptr<CallbackDelivery> run_until(std::function<bool()> done,
                                              RetrySchedule schedule = {}) {
    auto delivery = CallbackDelivery::create(io_.get_executor(), config_, *store_, schedule);
    delivery->start();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_for(20ms);
    delivery->stop();
    io_.run_for(50ms);
    return delivery;
  }

  RetrySchedule fast_schedule(std::chrono::milliseconds give_up = 10s) {
    return RetrySchedule{50ms, 3, 100ms, 200ms, give_up};
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::SqliteStore::open(dir_.path() / "sluice.db");
  asio::io_context io_;
  config::Config config_;
};

TEST_F(CallbackDeliveryTest, DeliversEachMessageSignedInOrderPerStream) {
  Receiver receiver(io_, always_ok);
  std::vector<store::CallbackMessage> queued;
  for (const std::string stream : {"vh/live/a", "vh/live/b", "other/live/c"}) {
    queued.push_back(message(stream, receiver.url(), "push"));
    queued.push_back(message(stream, receiver.url(), "push_end"));
  }
  store_->queue_callbacks(queued);
  const int64_t sent_at = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; });

  ASSERT_EQ(receiver.received().size(), 6u);
  EXPECT_EQ(delivery->counts().delivered, 6u);
  EXPECT_EQ(store_->pending_callbacks(), 0u);
  EXPECT_TRUE(store_->due_callbacks(wall_now() + 1h, 100).empty());
  std::map<std::string, std::vector<std::string>> events;
  std::set<int64_t> ids;
  for (const auto& r : receiver.received()) {
    const auto& b = r.body;
    const std::string stream(b.at("stream").as_string());
    events[stream].emplace_back(b.at("event").as_string());
    ids.insert(b.at("event_id").as_int64());
    const int64_t t = b.at("t").as_int64();
    EXPECT_GE(t, sent_at + 600);
    EXPECT_LE(t, sent_at + 602);
    if (stream.starts_with("vh/"))
      EXPECT_EQ(b.at("sign").as_string(), callback_sign("the-callback-key", t));
    else
      EXPECT_FALSE(b.contains("sign")) << "a vhost without callback_auth_key signs nothing";
  }
  EXPECT_EQ(ids.size(), 6u);
  for (const auto& [stream, got] : events)
    EXPECT_EQ(got, (std::vector<std::string>{"push", "push_end"})) << stream;
}

TEST(CallbackSign, IsLowerHexMd5OfKeyAndT) {
  // hashlib.md5(b"secret-key1700000600").hexdigest()
  EXPECT_EQ(callback_sign("secret-key", 1700000600), "2b38b1c47ad972911367ff4186fa336c");
}

TEST_F(CallbackDeliveryTest, RetriesAFailingReceiverUntilItAnswers2xx) {
  std::map<int64_t, int> tries;
  Receiver receiver(io_, [&](const boost::json::object& b) {
    return ++tries[b.at("event_id").as_int64()] <= 2 ? 503u : 200u;
  });
  store_->queue_callbacks({message("vh/live/a", receiver.url(), "push"),
                           message("vh/live/a", receiver.url(), "push_end")});
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; }, fast_schedule());

  ASSERT_EQ(receiver.received().size(), 6u);
  EXPECT_EQ(delivery->counts().delivered, 2u);
  EXPECT_EQ(delivery->counts().retries, 4u);
  // The push_end waited for its push's 2xx: three tries of one, then the other.
  std::vector<std::string> order;
  for (const auto& r : receiver.received()) order.emplace_back(r.body.at("event").as_string());
  EXPECT_EQ(order,
            (std::vector<std::string>{"push", "push", "push", "push_end", "push_end", "push_end"}));
  int ok = 0;
  for (const auto& r : receiver.received()) ok += r.status == 200;
  EXPECT_EQ(ok, 2);
}

TEST_F(CallbackDeliveryTest, GivesUpAtTheDeadlineAndTheNextMessageGoesOn) {
  Receiver receiver(io_, [](const boost::json::object& b) {
    return b.at("event").as_string() == "push" ? 500u : 200u;
  });
  store_->queue_callbacks({message("vh/live/a", receiver.url(), "push"),
                           message("vh/live/a", receiver.url(), "push_end")});
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; }, fast_schedule(400ms));

  EXPECT_EQ(delivery->counts().failed, 1u);
  EXPECT_EQ(delivery->counts().delivered, 1u);
  ASSERT_FALSE(receiver.received().empty());
  EXPECT_EQ(receiver.received().back().body.at("event").as_string(), "push_end");
  EXPECT_GE(receiver.received().size(), 4u) << "tried until the deadline, not once";
}

TEST_F(CallbackDeliveryTest, AReceiverThatIsDownIsTriedAgainOnceItIsUp) {
  // A port nothing listens on for the first 400 ms.
  auto probe =
      std::make_unique<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const uint16_t port = probe->local_endpoint().port();
  probe.reset();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/cb";
  store_->queue_callbacks({message("vh/live/a", url, "push")});
  std::unique_ptr<Receiver> receiver;
  asio::steady_timer later(io_, 400ms);
  later.async_wait([&](boost::system::error_code) {
    receiver = std::make_unique<Receiver>(io_, always_ok, 0ms, port);
  });
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; }, fast_schedule());

  ASSERT_TRUE(receiver);
  ASSERT_EQ(receiver->received().size(), 1u);
  EXPECT_EQ(delivery->counts().delivered, 1u);
  EXPECT_GE(delivery->counts().retries, 2u);
}

TEST_F(CallbackDeliveryTest, KeepsAtMostMaxInFlightTriesOpen) {
  config_.callbacks.max_in_flight = 4;
  Receiver slow(io_, always_ok, 150ms);
  std::vector<store::CallbackMessage> queued;
  for (int i = 0; i < 12; ++i)
    queued.push_back(message("vh/live/s" + std::to_string(i), slow.url(), "push"));
  store_->queue_callbacks(queued);
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; });
  EXPECT_EQ(delivery->counts().delivered, 12u);
  EXPECT_EQ(slow.peak_open(), 4u);
}

TEST_F(CallbackDeliveryTest, DeliveriesThatEndTogetherAreRemovedInOneStoreWrite) {
  config_.callbacks.max_in_flight = 40;
  // Held 100 ms each: the answers to one wave arrive together.
  Receiver receiver(io_, always_ok, 100ms);
  std::vector<store::CallbackMessage> queued;
  for (int i = 0; i < 40; ++i)
    queued.push_back(message("vh/live/s" + std::to_string(i), receiver.url(), "push"));
  store_->queue_callbacks(queued);
  auto delivery = run_until([&] { return store_->pending_callbacks() == 0; });
  EXPECT_EQ(delivery->counts().delivered, 40u);
  EXPECT_LE(delivery->counts().delivery_writes, 10u) << "one fsync per delivery";
}

}  // namespace
}  // namespace sluice::hooks
