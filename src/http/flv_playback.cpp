#include "http/flv_playback.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <vector>

#include "base/coroutine_warnings.hpp"
#include "base/first_error.hpp"
#include "base/reset_connection.hpp"
#include "base/untrusted_text.hpp"
#include "flv/flv_tag.hpp"
#include "http/play_request.hpp"
#include "media/stream_name.hpp"

namespace sluice::http {

namespace asio = boost::asio;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kCors = "Access-Control-Allow-Origin: *\r\n";  // http/cors.hpp

std::string_view reason_phrase(unsigned status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    default:
      return "Error";
  }
}

// A write failing because the player went away ends the play as "viewer
// left", like a read seeing the hang-up; anything else is an error.
bool viewer_hung_up(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const boost::system::system_error& e) {
    return e.code() == asio::error::broken_pipe || e.code() == asio::error::connection_reset ||
           e.code() == asio::error::eof;
  } catch (...) {
    return false;
  }
}

}  // namespace

FlvPlayback::FlvPlayback(ServerContext& context, const RequestContext& request)
    : context_(context),
      head_only_(request.request.method() == Verb::head),
      host_(request.request[boost::beast::http::field::host]),
      app_(request.params.get("app")),
      stream_name_(request.params.get("stream")),
      query_(request.query),
      peer_(request.peer),
      headers_(request_headers(request.request)),
      what_("http " + peer_) {}

FlvPlayback::~FlvPlayback() {
  end_viewing();
}

void FlvPlayback::on_subscription_news() {
  if (subscription_->ending() != media::Subscription::Ending::kTooSlow) {
    if (wake_) wake_->cancel();
    return;
  }
  // The writer is most likely stuck in a write the viewer is not reading:
  // shut the socket so that write fails now instead of never.
  stop(manage::PlayEnd::kTooSlow, "player too slow: skipped to a keyframe " +
                                      std::to_string(subscription_->skips()) + " times");
  if (socket_) reset_connection(*socket_);
}

void FlvPlayback::close(const std::string& reason) {
  stop(manage::PlayEnd::kShutdown, reason);
}

void FlvPlayback::stop(manage::PlayEnd why, const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  play_end_ = why;
  close_reason_ = reason;
  if (wake_) wake_->cancel();
}

asio::awaitable<void> FlvPlayback::run(asio::ip::tcp::socket& socket) {
  socket_ = &socket;
  wake_.emplace(socket.get_executor(), asio::steady_timer::time_point::max());
  try {
    co_await play();
  } catch (...) {
    end_viewing();
    socket_ = nullptr;
    if (!closing_)
      play_end_ = viewer_hung_up(std::current_exception()) ? manage::PlayEnd::kViewerLeft
                                                           : manage::PlayEnd::kError;
    play_.finish(play_end_, bytes_out_);
    if (!close_reason_.empty()) spdlog::info("{} closed: {}", what_, close_reason_);
    throw;
  }
  end_viewing();
  socket_ = nullptr;
  play_.finish(play_end_, bytes_out_);
  if (!close_reason_.empty()) spdlog::info("{} closed: {}", what_, close_reason_);
}

// The stream is looked up, admitted and waited for here, in one place.
asio::awaitable<void> FlvPlayback::play() {
  auto resolution = resolve_play(context_.config, host_, app_, stream_name_, query_);
  auto& resolved = resolution.stream;
  if (!resolved) {
    // The path is percent-decoded here, so "/%2e%2e/x.flv" is app ".." and refused too.
    context_.gate.refused_unresolved(manage::AccessAction::kPlay, manage::AccessProtocol::kHttpFlv,
                                     peer_, printable(app_ + "/" + stream_name_),
                                     {manage::Refusal::Kind::kBadName, resolution.refusal});
    co_return co_await respond(400, resolution.refusal + "\n");
  }

  what_ = "http-flv " + peer_ + " " + resolved->key.to_string();
  manage::AccessRequest access{manage::AccessAction::kPlay,
                               manage::AccessProtocol::kHttpFlv,
                               resolved->key,
                               resolved->domain,
                               resolved->params,
                               peer_,
                               headers_};
  auto admission = context_.gate.admit_play(std::move(access));
  auto decision = co_await std::move(admission);
  if (!decision.allowed()) {
    co_return co_await respond(manage::http_status(*decision.refusal),
                               decision.refusal->reason + "\n");
  }
  play_ = std::move(decision.play);
  stream_ = std::move(decision.stream);
  subscription_ =
      std::make_shared<media::Subscription>(context_.config.media, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_subscription_news();
      });
  watching_ = stream_->add_viewer(subscription_);

  // A viewer that hangs up while it waits must give its connection slot back
  // now, not when the wait times out: watch the socket meanwhile.
  const auto deadline = Clock::now() + context_.config.media.play_wait_timeout;
  bool peer_left = false;
  // The FLV header announces the stream's tracks, so wait until they are
  // known too (a few ms after a publish starts): a player told of a track
  // that never comes waits for it (ffmpeg: many seconds) before it plays.
  auto ready = [&] { return subscription_->publisher_live() && stream_->tracks(); };
  auto wait_live = [&]() -> asio::awaitable<void> {
    while (!ready() && !closing_ && !peer_left && Clock::now() < deadline)
      co_await wait_wake(deadline);
  };
  auto watch = [&]() -> asio::awaitable<void> {
    std::array<char, 64> sink;
    boost::system::error_code ec;
    co_await socket_->async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    peer_left = true;  // a player sends nothing after its request
    wake_->cancel();
  };
  co_await (wait_live() || watch());
  if (peer_left) co_return;
  if (!subscription_->publisher_live()) {
    end_viewing();
    play_end_ = closing_ ? play_end_ : manage::PlayEnd::kNotPublished;
    co_return co_await respond(404,
                               "stream " + resolved->key.to_string() + " is not being published\n");
  }

  std::string head = fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\n"
      "Cache-Control: no-cache\r\nConnection: close\r\n{}\r\n",
      kCors);
  if (head_only_) {
    count_sent(co_await asio::async_write(*socket_, asio::buffer(head), use_awaitable));
    play_end_ = manage::PlayEnd::kCompleted;
    co_return;
  }
  // Tracks still unknown at the deadline (a publisher that sends no media):
  // announce both, as before.
  const auto tracks = stream_->tracks().value_or(media::Tracks{true, true});
  auto header = flv::file_header(tracks.audio, tracks.video);
  head += fmt::format("{:x}\r\n", header.size());
  head.append(header.begin(), header.end());
  head += "\r\n";
  count_sent(co_await asio::async_write(*socket_, asio::buffer(head), use_awaitable));
  FirstError failure;
  co_await (failure.guard(stream_flv()) || failure.guard(watch_peer()));
  failure.rethrow();
}

asio::awaitable<void> FlvPlayback::stream_flv() {
  std::deque<media::QueueItem> items;
  std::vector<media::SharedBytes> tags;
  std::vector<asio::const_buffer> buffers;
  static constexpr std::string_view kCrlf = "\r\n";
  for (;;) {
    if (subscription_->ending() == media::Subscription::Ending::kTooSlow) {
      stop(manage::PlayEnd::kTooSlow, "player too slow: skipped to a keyframe " +
                                          std::to_string(subscription_->skips()) + " times");
    }
    if (closing_) break;
    if (!subscription_->has_items()) {
      if (subscription_->ending() == media::Subscription::Ending::kStreamClosed) {
        stop(manage::PlayEnd::kStreamEnded, "publisher did not return within the grace period");
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
    count_sent(co_await asio::async_write(*socket_, buffers, use_awaitable));
  }
  static constexpr std::string_view kLastChunk = "0\r\n\r\n";
  boost::system::error_code ec;
  count_sent(co_await asio::async_write(*socket_, asio::buffer(kLastChunk),
                                        asio::redirect_error(use_awaitable, ec)));
}

void FlvPlayback::count_sent(size_t bytes) {
  bytes_out_ += bytes;
  if (stream_) stream_->count_sent(bytes);
}

// A player never sends after its request; a read completing means it left.
asio::awaitable<void> FlvPlayback::watch_peer() {
  std::array<char, 512> sink;
  boost::system::error_code ec;
  while (!ec)
    co_await socket_->async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> FlvPlayback::wait_wake(Clock::time_point until) {
  wake_->expires_at(until);
  boost::system::error_code ec;
  co_await wake_->async_wait(asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> FlvPlayback::respond(unsigned status, std::string_view body) {
  std::string response = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: "
      "close\r\n{}\r\n",
      status, reason_phrase(status), body.size(), kCors);
  if (!head_only_) response += body;
  co_await asio::async_write(*socket_, asio::buffer(response), use_awaitable);
}

void FlvPlayback::end_viewing() {
  if (!subscription_) return;
  watching_.reset();
  subscription_.reset();
}

}  // namespace sluice::http
