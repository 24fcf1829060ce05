#pragma once
// What one HTTP listener serves: its routes (method + path pattern → handler)
// and the rules its connections read requests by (body limit, timeout, how an
// error is answered). The media listener and the API listener each build one;
// ServerSession (http/server_session.hpp) runs it.
//
// Two kinds of handler. An ordinary handler turns a request into a response
// and the connection goes on to the next request (keep-alive). A streaming
// handler takes the socket over and answers as long as it likes (HTTP-FLV);
// the connection ends with it.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/path_pattern.hpp"
#include "http/response_body.hpp"

namespace sluice::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<ResponseBody>;
using Verb = boost::beast::http::verb;

// One request as a handler sees it; valid for the duration of the call.
struct RequestContext {
  const Request& request;
  std::string_view path;   // percent-decoded
  std::string_view query;  // encoded, without '?'
  const RouteParams& params;
  std::string_view peer;  // "address:port"
};

using OrdinaryHandler = std::function<boost::asio::awaitable<Response>(const RequestContext&)>;

// Owns the connection from the request on; the session closes the socket
// once run() returns.
class StreamingHandler {
 public:
  virtual ~StreamingHandler() = default;
  virtual boost::asio::awaitable<void> run(boost::asio::ip::tcp::socket& socket) = 0;
  // The server is stopping or the handler must end (may be called while run() waits).
  virtual void close(const std::string& reason) = 0;
};
using StreamingFactory = std::function<std::shared_ptr<StreamingHandler>(const RequestContext&)>;

struct Route {
  std::vector<Verb> methods;
  PathPattern pattern;
  std::variant<OrdinaryHandler, StreamingFactory> handler;
};

// An answer the session gives itself (no route, wrong method, a request
// over a limit): the route set decides its body and headers.
struct HttpError {
  unsigned status = 0;  // 400, 404, 405, 413, 431
  std::string message;
  std::string_view target;  // as received; empty when the header was not read in full
};
using ErrorResponder = std::function<Response(const HttpError&)>;

class RouteSet {
 public:
  struct Match {
    const Route* route = nullptr;  // null: no route for this method
    RouteParams params;
    std::string allow;  // route null and allow empty: 404; allow set: 405 with this Allow
  };

  RouteSet(std::string name, ErrorResponder error_response)
      : name_(std::move(name)), error_response_(std::move(error_response)) {}

  // Throws std::invalid_argument for a bad pattern (a programming error).
  RouteSet& add(std::vector<Verb> methods, std::string_view pattern, OrdinaryHandler handler);
  RouteSet& add(std::vector<Verb> methods, std::string_view pattern, StreamingFactory handler);

  // The first route (in the order added) whose pattern and method match.
  Match match(Verb method, std::string_view path) const;

  const std::string& name() const { return name_; }  // for log lines
  Response error_response(const HttpError& error) const { return error_response_(error); }

  // Largest request body (413 above it).
  size_t body_limit = 0;
  // To read one request, and to wait for the next on a kept-alive connection.
  std::chrono::milliseconds read_timeout{10000};
  // Targets are split strictly (see split_target): a malformed one is
  // refused with 400. Off, the path is routed as sent (the API, which signs
  // the raw query, has always been lenient here).
  bool strict_targets = true;
  // When set, answers OPTIONS on any path (a CORS preflight).
  OrdinaryHandler preflight;

 private:
  std::string name_;
  ErrorResponder error_response_;
  std::vector<Route> routes_;
};

// "/path?query" split. Strict: a well-formed origin-form URI or nullopt,
// the path percent-decoded. Lenient: any target starting with '/', split at
// the first '?' and taken as sent (no validation, no decoding: the cheap
// path for the API, whose only route is "/"). nullopt: refuse with 400.
struct RequestTarget {
  std::string path;
  std::string_view query;  // encoded, without '?': a view into the target split
};
std::optional<RequestTarget> split_target(std::string_view target, bool strict);

}  // namespace sluice::http
