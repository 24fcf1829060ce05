#include "http/http_session.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include "base/coroutine_warnings.hpp"
#include "base/first_error.hpp"
#include "base/peer_address.hpp"
#include "base/reset_connection.hpp"
#include "flv/flv_tag.hpp"
#include "http/lingering_close.hpp"
#include "http/play_request.hpp"
#include "rtmp/stream_name.hpp"

namespace sluice::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr std::string_view kCors =
    "Access-Control-Allow-Origin: *\r\n"
    "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
    "Access-Control-Allow-Headers: *\r\n";

std::string_view reason_phrase(unsigned status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Error";
  }
}

manage::AccessRequest flv_access(const beast::http::request<beast::http::empty_body>& request,
                                 const rtmp::ResolvedStream& resolved, const std::string& peer) {
  manage::AccessRequest access{manage::AccessAction::kPlay, manage::AccessProtocol::kHttpFlv,
                               resolved.key, resolved.domain, resolved.params, peer, {}};
  for (const auto& field : request) access.headers.emplace_back(field.name_string(), field.value());
  return access;
}

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, ServerContext& context)
    : socket_(std::move(socket)),
      context_(context),
      peer_(peer_address(socket_)),
      what_("http " + peer_),
      wake_(socket_.get_executor(), asio::steady_timer::time_point::max()) {}

void HttpSession::on_subscription_news() {
  if (subscription_->ending() != media::Subscription::Ending::kTooSlow) {
    wake_.cancel();
    return;
  }
  // The writer is most likely stuck in a write the viewer is not reading:
  // shut the socket so that write fails now instead of never.
  close("player too slow: skipped to a keyframe " + std::to_string(subscription_->skips()) +
        " times");
  reset_connection(socket_);
}

void HttpSession::close(const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = reason;
  wake_.cancel();
}

asio::awaitable<void> HttpSession::run() {
  auto self = shared_from_this();
  try {
    beast::flat_buffer buffer;
    RequestParser parser;
    apply_request_limits(parser);
    asio::steady_timer timeout(socket_.get_executor(), kRequestTimeout);
    FirstError failure;
    bool got_request = false;
    bool header_too_large = false;
    auto read = [&]() -> asio::awaitable<void> {
      boost::system::error_code ec;
      co_await beast::http::async_read(socket_, buffer, parser,
                                       asio::redirect_error(use_awaitable, ec));
      header_too_large = ec == beast::http::error::header_limit;
      if (ec && !header_too_large) throw boost::system::system_error(ec);
      got_request = !ec;
    };
    co_await (failure.guard(read()) || failure.guard(timeout.async_wait(use_awaitable)));
    failure.rethrow();
    if (header_too_large) {
      spdlog::warn("{} refused: request header over {} KiB", what_, kRequestHeaderLimit / 1024);
      co_await respond(431, fmt::format("request header over {} bytes\n", kRequestHeaderLimit));
      co_await lingering_close(socket_);
    }
    if (got_request) co_await serve(parser.get());
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::eof && e.code() != asio::error::operation_aborted &&
        e.code() != beast::http::error::end_of_stream) {
      spdlog::debug("{} closed: {}", what_, e.code().message());
    }
  }
  end_viewing();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (!close_reason_.empty()) spdlog::info("{} closed: {}", what_, close_reason_);
}

asio::awaitable<void> HttpSession::serve(const Request& request) {
  const auto method = request.method();
  if (method == beast::http::verb::options) co_return co_await respond(204, "");
  if (method != beast::http::verb::get && method != beast::http::verb::head) {
    co_return co_await respond(405, "method not allowed\n");
  }
  auto target = parse_play_target(request.target());
  if (target.kind == PlayTarget::Kind::kMalformed)
    co_return co_await respond(400, "bad request target\n");
  if (target.kind == PlayTarget::Kind::kFlv) co_return co_await serve_flv(request, target);
  co_await respond(404, "not found\n", method == beast::http::verb::head);
}

asio::awaitable<void> HttpSession::serve_flv(const Request& request, const PlayTarget& play) {
  const bool head_only = request.method() == beast::http::verb::head;
  rtmp::ConnectTarget target;
  target.app = play.app;
  target.host = host_without_port(request[beast::http::field::host]);
  target.params = rtmp::split_name("?" + play.query).params;
  auto resolution = rtmp::resolve(target, play.stream, context_.config);
  auto& resolved = resolution.stream;
  if (!resolved) {
    // The path is percent-decoded here, so "/%2e%2e/x.flv" is app ".." and refused too.
    spdlog::info("{} refused: {}", what_, resolution.refusal);
    co_return co_await respond(400, resolution.refusal + "\n", head_only);
  }

  what_ = "http-flv " + peer_ + " " + resolved->key.to_string();
  auto admission = context_.gate.admit_play(flv_access(request, *resolved, peer_));
  auto decision = co_await std::move(admission);
  if (!decision.allowed()) {
    spdlog::info("{} refused: {}", what_, decision.refusal->reason);
    co_return co_await respond(manage::http_status(*decision.refusal),
                               decision.refusal->reason + "\n", head_only);
  }
  stream_ = std::move(decision.stream);
  subscription_ = std::make_shared<media::Subscription>(context_.config.media,
                                                        [this] { on_subscription_news(); });
  stream_->add_viewer(subscription_);

  // A viewer that hangs up while it waits must give its connection slot back
  // now, not when the wait times out: watch the socket meanwhile.
  const auto deadline = Clock::now() + context_.config.media.play_wait_timeout;
  bool peer_left = false;
  auto wait_live = [&]() -> asio::awaitable<void> {
    while (!subscription_->publisher_live() && !closing_ && !peer_left && Clock::now() < deadline)
      co_await wait_wake(deadline);
  };
  auto watch = [&]() -> asio::awaitable<void> {
    std::array<char, 64> sink;
    boost::system::error_code ec;
    co_await socket_.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    peer_left = true;  // a player sends nothing after its request
    wake_.cancel();
  };
  co_await (wait_live() || watch());
  if (peer_left) {
    end_viewing();
    co_return;
  }
  if (!subscription_->publisher_live()) {
    end_viewing();
    co_return co_await respond(
        404, "stream " + resolved->key.to_string() + " is not being published\n", head_only);
  }

  std::string head = fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\n"
      "Cache-Control: no-cache\r\nConnection: close\r\n{}\r\n",
      kCors);
  if (head_only) {
    co_await asio::async_write(socket_, asio::buffer(head), use_awaitable);
    co_return;
  }
  auto header = flv::file_header();
  head += fmt::format("{:x}\r\n", header.size());
  head.append(header.begin(), header.end());
  head += "\r\n";
  co_await asio::async_write(socket_, asio::buffer(head), use_awaitable);
  spdlog::info("{} playing", what_);
  FirstError failure;
  co_await (failure.guard(stream_flv()) || failure.guard(watch_peer()));
  failure.rethrow();
}

asio::awaitable<void> HttpSession::stream_flv() {
  std::deque<media::QueueItem> items;
  std::vector<media::SharedBytes> tags;
  std::vector<asio::const_buffer> buffers;
  static constexpr std::string_view kCrlf = "\r\n";
  for (;;) {
    if (subscription_->ending() == media::Subscription::Ending::kTooSlow) {
      close("player too slow: skipped to a keyframe " + std::to_string(subscription_->skips()) +
            " times");
    }
    if (closing_) break;
    if (!subscription_->has_items()) {
      if (subscription_->ending() == media::Subscription::Ending::kStreamClosed) {
        close("publisher did not return within the grace period");
        break;
      }
      co_await wait_wake(Clock::time_point::max());
      continue;
    }
    items.clear();
    tags.clear();
    subscription_->drain_into(items);
    size_t total = 0;
    for (const auto& item : items) {
      if (!item.frame) continue;  // FLV has no in-band stream events
      tags.push_back(flv::shared_tag(*item.frame));
      total += tags.back()->size();
    }
    if (tags.empty()) continue;
    // One HTTP chunk per batch: the size line is the only per-viewer byte work.
    std::string size_line = fmt::format("{:x}\r\n", total);
    buffers.clear();
    buffers.push_back(asio::buffer(size_line));
    for (const auto& t : tags) buffers.push_back(asio::buffer(*t));
    buffers.push_back(asio::buffer(kCrlf));
    co_await asio::async_write(socket_, buffers, use_awaitable);
  }
  static constexpr std::string_view kLastChunk = "0\r\n\r\n";
  boost::system::error_code ec;
  co_await asio::async_write(socket_, asio::buffer(kLastChunk),
                             asio::redirect_error(use_awaitable, ec));
}

// A player never sends after its request; a read completing means it left.
asio::awaitable<void> HttpSession::watch_peer() {
  std::array<char, 512> sink;
  boost::system::error_code ec;
  while (!ec)
    co_await socket_.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> HttpSession::wait_wake(Clock::time_point until) {
  wake_.expires_at(until);
  boost::system::error_code ec;
  co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> HttpSession::respond(unsigned status, std::string_view body, bool head_only) {
  std::string response = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: "
      "close\r\n{}\r\n",
      status, reason_phrase(status), body.size(), kCors);
  if (!head_only) response += body;
  co_await asio::async_write(socket_, asio::buffer(response), use_awaitable);
}

void HttpSession::end_viewing() {
  if (!subscription_) return;
  stream_->remove_viewer(subscription_.get());
  subscription_.reset();
}

}  // namespace sluice::http
