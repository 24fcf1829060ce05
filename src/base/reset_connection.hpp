#pragma once
// Drops a TCP connection at once with a reset. For a viewer that stopped
// reading: a normal close would leave megabytes of unsent media queued in
// the kernel behind the FIN, for as long as the peer keeps its window shut.
#include <boost/asio/ip/tcp.hpp>

namespace sluice {

inline void reset_connection(boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);  // pending reads and writes complete with operation_aborted
}

}  // namespace sluice
