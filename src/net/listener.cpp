#include "net/listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

#include "base/untrusted_text.hpp"

namespace sluice {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kMinBackoff = std::chrono::milliseconds(10);
constexpr auto kMaxBackoff = std::chrono::milliseconds(100);
constexpr auto kIncidentInterval = std::chrono::seconds(10);

// Failures that repeat on every try until the server releases something
// (descriptors, socket buffers): retrying at once only burns a core.
bool out_of_resources(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  switch (ec.value()) {
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      return true;
    default:
      return false;
  }
}

}  // namespace

Listener::Listener(asio::any_io_executor executor, std::string name,
                   const config::Endpoint& endpoint, ConnectionBudget& budget, Factory factory)
    : name_(std::move(name)),
      acceptor_(executor),
      budget_(budget),
      factory_(std::move(factory)),
      incidents_(executor, name_, kIncidentInterval) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) throw config::ConfigError(name_ + ".listen", "invalid address \"" + endpoint.host + "\"");
  tcp::endpoint ep(address, endpoint.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(ep, ec);
  if (ec)
    throw std::runtime_error(name_ + ": cannot listen on " + endpoint.to_string() + ": " +
                             ec.message());
  acceptor_.listen(asio::socket_base::max_listen_connections);
  acceptor_.non_blocking(true);  // for the synchronous accepts of a burst
  port_ = acceptor_.local_endpoint().port();
  spdlog::info("{} listening on {}:{}", name_, acceptor_.local_endpoint().address().to_string(),
               port_);
}

void Listener::start() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

asio::awaitable<void> Listener::accept_loop() {
  auto backoff = kMinBackoff;
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      co_await pause_after(ec, backoff);
      continue;
    }
    backoff = kMinBackoff;
    admit(std::move(socket));
    // Take every connection already waiting before going back to the event
    // loop: under a burst of joins (hundreds per second) one accept per loop
    // pass leaves the backlog growing while every viewer's writer runs.
    for (int burst = 0; burst < 256; ++burst) {
      tcp::socket next(acceptor_.get_executor());
      acceptor_.accept(next, ec);
      if (ec)
        break;  // would_block: the backlog is empty; other errors: the next async_accept sees them
      admit(std::move(next));
    }
  }
}

asio::awaitable<void> Listener::pause_after(const boost::system::error_code& error,
                                            std::chrono::milliseconds& backoff) {
  // A client that gave up while queued: nothing to wait for.
  if (error == asio::error::connection_aborted) co_return;
  ++accept_failures_;
  const bool resources = out_of_resources(error);
  incidents_.record("accept failed: " + error.message(),
                    resources ? " (open sessions continue; retrying after up to " +
                                    std::to_string(kMaxBackoff.count()) + " ms)"
                              : "");
  // Unknown failures back off too: a persistent one must not spin either.
  asio::steady_timer timer(acceptor_.get_executor(), backoff);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  backoff = std::min(backoff * 2, std::chrono::milliseconds(kMaxBackoff));
}

void Listener::admit(tcp::socket socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // gone already
  auto ticket = budget_.admit(peer.address());
  if (!ticket.admitted()) {
    // Closed at once: the client learns now instead of hanging in the
    // backlog, and the descriptor is free again before the next accept.
    incidents_.record("refused connections " + budget_.describe(ticket.refusal()),
                      " (first from " + peer.address().to_string() + ")");
    socket.close(ec);
    return;
  }
  start_session(std::move(socket), std::move(ticket));
}

void Listener::start_session(tcp::socket socket, ConnectionBudget::Ticket ticket) {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto session = factory_(std::move(socket));
  const uint64_t id = next_id_++;
  sessions_.emplace(id, Session{session, std::move(ticket)});
  asio::co_spawn(acceptor_.get_executor(), session->run(),
                 [this, id, session](std::exception_ptr error) {
                   // Sessions catch what they expect (protocol errors, closed
                   // sockets); anything else reaching here is a bug to see.
                   if (error) log_session_exception(error);
                   sessions_.erase(id);
                 });
}

void Listener::log_session_exception(std::exception_ptr error) const {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    // The text may quote what a client sent.
    spdlog::error("{} session ended by an exception: {}", name_, printable(e.what()));
  } catch (...) {
    spdlog::error("{} session ended by an exception of unknown type", name_);
  }
}

void Listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& [id, entry] : sessions_) {
    if (auto s = entry.connection.lock()) s->shutdown();
  }
}

}  // namespace sluice
