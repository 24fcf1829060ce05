#include "http/server_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "base/peer_address.hpp"
#include "base/untrusted_text.hpp"
#include "http/lingering_close.hpp"

// GCC 12-14 report a mismatched new/delete when they inline an awaitable's
// frame allocation (asio's aligned_alloc) next to its operator delete in
// this file's coroutines; the pair is asio's own and matches. A known false
// positive, silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace sluice::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

ServerSession::ServerSession(asio::ip::tcp::socket socket, const RouteSet& routes)
    : socket_(std::move(socket)),
      deadline_(socket_),
      routes_(routes),
      peer_(peer_address(socket_)) {}

void ServerSession::close(const std::string& reason) {
  closing_ = true;
  if (streaming_) return streaming_->close(reason);
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

asio::awaitable<void> ServerSession::run() {
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(), [self]() { return self->deadline_.watch(); }, asio::detached);
  beast::flat_buffer buffer;
  try {
    while (!closing_) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kRequestHeaderLimit);
      parser.body_limit(routes_.body_limit);
      deadline_.expires_after(routes_.read_timeout);
      auto [ec, n] =
          co_await bhttp::async_read(socket_, buffer, parser, asio::as_tuple(asio::use_awaitable));
      deadline_.expires_never();  // the handler keeps its own time
      if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
        // The start line is there when the header was read in full (an
        // oversized body is refused on its Content-Length), empty when not.
        HttpError error;
        error.target = parser.get().target();
        if (ec == bhttp::error::body_limit) {
          error.status = 413;
          error.message = "request body over " + std::to_string(routes_.body_limit) + " bytes";
        } else {
          error.status = 431;
          error.message = "request header over " + std::to_string(kRequestHeaderLimit) + " bytes";
        }
        co_await refuse(error);
        break;
      }
      if (ec) break;  // closed, timed out, or not HTTP: nothing more to say
      if (!co_await serve(parser.get())) break;
    }
  } catch (const boost::system::system_error& e) {
    spdlog::debug("{} {} closed: {}", routes_.name(), peer_, e.code().message());
  } catch (const std::exception& e) {
    spdlog::warn("{} {} closed: {}", routes_.name(), peer_, printable(e.what()));
  }
  if (deadline_.passed()) spdlog::debug("{} {} closed: read timeout", routes_.name(), peer_);
  deadline_.stop();
  streaming_.reset();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

asio::awaitable<bool> ServerSession::serve(const Request& request) {
  const auto target = split_target(request.target(), routes_.strict_targets);
  if (!target) {
    co_return co_await respond(
        request, routes_.error_response({400, "bad request target", request.target()}));
  }
  const RouteParams no_params;
  RequestContext context{request, target->path, target->query, no_params, peer_};
  if (request.method() == Verb::options && routes_.preflight) {
    auto response = co_await routes_.preflight(context);
    co_return co_await respond(request, std::move(response));
  }
  const auto match = routes_.match(request.method(), target->path);
  if (!match.route) {
    const bool wrong_method = !match.allow.empty();
    auto response = routes_.error_response(
        {wrong_method ? 405u : 404u,
         wrong_method ? "method not allowed (allowed: " + match.allow + ")" : "not found",
         request.target()});
    if (wrong_method) response.set(bhttp::field::allow, match.allow);
    co_return co_await respond(request, std::move(response));
  }
  RequestContext routed{request, target->path, target->query, match.params, peer_};
  if (const auto* ordinary = std::get_if<OrdinaryHandler>(&match.route->handler)) {
    auto response = co_await (*ordinary)(routed);
    co_return co_await respond(request, std::move(response));
  }
  streaming_ = std::get<StreamingFactory>(match.route->handler)(routed);
  if (closing_) co_return false;
  co_await streaming_->run(socket_);
  streaming_.reset();
  co_return false;
}

asio::awaitable<bool> ServerSession::respond(const Request& request, Response response) {
  const bool keep_alive = request.keep_alive() && !closing_;
  response.version(request.version());
  response.keep_alive(keep_alive);
  response.prepare_payload();
  deadline_.expires_after(routes_.read_timeout);
  if (request.method() == Verb::head) {
    bhttp::response_serializer<ResponseBody> serializer(response);
    co_await bhttp::async_write_header(socket_, serializer, asio::use_awaitable);
  } else {
    co_await bhttp::async_write(socket_, response, asio::use_awaitable);
  }
  co_return keep_alive;  // the next read sets its own deadline
}

asio::awaitable<void> ServerSession::refuse(const HttpError& error) {
  spdlog::warn("{} {} refused: {}", routes_.name(), peer_, error.message);
  auto response = routes_.error_response(error);
  response.version(11);
  response.keep_alive(false);
  response.prepare_payload();
  deadline_.expires_after(routes_.read_timeout);
  co_await bhttp::async_write(socket_, response, asio::use_awaitable);
  deadline_.expires_never();  // lingering_close keeps its own time
  co_await lingering_close(socket_);
}

}  // namespace sluice::http
