#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <filesystem>

#include "app/listener.hpp"
#include "app/server_context.hpp"
#include "http/http_session.hpp"
#include "media/registry.hpp"
#include "rtmp/session.hpp"

namespace sluice {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kShutdownDeadline = std::chrono::seconds(3);

// Waits until every session has ended (or the deadline passes), then stops.
asio::awaitable<void> drain_then_stop(asio::io_context& io, std::vector<Listener*> listeners) {
  asio::steady_timer timer(io);
  const auto deadline = std::chrono::steady_clock::now() + kShutdownDeadline;
  for (;;) {
    size_t open = 0;
    for (auto* l : listeners) open += l->session_count();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  io.stop();
}

}  // namespace

int serve(const config::Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data directory {}: {}", config.data_dir.string(), ec.message());
    return 1;
  }

  // One io_context on one thread: a stream and its viewers share state with
  // no locks. See docs/architecture-notes.md for why and what it costs.
  asio::io_context io(1);
  media::Registry registry(io.get_executor(), config.media);
  ServerContext context{config, registry};

  Listener rtmp(io.get_executor(), "rtmp", config.rtmp.listen, [&](tcp::socket socket) {
    return std::make_shared<rtmp::Session>(std::move(socket), context);
  });
  Listener http(io.get_executor(), "http", config.http.listen, [&](tcp::socket socket) {
    return std::make_shared<http::HttpSession>(std::move(socket), context);
  });
  rtmp.start();
  http.start();
  spdlog::info("sluice {} serving; data directory {}", SLUICE_VERSION, config.data_dir.string());

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("signal {}: shutting down", signal);
    rtmp.stop("server shutting down");
    http.stop("server shutting down");
    asio::co_spawn(io, drain_then_stop(io, {&rtmp, &http}), asio::detached);
  });
  io.run();
  spdlog::info("stopped");
  return 0;
}

}  // namespace sluice
