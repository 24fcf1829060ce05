#include "hls_connection.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "base/errors.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

constexpr uint64_t kMaxBody = 64 * 1024 * 1024;
constexpr int kMaxRedirects = 5;

}  // namespace

HlsConnection::HlsConnection(const Target& target, SessionStats& stats)
    : target_(target),
      stats_(stats),
      authority_("127.0.0.1:" + std::to_string(target.port)),
      playlist_path_(target.http_path()) {}

asio::awaitable<void> HlsConnection::play(std::function<asio::awaitable<void>()> follow) {
  socket_.emplace(co_await asio::this_coro::executor);
  stats_.mark(Milestone::kStart, Clock::now());
  try {
    co_await connect();
    stats_.mark(Milestone::kConnected, Clock::now());
    co_await follow();
  } catch (const boost::system::system_error& e) {
    stats_.fail(stats_.has(Milestone::kConnected) ? "conn:" + e.code().message()
                                                  : "connect:" + e.code().message());
  } catch (const ProtocolError& e) {
    stats_.fail(std::string("protocol:") + e.what());
  }
}

asio::awaitable<void> HlsConnection::connect() {
  socket_->close();
  co_await socket_->async_connect({asio::ip::make_address(target_.host), target_.port},
                                  asio::use_awaitable);
  buffer_.clear();
}

asio::awaitable<HlsConnection::Response> HlsConnection::get(const std::string& path) {
  if (!socket_->is_open()) co_await connect();
  http::request<http::empty_body> request{http::verb::get, path, 11};
  request.set(http::field::host, authority_);
  request.set(http::field::user_agent, "sluice-load");
  co_await http::async_write(*socket_, request, asio::use_awaitable);
  stats_.mark(Milestone::kRequestSent, Clock::now());
  http::response_parser<Response::body_type> parser;
  parser.body_limit(kMaxBody);
  co_await http::async_read(*socket_, buffer_, parser, asio::use_awaitable);
  auto response = parser.release();
  if (!response.keep_alive()) socket_->close();
  co_return response;
}

asio::awaitable<MediaPlaylist> HlsConnection::load_playlist(std::string_view directives) {
  for (int hop = 0;; ++hop) {
    std::string path = playlist_path_;
    if (!directives.empty()) {
      path += path.find('?') == std::string::npos ? '?' : '&';
      path += directives;
    }
    auto response = co_await get(path);
    const auto status = response.result_int();
    if (status >= 300 && status < 400 && hop < kMaxRedirects) {
      auto next = resolve_reference(playlist_path_, response[http::field::location], authority_);
      if (!next) throw ProtocolError("redirect off this server");
      playlist_path_ = *next;
      continue;
    }
    if (status != 200) throw ProtocolError("playlist http " + std::to_string(status));
    stats_.mark(Milestone::kPlayStart, Clock::now());
    stats_.add_bytes(response.body().size());
    std::string error;
    auto playlist = parse_media_playlist(
        {reinterpret_cast<const char*>(response.body().data()), response.body().size()}, error);
    if (!playlist) throw ProtocolError(error);
    co_return std::move(*playlist);
  }
}

asio::awaitable<std::optional<HlsConnection::Response>> HlsConnection::fetch(std::string_view uri,
                                                                             const char* what,
                                                                             bool missing_ok) {
  auto path = resolve_reference(playlist_path_, uri, authority_);
  if (!path) throw ProtocolError(std::string(what) + " off this server");
  auto response = co_await get(*path);
  const auto status = response.result_int();
  if (status == 404 && missing_ok) co_return std::nullopt;
  if (status != 200) throw ProtocolError(std::string(what) + " http " + std::to_string(status));
  stats_.add_bytes(response.body().size());
  co_return std::move(response);
}

}  // namespace sluice::load
