#pragma once
// One HTTP connection on the playback listener. Serves HTTP-FLV:
//   GET /{app}/{stream}.flv[?vhost=|?domain=]  (vhost otherwise from Host)
// as a chunked FLV body: header, metadata, sequence headers, cached GOP,
// then live frames, under the same slow-viewer rules as RTMP playback.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <memory>
#include <string>

#include "app/listener.hpp"
#include "app/server_context.hpp"
#include "http/play_request.hpp"
#include "media/stream_attachment.hpp"
#include "media/subscription.hpp"

namespace sluice::http {

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, ServerContext& context);
  boost::asio::awaitable<void> run() override;
  void close(const std::string& reason) override;

 private:
  using Request = boost::beast::http::request<boost::beast::http::empty_body>;

  boost::asio::awaitable<void> serve(const Request& request);
  boost::asio::awaitable<void> serve_flv(const Request& request, const PlayTarget& play);
  boost::asio::awaitable<void> stream_flv();
  boost::asio::awaitable<void> watch_peer();
  boost::asio::awaitable<void> respond(unsigned status, std::string_view body,
                                       bool head_only = false);
  boost::asio::awaitable<void> wait_wake(std::chrono::steady_clock::time_point until);
  void end_viewing();
  void on_subscription_news();

  boost::asio::ip::tcp::socket socket_;
  ServerContext& context_;
  const std::string peer_;
  bool closing_ = false;
  std::string close_reason_;
  std::string what_;  // "http-flv <peer> <stream>" for log lines

  std::shared_ptr<media::Stream> stream_;
  std::shared_ptr<media::Subscription> subscription_;
  // Removes the viewer from the stream on every way the session ends.
  media::StreamAttachment watching_;
  boost::asio::steady_timer wake_;
};

}  // namespace sluice::http
