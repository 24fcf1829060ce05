#pragma once
// HTTP-FLV playback, the media listener's streaming route:
//   GET|HEAD /{app}/{stream*}.flv[?vhost=|?domain=]  (vhost otherwise from Host)
// Resolves the name, waits (up to media.play_wait_timeout) for a publisher,
// then sends a chunked FLV body: header, metadata, sequence headers, cached
// GOP, then live frames, under the same slow-viewer rules as RTMP playback.
// Its answers end the connection ("Connection: close"), as they always did.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/route_set.hpp"
#include "manage/lifecycle_events.hpp"
#include "media/stream_attachment.hpp"
#include "media/subscription.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

class FlvPlayback : public StreamingHandler, public std::enable_shared_from_this<FlvPlayback> {
 public:
  FlvPlayback(ServerContext& context, const RequestContext& request);
  boost::asio::awaitable<void> run(boost::asio::ip::tcp::socket& socket) override;
  // From the server session: the server is stopping.
  void close(const std::string& reason) override;
  ~FlvPlayback() override;

 private:
  boost::asio::awaitable<void> play();
  boost::asio::awaitable<void> stream_flv();
  boost::asio::awaitable<void> watch_peer();
  boost::asio::awaitable<void> respond(unsigned status, std::string_view body);
  boost::asio::awaitable<void> wait_wake(std::chrono::steady_clock::time_point until);
  void end_viewing();
  // Ends the play for `why` (the first reason given wins).
  void stop(manage::PlayEnd why, const std::string& reason);
  void on_subscription_news();

  ServerContext& context_;
  const bool head_only_;
  const std::string host_;  // the Host header
  const std::string app_;
  const std::string stream_name_;
  const std::string query_;  // encoded, without '?'
  const std::string peer_;
  std::vector<std::pair<std::string, std::string>> headers_;  // for the access gate
  std::string what_;  // "http-flv <peer> <stream>" for log lines

  boost::asio::ip::tcp::socket* socket_ = nullptr;  // while run() runs
  std::optional<boost::asio::steady_timer> wake_;
  bool closing_ = false;
  std::string close_reason_;
  std::shared_ptr<media::Stream> stream_;
  std::shared_ptr<media::Subscription> subscription_;
  media::StreamAttachment watching_;  // removes the viewer on every way out
  manage::PlayTicket play_;           // reports the play's end to the lifecycle events
  manage::PlayEnd play_end_ = manage::PlayEnd::kViewerLeft;
  uint64_t bytes_out_ = 0;
  // Counts `bytes` written to the player, for the play and for its stream.
  void count_sent(size_t bytes);
};

}  // namespace sluice::http
