#include "api/api_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/request_reading.hpp"
#include "base/peer_address.hpp"

namespace sluice::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

http::response<http::string_body> plain_error(unsigned status, bool keep_alive, std::string text) {
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "text/plain");
  res.keep_alive(keep_alive);
  res.body() = std::move(text);
  res.prepare_payload();
  return res;
}

}  // namespace

ApiSession::ApiSession(asio::ip::tcp::socket socket, ApiService& service,
                       const config::ApiConfig& config)
    : stream_(std::move(socket)),
      service_(service),
      config_(config),
      peer_(peer_address(stream_.socket())) {}

void ApiSession::close(const std::string&) {
  closing_ = true;
  boost::system::error_code ignored;
  stream_.socket().cancel(ignored);
}

asio::awaitable<void> ApiSession::run() {
  auto self = shared_from_this();
  beast::flat_buffer buffer;
  try {
    while (!closing_) {
      RequestParser parser;
      apply_request_limits(parser, config_);
      stream_.expires_after(config_.idle_timeout);
      auto [ec, n] =
          co_await http::async_read(stream_, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec == http::error::body_limit) {
        co_await http::async_write(stream_, plain_error(413, false, "request body too large\n"),
                                   asio::use_awaitable);
        break;
      }
      if (ec) break;  // closed, timed out, or not HTTP: nothing more to say
      auto request = parser.release();
      auto result = service_.handle(to_api_request(request), std::chrono::system_clock::now());
      // Access log without headers: the Authorization header is no secret,
      // but nothing here needs it either.
      spdlog::debug("api {} {} {} {}", peer_, result.action, result.status, result.code);

      http::response<http::string_body> res{static_cast<http::status>(result.status),
                                            request.version()};
      res.set(http::field::content_type, "application/json; charset=utf-8");
      res.set(http::field::server, "sluice");
      res.keep_alive(request.keep_alive());
      res.body() = std::move(result.body);
      res.prepare_payload();
      stream_.expires_after(config_.idle_timeout);
      co_await http::async_write(stream_, res, asio::use_awaitable);
      if (!request.keep_alive()) break;
    }
  } catch (const boost::system::system_error& e) {
    spdlog::debug("api {} closed: {}", peer_, e.code().message());
  }
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace sluice::api
