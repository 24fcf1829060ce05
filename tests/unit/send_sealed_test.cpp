// sendfile from a sealed file over a real loopback connection: a reader
// slower than the socket buffer makes the sender wait for writability (the
// EAGAIN path), and a reader that never reads runs the sender into its
// deadline instead of blocking the thread.
#include "http/send_sealed.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "base/coroutine_warnings.hpp"
#include "base/sealed_bytes.hpp"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

struct Connected {
  asio::io_context io;
  tcp::socket sender{io};
  tcp::socket reader{io};
  Connected() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    reader.connect(acceptor.local_endpoint());
    acceptor.accept(sender);
  }
};

std::vector<uint8_t> pattern(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 7 + i / 251);
  return bytes;
}

TEST(SendSealed, ASlowReaderGetsEveryByteInOrder) {
  Connected c;
  // Far more than loopback's socket buffers hold: the sender must wait.
  const auto expected = pattern(24 * 1024 * 1024);
  auto sealed = SealedBytes::seal(expected, std::make_shared<DescriptorBudget>(1));
  ASSERT_GE(sealed->fd(), 0) << "memfd_create is unavailable here";
  std::optional<std::exception_ptr> sent;
  asio::co_spawn(
      c.io,
      send_sealed(c.sender, sealed->fd(), sealed->size(), std::chrono::steady_clock::now() + 30s),
      [&](std::exception_ptr e) { sent = e; });
  std::vector<uint8_t> received;
  asio::co_spawn(
      c.io,
      [&]() -> asio::awaitable<void> {
        std::vector<uint8_t> chunk(256 * 1024);
        asio::steady_timer pause(c.io);
        while (received.size() < expected.size()) {
          const size_t n =
              co_await c.reader.async_read_some(asio::buffer(chunk), asio::use_awaitable);
          received.insert(received.end(), chunk.begin(), chunk.begin() + static_cast<long>(n));
          pause.expires_after(1ms);
          co_await pause.async_wait(asio::use_awaitable);
        }
      },
      asio::detached);
  c.io.run_for(60s);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(*sent, nullptr);
  EXPECT_TRUE(received == expected);
}

TEST(SendSealed, AReaderThatNeverReadsRunsIntoTheDeadline) {
  Connected c;
  auto sealed = SealedBytes::seal(pattern(32 * 1024 * 1024), std::make_shared<DescriptorBudget>(1));
  ASSERT_GE(sealed->fd(), 0);
  std::optional<std::exception_ptr> sent;
  const auto began = std::chrono::steady_clock::now();
  asio::co_spawn(c.io, send_sealed(c.sender, sealed->fd(), sealed->size(), began + 300ms),
                 [&](std::exception_ptr e) { sent = e; });
  c.io.run_for(10s);
  ASSERT_TRUE(sent.has_value());
  ASSERT_NE(*sent, nullptr);
  try {
    std::rethrow_exception(*sent);
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), asio::error::timed_out) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
}

TEST(SealedBytes, WithoutABudgetTheBytesStayInMemory) {
  const auto bytes = pattern(1000);
  auto kept = SealedBytes::seal(bytes, nullptr);
  EXPECT_EQ(kept->fd(), -1);
  EXPECT_TRUE(std::equal(kept->begin(), kept->end(), bytes.begin(), bytes.end()));
  auto spent = std::make_shared<DescriptorBudget>(0);
  EXPECT_EQ(SealedBytes::seal(bytes, spent)->fd(), -1);
  EXPECT_EQ(spent->in_use(), 0u);
}

}  // namespace
}  // namespace sluice::http
