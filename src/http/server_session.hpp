#pragma once
// One connection to an HTTP listener (Boost.Beast). Reads requests under the
// route set's limits (header 16 KiB, its body limit, its read timeout), finds
// each one's route, and answers: an ordinary handler's response, then the
// next request on the same connection (HTTP/1.1 keep-alive unless the client
// sends "Connection: close"; HTTP/1.0 only with "Connection: keep-alive");
// a streaming handler keeps the connection until it is done. No route: 404
// at once; wrong method: 405 with Allow; over a limit: 413/431, then a
// lingering close (http/lingering_close.hpp).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "http/connection_deadline.hpp"
#include "http/request_limits.hpp"
#include "http/route_set.hpp"
#include "net/listener.hpp"

namespace sluice::http {

class ServerSession : public Connection, public std::enable_shared_from_this<ServerSession> {
 public:
  ServerSession(boost::asio::ip::tcp::socket socket, const RouteSet& routes);
  boost::asio::awaitable<void> run() override;
  void close(const std::string& reason) override;

 private:
  // Answers one request; false when the connection ends after it.
  boost::asio::awaitable<bool> serve(const Request& request);
  boost::asio::awaitable<bool> respond(const Request& request, Response response);
  boost::asio::awaitable<void> refuse(const HttpError& error);

  boost::asio::ip::tcp::socket socket_;
  ConnectionDeadline deadline_;  // the route set's read timeout, for reads and writes
  const RouteSet& routes_;
  const std::string peer_;
  bool closing_ = false;
  std::shared_ptr<StreamingHandler> streaming_;
};

}  // namespace sluice::http
