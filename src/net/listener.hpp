#pragma once
// A TCP listener that hands each accepted connection to a session factory and
// keeps track of live sessions so shutdown can close them all. Shared by the
// RTMP, HTTP-FLV and API servers, so the protections live here, once:
// connections over the listener's ConnectionBudget are closed at once, and
// when accept fails for want of descriptors or memory the loop backs off
// instead of spinning, with one log line per interval rather than per failure.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "config/config.hpp"
#include "net/connection_budget.hpp"
#include "net/incident_log.hpp"

namespace sluice {

// What a listener needs from a session.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual boost::asio::awaitable<void> run() = 0;
  virtual void close(const std::string& reason) = 0;
  // The server is stopping.
  virtual void shutdown() { close("server shutting down"); }
};

class Listener {
 public:
  using Factory = std::function<std::shared_ptr<Connection>(boost::asio::ip::tcp::socket)>;

  // Binds at once (throws on failure, e.g. the port is taken); logs
  // "<name> listening on ADDR:PORT" with the real port when asked for 0.
  Listener(boost::asio::any_io_executor executor, std::string name,
           const config::Endpoint& endpoint, ConnectionBudget& budget, Factory factory);

  void start();
  // Stops accepting and asks every live session to shut down.
  void stop();
  uint16_t port() const { return port_; }
  size_t session_count() const { return sessions_.size(); }
  // Accepts that failed (descriptors, memory, ...) since the start.
  uint64_t accept_failures() const { return accept_failures_; }

 private:
  struct Session {
    std::weak_ptr<Connection> connection;
    ConnectionBudget::Ticket ticket;
  };

  boost::asio::awaitable<void> accept_loop();
  // After a failed accept: waits (growing up to a bound) when the failure
  // will repeat until something is released, so the loop cannot spin.
  boost::asio::awaitable<void> pause_after(const boost::system::error_code& error,
                                           std::chrono::milliseconds& backoff);
  void admit(boost::asio::ip::tcp::socket socket);
  void start_session(boost::asio::ip::tcp::socket socket, ConnectionBudget::Ticket ticket);
  void log_session_exception(std::exception_ptr error) const;

  std::string name_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ConnectionBudget& budget_;
  Factory factory_;
  IncidentLog incidents_;
  uint16_t port_ = 0;
  uint64_t next_id_ = 0;
  uint64_t accept_failures_ = 0;
  std::unordered_map<uint64_t, Session> sessions_;
};

}  // namespace sluice
