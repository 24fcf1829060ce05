#include "stalled_reader.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace sluice::load {

namespace asio = boost::asio;

void open_with_receive_buffer(asio::ip::tcp::socket& socket, int bytes) {
  socket.open(asio::ip::tcp::v4());
  socket.set_option(asio::socket_base::receive_buffer_size(bytes));
}

asio::awaitable<void> hold_unread(asio::ip::tcp::socket& socket, SessionStats& stats) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(std::chrono::seconds(1));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled: the viewer's life is over
    tcp_info info{};
    socklen_t size = sizeof info;
    if (getsockopt(socket.native_handle(), IPPROTO_TCP, TCP_INFO, &info, &size) != 0) {
      stats.end("conn:getsockopt");
      co_return;
    }
    // Reading nothing, the viewer learns of the server's side only from the
    // state: CLOSE after a reset, CLOSE_WAIT after a FIN.
    if (info.tcpi_state == TCP_CLOSE) {
      stats.end("reset_while_stalled");
      co_return;
    }
    if (info.tcpi_state == TCP_CLOSE_WAIT) {
      stats.end("closed_while_stalled");
      co_return;
    }
  }
}

}  // namespace sluice::load
