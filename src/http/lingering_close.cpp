#include "http/lingering_close.hpp"

#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::http {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

asio::awaitable<void> drain(asio::ip::tcp::socket& socket) {
  std::array<char, 16 * 1024> sink;
  size_t total = 0;
  boost::system::error_code ec;
  while (!ec && total < kLingerBytes) {
    total += co_await socket.async_read_some(asio::buffer(sink),
                                             asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace

asio::awaitable<void> lingering_close(asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  asio::steady_timer deadline(socket.get_executor(), kLingerTime);
  co_await (drain(socket) || deadline.async_wait(asio::redirect_error(asio::use_awaitable, ec)));
  socket.close(ec);
}

}  // namespace sluice::http
