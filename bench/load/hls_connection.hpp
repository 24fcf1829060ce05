#pragma once
// One HLS viewer's keep-alive HTTP/1.1 connection, shared by the classic
// and the LL-HLS player: GETs (reconnecting when the server closed the
// connection), the playlist with its redirects followed (sluice's 302 to the
// hls_ctx session URL; the final request target is used for every reload),
// and media fetched by a URI resolved against the playlist. Milestones and
// body bytes go into the viewer's stats.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "media_playlist.hpp"
#include "session_stats.hpp"
#include "target.hpp"

namespace sluice::load {

class HlsConnection {
 public:
  using Response = boost::beast::http::response<boost::beast::http::vector_body<uint8_t>>;

  HlsConnection(const Target& target, SessionStats& stats);

  // Connects, runs `follow`, and records how the viewer ended (a socket
  // error or a protocol error) in the stats.
  boost::asio::awaitable<void> play(std::function<boost::asio::awaitable<void>()> follow);

  boost::asio::awaitable<Response> get(const std::string& path);
  // The playlist, with `directives` ("_HLS_msn=3&_HLS_part=1") added to its
  // query when not empty.
  boost::asio::awaitable<MediaPlaylist> load_playlist(std::string_view directives = {});
  // A segment, part or init section named by the playlist; nullopt for a
  // 404 when `missing_ok` (a preload hint that never came), else a
  // ProtocolError for anything but 200.
  boost::asio::awaitable<std::optional<Response>> fetch(std::string_view uri, const char* what,
                                                        bool missing_ok = false);

 private:
  boost::asio::awaitable<void> connect();

  const Target& target_;
  SessionStats& stats_;
  std::string authority_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  std::string playlist_path_;
};

}  // namespace sluice::load
