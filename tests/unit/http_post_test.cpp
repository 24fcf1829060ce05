// hooks::post against a real receiver on loopback that answers, refuses,
// stalls, floods or hangs up.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

#include "base/coroutine_warnings.hpp"
#include "base/url_parts.hpp"
#include "hooks/http_post.hpp"

namespace sluice::hooks {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

// What the receiver does with one connection, after reading the request.
using Behaviour = std::function<asio::awaitable<void>(tcp::socket&)>;

struct Receiver {
  explicit Receiver(asio::io_context& context) : io(context) {}
  asio::io_context& io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  bhttp::request<bhttp::string_body> request;
  bool read_request = true;

  uint16_t port() const { return acceptor.local_endpoint().port(); }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

  void serve_once(Behaviour behaviour) {
    asio::co_spawn(
        io,
        [this, behaviour]() -> asio::awaitable<void> {
          auto socket = co_await acceptor.async_accept(asio::use_awaitable);
          if (read_request) {
            boost::beast::flat_buffer buffer;
            co_await bhttp::async_read(socket, buffer, request, asio::use_awaitable);
          }
          co_await behaviour(socket);
        },
        asio::detached);
  }
};

Behaviour answer(std::string raw) {
  return [raw](tcp::socket& s) -> asio::awaitable<void> {
    co_await asio::async_write(s, asio::buffer(raw), asio::use_awaitable);
    boost::system::error_code ignored;
    s.shutdown(tcp::socket::shutdown_both, ignored);
  };
}

Behaviour stall(std::chrono::milliseconds how_long) {
  return [how_long](tcp::socket& s) -> asio::awaitable<void> {
    asio::steady_timer t(s.get_executor(), how_long);
    co_await t.async_wait(asio::use_awaitable);
  };
}

PostResult run_post(asio::io_context& io, std::string url, std::string body, PostOptions options,
                    std::chrono::steady_clock::time_point* answered_at = nullptr) {
  PostResult out;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto posting = post(io.get_executor(), url, body, options);
        out = co_await std::move(posting);
        if (answered_at) *answered_at = std::chrono::steady_clock::now();
      },
      asio::detached);
  io.run_for(10s);
  return out;
}

PostOptions quick(std::chrono::milliseconds timeout = 2000ms) {
  PostOptions o;
  o.timeout = timeout;
  return o;
}

TEST(HttpPost, SendsTheJsonAndReturnsTheAnswer) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  PostOptions o = quick();
  o.headers.emplace_back("X-Sluice-Event", "push");
  auto got = run_post(io, r.url("/cb?x=1"), R"({"a":1})", o);
  ASSERT_TRUE(got.status) << got.error;
  EXPECT_EQ(*got.status, 200u);
  EXPECT_TRUE(got.succeeded());
  EXPECT_EQ(got.body, "ok");
  EXPECT_EQ(r.request.method(), bhttp::verb::post);
  EXPECT_EQ(r.request.target(), "/cb?x=1");
  EXPECT_EQ(r.request.body(), R"({"a":1})");
  EXPECT_EQ(r.request[bhttp::field::content_type], "application/json");
  EXPECT_EQ(r.request["X-Sluice-Event"], "push");
  EXPECT_EQ(r.request[bhttp::field::host], "127.0.0.1:" + std::to_string(r.port()));
}

TEST(HttpPost, AHostNameIsResolved) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(answer("HTTP/1.1 204 No Content\r\n\r\n"));
  auto got = run_post(io, "http://localhost:" + std::to_string(r.port()) + "/", "{}", quick());
  ASSERT_TRUE(got.status) << got.error;
  EXPECT_EQ(*got.status, 204u);
  EXPECT_TRUE(got.succeeded());
}

TEST(HttpPost, AnErrorStatusIsAnAnswerNotASuccess) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(answer("HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nnot today"));
  auto got = run_post(io, r.url(), "{}", quick());
  ASSERT_TRUE(got.status);
  EXPECT_EQ(*got.status, 403u);
  EXPECT_FALSE(got.succeeded());
  EXPECT_EQ(got.body, "not today");
  EXPECT_TRUE(got.error.empty());
}

TEST(HttpPost, AStalledReceiverTimesOut) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(stall(3s));
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point answered_at;
  auto got = run_post(io, r.url(), "{}", quick(300ms), &answered_at);
  const auto took = answered_at - start;
  EXPECT_FALSE(got.status);
  EXPECT_TRUE(got.timed_out);
  EXPECT_NE(got.error.find("timed out"), std::string::npos) << got.error;
  EXPECT_LT(took, 2500ms);  // the deadline, not the receiver, ended it
}

TEST(HttpPost, AHugeAnswerIsCutAndRefused) {
  asio::io_context io;
  Receiver r(io);
  const std::string big(10 * 1024 * 1024, 'x');
  r.serve_once(answer("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big.size()) +
                      "\r\n\r\n" + big));
  PostOptions o = quick(5s);
  o.max_response_bytes = 1024;
  auto got = run_post(io, r.url(), "{}", o);
  EXPECT_FALSE(got.status);
  EXPECT_FALSE(got.succeeded());
  EXPECT_NE(got.error.find("longer than 1024 bytes"), std::string::npos) << got.error;
  EXPECT_TRUE(got.body.empty());
}

TEST(HttpPost, GarbageIsNotAnAnswer) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(answer("hello there, I am not HTTP\r\n\r\n"));
  auto got = run_post(io, r.url(), "{}", quick());
  EXPECT_FALSE(got.status);
  EXPECT_NE(got.error.find("not HTTP"), std::string::npos) << got.error;
}

TEST(HttpPost, AHangUpIsNotAnAnswer) {
  asio::io_context io;
  Receiver r(io);
  r.serve_once(answer(""));
  auto got = run_post(io, r.url(), "{}", quick());
  EXPECT_FALSE(got.status);
  EXPECT_FALSE(got.error.empty());
}

TEST(HttpPost, NobodyListeningIsAnErrorNotAnException) {
  asio::io_context io;
  uint16_t closed_port = 0;
  {
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = a.local_endpoint().port();
  }
  auto got = run_post(io, "http://127.0.0.1:" + std::to_string(closed_port) + "/", "{}", quick());
  EXPECT_FALSE(got.status);
  EXPECT_FALSE(got.timed_out);
  EXPECT_NE(got.error.find("refused"), std::string::npos) << got.error;
}

TEST(HttpPost, UnusableUrlsAreRefusedWithoutConnecting) {
  EXPECT_TRUE(plain_http_url_problem("https://example.com/"));
  EXPECT_TRUE(plain_http_url_problem("example.com/hook"));
  EXPECT_TRUE(plain_http_url_problem("http:///nohost"));
  EXPECT_TRUE(plain_http_url_problem("http://h:0/"));
  EXPECT_TRUE(plain_http_url_problem("http://h:99999/"));  // not 34463 (99999 mod 65536)
  EXPECT_FALSE(plain_http_url_problem("http://127.0.0.1:8080/hook?a=b"));
  EXPECT_FALSE(plain_http_url_problem("http://[::1]:9/x"));
  EXPECT_FALSE(plain_http_url_problem("http://10.0.0.5.nip.io/hook"));
  EXPECT_TRUE(plain_http_url_problem("http://user:pw@127.0.0.1/hook"));
  EXPECT_TRUE(plain_http_url_problem("http://127.0.0.1:/hook"));
  EXPECT_TRUE(plain_http_url_problem("http://127.0.0.1/hook#x"));
  asio::io_context io;
  auto got = run_post(io, "ftp://127.0.0.1/", "{}", quick());
  EXPECT_FALSE(got.status);
  EXPECT_NE(got.error.find("unusable URL"), std::string::npos);
}

}  // namespace
}  // namespace sluice::hooks
