#pragma once
// The time a connection has to finish its current read or write, kept with
// one timer per connection that is re-armed lazily: moving the deadline is
// an assignment. beast::tcp_stream, used before, started and cancelled a
// timer wait around every read and every write, which an LL-HLS player
// asking a dozen times a second paid on each request. Here the timer wakes
// at most about once per timeout to look at the deadline, and only closes
// the socket (ending the pending read or write with an error) once it has
// passed. The deadline covers a whole operation, however many reads it
// takes: a client trickling a header byte by byte is cut as one sending
// nothing.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace sluice::http {

class ConnectionDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ConnectionDeadline(boost::asio::ip::tcp::socket& socket);

  // The connection must finish what it does now within `timeout`.
  void expires_after(Clock::duration timeout);
  // No deadline: a handler is at work, or a streaming one keeps its own time.
  void expires_never();

  // Closes the socket when a deadline passes; returns then or after stop().
  // The owner keeps this object alive until it returns.
  boost::asio::awaitable<void> watch();
  void stop();
  // True once watch() closed the socket.
  bool passed() const { return passed_; }

 private:
  void arm(Clock::time_point when);

  boost::asio::ip::tcp::socket& socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_ = Clock::time_point::max();  // when the timer wakes
  Clock::duration last_timeout_{};
  bool stopped_ = false;
  bool passed_ = false;
};

}  // namespace sluice::http
