// The authorization hook as the gate runs it: which URL a request goes to
// (by vhost and action), the config read afresh for each request (a reload),
// and the receiver's answer becoming the verdict, against a real loopback
// receiver.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>

#include "base/coroutine_warnings.hpp"
#include "hooks/authorization_hook.hpp"

namespace sluice::hooks {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using manage::AccessAction;
using manage::Refusal;
using namespace std::chrono_literals;

// Accepts connections, keeps every request, answers each with `answer`.
struct Receiver {
  explicit Receiver(asio::io_context& io) : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io, serve(), asio::detached);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + path;
  }
  asio::awaitable<void> serve() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(asio::use_awaitable);
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      co_await bhttp::async_read(socket, buffer, request, asio::use_awaitable);
      requests.push_back(std::move(request));
      co_await asio::async_write(socket, asio::buffer(answer), asio::use_awaitable);
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
    }
  }

  tcp::acceptor acceptor;
  std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  std::vector<bhttp::request<bhttp::string_body>> requests;
};

manage::AccessRequest request(AccessAction action, std::string vhost = "__defaultVhost__") {
  manage::AccessRequest r;
  r.action = action;
  r.key = {std::move(vhost), "live", "cam1"};
  r.client_address = "127.0.0.1:4000";
  r.params = {{"volcSecret", "0123456789abcdef0123456789abcdef"}, {"room", "9"}};
  return r;
}

std::optional<Refusal> run_check(asio::io_context& io, const manage::AccessCheck& check,
                                 const manage::AccessRequest& r) {
  std::optional<Refusal> out{Refusal{Refusal::Kind::kUnavailable, "check did not finish"}};
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto checking = check(r);
        out = co_await std::move(checking);
        done = true;
      },
      asio::detached);
  for (auto until = std::chrono::steady_clock::now() + 10s;
       !done && std::chrono::steady_clock::now() < until;)
    io.run_one_for(100ms);
  return out;
}

TEST(AuthorizationHookCheck, AsksTheVhostsHookForItsActionOnly) {
  asio::io_context io;
  Receiver receiver(io);
  config::Config config = config::load_string(R"(
[[vhost]]
name = "__defaultVhost__"
[[vhost]]
name = "other.example"
)");
  config.vhosts[0].on_publish = receiver.url("/publish?k=1");
  const auto check = authorization_hook_check(io.get_executor(), config);

  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPublish)));
  ASSERT_EQ(receiver.requests.size(), 1u);
  const auto& sent = receiver.requests[0];
  EXPECT_EQ(sent.method(), bhttp::verb::post);
  EXPECT_EQ(sent.target(), "/publish?k=1");
  const auto body = boost::json::parse(sent.body()).as_object();
  EXPECT_EQ(body.at("action").as_string(), "publish");
  EXPECT_EQ(body.at("request_id").as_string(), sent["X-Request-Id"]);
  EXPECT_FALSE(body.at("query").as_object().contains("volcSecret"));

  // No on_play on this vhost, and no hook at all on the other: admitted
  // without asking.
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPlay)));
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPublish, "other.example")));
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPublish, "unknown.example")));
  EXPECT_EQ(receiver.requests.size(), 1u);
}

TEST(AuthorizationHookCheck, ReadsTheConfigAfreshAndRefusesWithTheAnswer) {
  asio::io_context io;
  Receiver receiver(io);
  config::Config config = config::load_string("[[vhost]]\nname = \"__defaultVhost__\"\n");
  const auto check = authorization_hook_check(io.get_executor(), config);
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPlay)));
  EXPECT_TRUE(receiver.requests.empty());

  // As a reload changes the media copy: the next request uses the new URL.
  config.vhosts[0].on_play = receiver.url("/play");
  receiver.answer =
      "HTTP/1.1 403 Forbidden\r\nContent-Length: 22\r\n\r\n{\"message\":\"no seats\"}";
  const auto refusal = run_check(io, check, request(AccessAction::kPlay));
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->kind, Refusal::Kind::kDenied);
  EXPECT_EQ(refusal->reason, "on_play hook refused (HTTP 403): no seats");
  ASSERT_EQ(receiver.requests.size(), 1u);
  EXPECT_EQ(receiver.requests[0].target(), "/play");

  // Request ids differ between requests.
  receiver.answer = "HTTP/1.1 204 No Content\r\n\r\n";
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPlay)));
  ASSERT_EQ(receiver.requests.size(), 2u);
  EXPECT_NE(receiver.requests[0]["X-Request-Id"], receiver.requests[1]["X-Request-Id"]);
}

TEST(AuthorizationHookCheck, AnUnreachableHookRefusesOrAdmitsByFailOpen) {
  asio::io_context io;
  config::Config config = config::load_string("[[vhost]]\nname = \"__defaultVhost__\"\n");
  {
    // A port that was free a moment ago: nothing listens there now.
    tcp::acceptor closed(io, {asio::ip::make_address("127.0.0.1"), 0});
    config.vhosts[0].on_publish =
        "http://127.0.0.1:" + std::to_string(closed.local_endpoint().port()) + "/p";
  }
  const auto check = authorization_hook_check(io.get_executor(), config);
  const auto refusal = run_check(io, check, request(AccessAction::kPublish));
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->kind, Refusal::Kind::kUnavailable);
  EXPECT_EQ(refusal->reason.rfind("on_publish hook failed: ", 0), 0u) << refusal->reason;
  config.hooks.fail_open = true;
  EXPECT_FALSE(run_check(io, check, request(AccessAction::kPublish)));
}

}  // namespace
}  // namespace sluice::hooks
