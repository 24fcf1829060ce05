#include "hooks/http_post.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "base/coroutine_warnings.hpp"
#include "base/url_parts.hpp"

namespace sluice::hooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace asio::experimental::awaitable_operators;

// A receiver's headers are small; anything bigger is not one.
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

struct Target {
  std::string host;  // for the resolver: a name or an address without brackets
  std::string port;
  std::string host_header;
  std::string path_and_query;
};

Target target_of(const UrlParts& url) {
  Target t;
  t.host = url.host;
  t.port = url.has_port ? url.port : "80";
  t.host_header = url.host_and_port;
  t.path_and_query = url.encoded_path.empty() ? "/" : url.encoded_path;
  if (url.has_query) t.path_and_query += "?" + url.encoded_query;
  return t;
}

std::string describe(const boost::system::error_code& ec, size_t max_response_bytes) {
  if (ec == bhttp::error::body_limit)
    return "its answer is longer than " + std::to_string(max_response_bytes) + " bytes";
  if (ec == bhttp::error::header_limit) return "its answer's header is too long";
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
    return "its answer is not HTTP (" + ec.message() + ")";
  if (ec == asio::error::eof || ec == bhttp::error::end_of_stream)
    return "it closed the connection without an answer";
  return ec.message();
}

}  // namespace

asio::awaitable<PostResult> post(asio::any_io_executor executor, std::string url,
                                 std::string json_body, PostOptions options) {
  PostResult result;
  if (auto problem = plain_http_url_problem(url)) {
    result.error = "unusable URL: " + *problem;
    co_return result;
  }
  const auto target = target_of(*parse_url_parts(url));
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  try {
    // The resolver is not covered by the stream's deadline: race it.
    asio::ip::tcp::resolver resolver(executor);
    asio::steady_timer timer(executor, deadline);
    auto resolving = resolver.async_resolve(target.host, target.port, asio::use_awaitable);
    auto expiring = timer.async_wait(asio::use_awaitable);
    auto resolved = co_await (std::move(resolving) || std::move(expiring));
    if (resolved.index() == 1) {
      result.timed_out = true;
      result.error = "timed out resolving " + target.host;
      co_return result;
    }

    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);  // one deadline for connect, write and read
    co_await stream.async_connect(std::get<0>(resolved), asio::use_awaitable);

    bhttp::request<bhttp::string_body> request{bhttp::verb::post, target.path_and_query, 11};
    request.set(bhttp::field::host, target.host_header);
    request.set(bhttp::field::user_agent, "sluice/" SLUICE_VERSION);
    request.set(bhttp::field::content_type, "application/json");
    request.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : options.headers) request.set(name, value);
    request.body() = std::move(json_body);
    request.prepare_payload();
    co_await bhttp::async_write(stream, request, asio::use_awaitable);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(options.max_response_bytes);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    result.status = parser.get().result_int();
    result.body = std::move(parser.get().body());
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  } catch (const boost::system::system_error& e) {
    result.status.reset();
    result.body.clear();
    result.timed_out = e.code() == beast::error::timeout;
    result.error = result.timed_out
                       ? "timed out after " + std::to_string(options.timeout.count()) + " ms"
                       : describe(e.code(), options.max_response_bytes);
  }
  co_return result;
}

}  // namespace sluice::hooks
