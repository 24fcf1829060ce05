#include "http/connection_deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::http {

namespace asio = boost::asio;

ConnectionDeadline::ConnectionDeadline(asio::ip::tcp::socket& socket)
    : socket_(socket), timer_(socket.get_executor()) {}

void ConnectionDeadline::expires_after(Clock::duration timeout) {
  last_timeout_ = timeout;
  deadline_ = Clock::now() + timeout;
  // A later deadline waits for the timer's next look; only an earlier one
  // moves the timer (which cancels its wait, and watch() waits anew).
  if (deadline_ < armed_) arm(deadline_);
}

void ConnectionDeadline::expires_never() {
  deadline_ = Clock::time_point::max();
}

void ConnectionDeadline::arm(Clock::time_point when) {
  armed_ = when;
  timer_.expires_at(when);
}

asio::awaitable<void> ConnectionDeadline::watch() {
  while (!stopped_) {
    timer_.expires_at(armed_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopped_) break;
    const auto now = Clock::now();
    if (deadline_ <= now) {
      passed_ = true;
      boost::system::error_code ignored;
      socket_.close(ignored);
      break;
    }
    // Not yet, or no deadline now: look again when it is due, or (no
    // deadline) one timeout from now, before any deadline set meanwhile
    // can fall, so setting one never has to move the timer.
    if (deadline_ != Clock::time_point::max())
      armed_ = deadline_;
    else
      armed_ =
          last_timeout_ > Clock::duration::zero() ? now + last_timeout_ : Clock::time_point::max();
  }
}

void ConnectionDeadline::stop() {
  stopped_ = true;
  timer_.cancel();
}

}  // namespace sluice::http
