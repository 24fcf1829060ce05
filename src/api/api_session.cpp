#include "api/api_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/envelope.hpp"
#include "api/request_reading.hpp"
#include "base/peer_address.hpp"
#include "base/untrusted_text.hpp"
#include "http/lingering_close.hpp"

namespace sluice::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// The answer to a request refused before it was read in full: the error
// envelope.
http::response<http::string_body> refusal(const RequestParser& parser, const ApiError& error,
                                          const std::string& region) {
  // The start line is there when the header was read in full (an oversized
  // body is refused on its Content-Length), empty when the header was too large.
  const std::string_view target = parser.get().target();
  ApiRequest request;
  if (const auto q = target.find('?'); q != std::string_view::npos)
    request.query = sign::decode_query(target.substr(q + 1));
  ResponseMetadata meta{new_request_id(), printable(request.query_param("Action").value_or("")),
                        printable(request.query_param("Version").value_or("")), region};
  http::response<http::string_body> res{static_cast<http::status>(error.http_status()), 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::server, "sluice");
  res.keep_alive(false);
  res.body() = error_body(meta, error);
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
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        const auto error =
            ec == http::error::body_limit
                ? ApiError::request_entity_too_large("request body over api.max_body_bytes (" +
                                                     std::to_string(config_.max_body_bytes) +
                                                     " bytes)")
                : ApiError::request_header_fields_too_large(
                      "request header over " + std::to_string(kRequestHeaderLimit) + " bytes");
        spdlog::warn("api {} refused: {}", peer_, error.what());
        stream_.expires_after(config_.idle_timeout);
        co_await http::async_write(stream_, refusal(parser, error, config_.region),
                                   asio::use_awaitable);
        stream_.expires_never();
        co_await sluice::http::lingering_close(stream_.socket());
        break;
      }
      if (ec) break;  // closed, timed out, or not HTTP: nothing more to say
      auto request = parser.release();
      auto handling = service_.handle(to_api_request(request), std::chrono::system_clock::now());
      auto result = co_await std::move(handling);
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
