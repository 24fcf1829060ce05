#pragma once
// "ADDR:PORT" of a connected socket's peer, for log lines and listings.
#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace sluice {

inline std::string peer_address(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  return ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace sluice
