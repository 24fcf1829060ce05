// The listener under a real descriptor shortage: connections wait in the
// backlog while accept fails with EMFILE, and the accept loop must neither
// spin nor log per failure, then take them all once descriptors are free.
#include "net/listener.hpp"
#include "base/coroutine_warnings.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sstream>

#include "net/open_files.hpp"

namespace sluice {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Reads until the peer closes.
class IdleConnection : public Connection {
 public:
  explicit IdleConnection(tcp::socket socket) : socket_(std::move(socket)) {}
  asio::awaitable<void> run() override {
    char byte;
    boost::system::error_code ec;
    co_await asio::async_read(socket_, asio::buffer(&byte, 1),
                              asio::redirect_error(asio::use_awaitable, ec));
  }
  void close(const std::string&) override { socket_.close(); }

 private:
  tcp::socket socket_;
};

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Routes spdlog's default logger into a string for the test's lifetime.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  size_t lines_with(const std::string& needle) const {
    std::istringstream in(text_.str());
    size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
  }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> previous_;
};

// Sets the soft descriptor limit and restores it when the test ends.
class SoftLimit {
 public:
  SoftLimit() { getrlimit(RLIMIT_NOFILE, &saved_); }
  ~SoftLimit() { setrlimit(RLIMIT_NOFILE, &saved_); }
  bool set(rlim_t soft) {
    rlimit lower = saved_;
    lower.rlim_cur = soft;
    return setrlimit(RLIMIT_NOFILE, &lower) == 0;
  }

 private:
  rlimit saved_{};
};

TEST(Listener, BacksOffWithoutSpinningWhenDescriptorsRunOut) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check opens a pipe to probe memory the first time it meets a
  // type; in a process with no descriptor left that probe fails and it
  // reports a false "invalid vptr". The normal build runs this test.
  GTEST_SKIP() << "needs every descriptor gone, which the sanitizer runtime cannot bear";
#endif
  CapturedLog log;
  asio::io_context io;
  ConnectionBudget budget(1000, 0);
  Listener listener(io.get_executor(), "test", config::Endpoint{"127.0.0.1", 0}, budget,
                    [](tcp::socket s) { return std::make_shared<IdleConnection>(std::move(s)); });
  listener.start();

  // Clients connect before the limit drops: the kernel completes them into
  // the listen backlog whether or not the server accepts.
  asio::io_context client_io;
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 20; ++i) {
    clients.emplace_back(client_io);
    clients.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), listener.port()));
  }

  SoftLimit limit;
  ASSERT_TRUE(limit.set(open_descriptor_count()));  // not one descriptor left
  const double cpu_before = process_cpu_seconds();
  io.run_for(1s);
  const double cpu = process_cpu_seconds() - cpu_before;
  EXPECT_LT(listener.session_count(), clients.size());
  // Backing off 10, 20, 40, then 100 ms: about a dozen tries in a second.
  // Retrying at once makes thousands even on a loaded machine.
  EXPECT_GT(listener.accept_failures(), 3u);
  EXPECT_LT(listener.accept_failures(), 30u) << "the accept loop spun for want of descriptors";
  EXPECT_LT(cpu, 0.25);
  EXPECT_EQ(log.lines_with("test accept failed: Too many open files"), 1u) << log.text();

  ASSERT_TRUE(limit.set(open_descriptor_count() + 100));
  io.run_for(300ms);  // more than the longest back-off
  EXPECT_EQ(listener.session_count(), clients.size());
  listener.stop();
}

TEST(Listener, ClosesConnectionsOverTheBudgetAtOnce) {
  CapturedLog log;
  asio::io_context io;
  ConnectionBudget budget(2, 0, {}, {"max_connections", ""});
  Listener listener(io.get_executor(), "test", config::Endpoint{"127.0.0.1", 0}, budget,
                    [](tcp::socket s) { return std::make_shared<IdleConnection>(std::move(s)); });
  listener.start();
  asio::io_context client_io;
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 5; ++i) {
    clients.emplace_back(client_io);
    clients.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), listener.port()));
  }
  io.run_for(200ms);
  EXPECT_EQ(listener.session_count(), 2u);
  size_t closed = 0;
  for (auto& c : clients) {
    c.non_blocking(true);
    char byte;
    boost::system::error_code ec;
    c.read_some(asio::buffer(&byte, 1), ec);
    closed += ec && ec != asio::error::would_block;
  }
  EXPECT_EQ(closed, 3u);
  EXPECT_EQ(log.lines_with("test refused connections over max_connections (2)"), 1u) << log.text();
  listener.stop();
  io.run_for(100ms);
  EXPECT_EQ(budget.in_use(), 0u);
}

// Throws from run() with a text that needs escaping, like a session hitting
// a bug on odd client input.
class ThrowingConnection : public Connection {
 public:
  explicit ThrowingConnection(tcp::socket socket) : socket_(std::move(socket)) {}
  asio::awaitable<void> run() override {
    throw std::logic_error("unexpected state \x1b[31m\n in test");
    co_return;
  }
  void close(const std::string&) override { socket_.close(); }

 private:
  tcp::socket socket_;
};

TEST(Listener, LogsAnyExceptionThatEndsASessionAndKeepsAccepting) {
  CapturedLog log;
  asio::io_context io;
  ConnectionBudget budget(100, 0);
  int made = 0;
  Listener listener(io.get_executor(), "test", config::Endpoint{"127.0.0.1", 0}, budget,
                    [&](tcp::socket s) -> std::shared_ptr<Connection> {
                      // Every other session throws; the others stay open.
                      if (made++ % 2 == 0)
                        return std::make_shared<ThrowingConnection>(std::move(s));
                      return std::make_shared<IdleConnection>(std::move(s));
                    });
  listener.start();
  asio::io_context client_io;
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back(client_io);
    clients.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), listener.port()));
    io.run_for(50ms);
  }
  EXPECT_EQ(made, 4) << "the listener went on accepting after a session threw";
  EXPECT_EQ(listener.session_count(), 2u) << "the thrown sessions are gone, the others live";
  EXPECT_EQ(budget.in_use(), 2u) << "a thrown session gives its connection slot back";
  EXPECT_EQ(log.lines_with("test session ended by an exception: unexpected state"), 2u)
      << log.text();
  // The exception text is untrusted (it may quote client input): escaped.
  EXPECT_EQ(log.text().find('\x1b'), std::string::npos) << log.text();
  listener.stop();
  io.run_for(100ms);
}

}  // namespace
}  // namespace sluice
