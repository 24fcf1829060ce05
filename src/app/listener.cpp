#include "app/listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::any_io_executor executor, std::string name,
                   const config::Endpoint& endpoint, Factory factory)
    : name_(std::move(name)), acceptor_(executor), factory_(std::move(factory)) {
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
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: keep serving the sessions we have.
      spdlog::warn("{} accept failed: {}", name_, ec.message());
      continue;
    }
    start_session(std::move(socket));
    // Take every connection already waiting before going back to the event
    // loop: under a burst of joins (hundreds per second) one accept per loop
    // pass leaves the backlog growing while every viewer's writer runs.
    for (int burst = 0; burst < 256; ++burst) {
      tcp::socket next(acceptor_.get_executor());
      acceptor_.accept(next, ec);
      if (ec) break;  // would_block: the backlog is empty
      start_session(std::move(next));
    }
  }
}

void Listener::start_session(tcp::socket socket) {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto session = factory_(std::move(socket));
  const uint64_t id = next_id_++;
  sessions_.emplace(id, session);
  asio::co_spawn(acceptor_.get_executor(), session->run(),
                 [this, id, session](std::exception_ptr) { sessions_.erase(id); });
}

void Listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& [id, weak] : sessions_) {
    if (auto s = weak.lock()) s->shutdown();
  }
}

}  // namespace sluice
