#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <string_view>

#include "base/errors.hpp"
#include "flv_scanner.hpp"
#include "player.hpp"
#include "stalled_reader.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr size_t kReceiveBuffer = 64 * 1024;
constexpr size_t kMaxResponseHead = 16 * 1024;

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

class HttpFlvPlayer {
 public:
  HttpFlvPlayer(const Target& target, SessionStats& stats, const PlayerBehaviour& behaviour)
      : target_(target),
        stats_(stats),
        behaviour_(behaviour),
        tags_(&HttpFlvPlayer::on_tag, this) {}

  asio::awaitable<void> run() {
    auto executor = co_await asio::this_coro::executor;
    tcp::socket socket(executor);
    stats_.mark(Milestone::kStart, Clock::now());
    try {
      if (behaviour_.receive_buffer_bytes) {
        open_with_receive_buffer(socket, *behaviour_.receive_buffer_bytes);
      }
      co_await socket.async_connect({asio::ip::make_address(target_.host), target_.port},
                                    asio::use_awaitable);
      stats_.mark(Milestone::kConnected, Clock::now());
      const std::string request = "GET " + target_.http_path() +
                                  " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(target_.port) +
                                  "\r\nUser-Agent: sluice-load\r\nAccept: */*\r\n\r\n";
      co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
      stats_.mark(Milestone::kRequestSent, Clock::now());
      co_await receive(socket);
    } catch (const boost::system::system_error& e) {
      stats_.fail(stats_.has(Milestone::kConnected) ? "conn:" + e.code().message()
                                                    : "connect:" + e.code().message());
    } catch (const ProtocolError& e) {
      stats_.fail(std::string("protocol:") + e.what());
    }
  }

 private:
  static void on_tag(void* self, uint8_t type, uint32_t timestamp, std::span<const uint8_t> head) {
    auto* p = static_cast<HttpFlvPlayer*>(self);
    if (type == 8 || type == 9) p->stats_.on_media(type, timestamp, head, p->now_);
  }

  // Parses the status line and headers; returns where the body starts, or 0
  // while the head is incomplete.
  size_t parse_head(std::string_view data) {
    const auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (data.size() > kMaxResponseHead) throw ProtocolError("response head too long");
      return 0;
    }
    std::string_view head = data.substr(0, end + 2);
    const auto first_eol = head.find("\r\n");
    std::string_view status = head.substr(0, first_eol);
    if (status.size() < 12 || !status.starts_with("HTTP/1."))
      throw ProtocolError("bad status line");
    if (status.substr(9, 3) != "200")
      throw ProtocolError("http " + std::string(status.substr(9, 3)));
    size_t pos = first_eol + 2;
    while (pos < head.size()) {
      const auto eol = head.find("\r\n", pos);
      std::string_view line = head.substr(pos, eol - pos);
      if (iequals_prefix(line, "transfer-encoding:") &&
          line.find("chunked") != std::string_view::npos) {
        chunked_ = true;
      }
      pos = eol + 2;
    }
    stats_.mark(Milestone::kPlayStart, now_);
    return end + 4;
  }

  void body(std::span<const uint8_t> bytes) {
    if (!chunked_) {
      tags_.feed(bytes);
      return;
    }
    if (!chunks_.feed(bytes, [this](std::span<const uint8_t> b) { tags_.feed(b); })) {
      body_done_ = true;
    }
  }

  asio::awaitable<void> receive(tcp::socket& socket) {
    std::vector<uint8_t> buffer(kReceiveBuffer);
    size_t fill = 0;
    bool in_body = false;
    for (;;) {
      if (stop_reading_now()) {
        co_await hold_unread(socket, stats_);
        co_return;
      }
      auto [ec, n] =
          co_await socket.async_read_some(asio::buffer(buffer.data() + fill, buffer.size() - fill),
                                          asio::as_tuple(asio::use_awaitable));
      if (ec) {
        stats_.end(ec == asio::error::eof ? (body_done_ ? "stream_ended" : "closed_by_server")
                                          : "conn:" + ec.message());
        co_return;
      }
      now_ = Clock::now();
      stats_.add_bytes(n);
      if (in_body) {
        body({buffer.data(), n});
        continue;
      }
      fill += n;
      const size_t start = parse_head({reinterpret_cast<const char*>(buffer.data()), fill});
      if (start == 0) {
        if (fill == buffer.size()) throw ProtocolError("response head too long");
        continue;
      }
      in_body = true;
      if (start < fill) body({buffer.data() + start, fill - start});
      fill = 0;
    }
  }

  bool stop_reading_now() const {
    return behaviour_.stop_reading_at && now_ >= *behaviour_.stop_reading_at;
  }

  const Target& target_;
  SessionStats& stats_;
  PlayerBehaviour behaviour_;
  FlvTagScanner tags_;
  ChunkedDecoder chunks_;
  bool chunked_ = false;
  bool body_done_ = false;
  Clock::time_point now_{};
};

}  // namespace

asio::awaitable<void> run_http_flv_player(const Target& target, SessionStats& stats,
                                          const PlayerBehaviour& behaviour) {
  HttpFlvPlayer player(target, stats, behaviour);
  co_await player.run();
}

}  // namespace sluice::load
