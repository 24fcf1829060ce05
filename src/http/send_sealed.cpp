#include "http/send_sealed.hpp"

#include <sys/sendfile.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

#include "base/coroutine_warnings.hpp"

namespace sluice::http {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

asio::awaitable<void> send_sealed(asio::ip::tcp::socket& socket, int fd, size_t size,
                                  std::chrono::steady_clock::time_point deadline) {
  socket.native_non_blocking(true);
  off_t offset = 0;
  while (static_cast<size_t>(offset) < size) {
    const ssize_t sent =
        ::sendfile(socket.native_handle(), fd, &offset, size - static_cast<size_t>(offset));
    if (sent > 0) continue;
    if (sent < 0 && errno == EINTR) continue;
    if (sent == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
      // 0: the file ended early, which a sealed file cannot; refuse to spin.
      throw boost::system::system_error(
          sent == 0 ? make_error_code(asio::error::eof)
                    : boost::system::error_code(errno, boost::system::system_category()));
    }
    asio::steady_timer timer(socket.get_executor(), deadline);
    const auto woke =
        co_await (socket.async_wait(asio::socket_base::wait_write, asio::use_awaitable) ||
                  timer.async_wait(asio::use_awaitable));
    if (woke.index() == 1) throw boost::system::system_error(asio::error::timed_out);
  }
}

}  // namespace sluice::http
