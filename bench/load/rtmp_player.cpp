#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "base/byte_io.hpp"
#include "base/errors.hpp"
#include "chunk_scanner.hpp"
#include "player.hpp"
#include "rtmp_client.hpp"
#include "stalled_reader.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using rtmp::amf0::Value;

constexpr size_t kReceiveBuffer = 64 * 1024;

class RtmpPlayer final : public ChunkScanner::Sink {
 public:
  RtmpPlayer(const Target& target, SessionStats& stats, const PlayerBehaviour& behaviour)
      : target_(target), stats_(stats), behaviour_(behaviour) {}

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
      socket.set_option(tcp::no_delay(true));
      co_await rtmp_handshake(socket);
      stats_.add_bytes(1 + 2 * 1536);  // S0 S1 S2 count toward Acknowledgements
      stats_.mark(Milestone::kHandshake, Clock::now());
      append_connect(out_, target_);
      co_await flush(socket);
      co_await receive(socket);
    } catch (const boost::system::system_error& e) {
      stats_.fail(stats_.has(Milestone::kConnected) ? "conn:" + e.code().message()
                                                    : "connect:" + e.code().message());
    } catch (const ProtocolError& e) {
      stats_.fail(std::string("protocol:") + e.what());
    }
  }

  void on_media(uint8_t type, uint32_t timestamp, uint32_t,
                std::span<const uint8_t> head) override {
    stats_.on_media(type, timestamp, head, now_);
  }

  void on_message(rtmp::Message&& message) override {
    manners_.on_message(message, out_);
    auto command = decode_command(message);
    if (!command) return;
    if (command->name == "_result" && command->transaction == 1 && state_ == State::kConnect) {
      state_ = State::kCreateStream;
      append_command(out_, 0, {Value::string("createStream"), Value::number(2), Value::null()});
    } else if (command->name == "_result" && command->transaction == 2 &&
               state_ == State::kCreateStream) {
      state_ = State::kPlay;
      if (command->values.size() > 3 && command->values[3].is_number()) {
        stream_id_ = static_cast<uint32_t>(command->values[3].as_number());
      }
      // Set Buffer Length 3000 ms, as ffmpeg sends it before play.
      std::vector<uint8_t> p;
      ByteWriter w(p);
      w.u16be(rtmp::kSetBufferLength);
      w.u32be(stream_id_);
      w.u32be(3000);
      append_message(out_, 2, rtmp::kUserControl, 0, 0, p);
      append_command(out_, stream_id_,
                     {Value::string("play"), Value::number(4), Value::null(),
                      Value::string(target_.stream_with_query()), Value::number(-1000)},
                     8);
      play_requested_ = true;
    } else if (command->name == "_error") {
      throw ProtocolError("_error in state " + std::to_string(static_cast<int>(state_)));
    } else if (command->name == "onStatus") {
      const std::string code = command->status_code();
      if (code == "NetStream.Play.Start") {
        stats_.mark(Milestone::kPlayStart, now_);
      } else if (code.find("Failed") != std::string::npos ||
                 code.find("NotFound") != std::string::npos ||
                 code.find("BadName") != std::string::npos) {
        throw ProtocolError("onStatus " + code);
      }
    }
  }

 private:
  enum class State { kConnect, kCreateStream, kPlay };

  asio::awaitable<void> flush(tcp::socket& socket) {
    if (out_.empty()) co_return;
    co_await asio::async_write(socket, asio::buffer(out_), asio::use_awaitable);
    out_.clear();
    if (play_requested_) {
      play_requested_ = false;
      stats_.mark(Milestone::kRequestSent, Clock::now());
    }
  }

  asio::awaitable<void> receive(tcp::socket& socket) {
    std::vector<uint8_t> buffer(kReceiveBuffer);
    size_t fill = 0;
    for (;;) {
      if (stop_reading_now()) {
        co_await hold_unread(socket, stats_);
        co_return;
      }
      auto [ec, n] =
          co_await socket.async_read_some(asio::buffer(buffer.data() + fill, buffer.size() - fill),
                                          asio::as_tuple(asio::use_awaitable));
      if (ec) {
        stats_.end(ec == asio::error::eof ? "closed_by_server" : "conn:" + ec.message());
        co_return;
      }
      now_ = Clock::now();
      stats_.add_bytes(n);
      fill += n;
      const size_t used = scanner_.scan({buffer.data(), fill}, *this);
      if (used < fill) std::memmove(buffer.data(), buffer.data() + used, fill - used);
      fill -= used;
      manners_.maybe_acknowledge(stats_.bytes(), out_);
      co_await flush(socket);
    }
  }

  bool stop_reading_now() const {
    return behaviour_.stop_reading_at && now_ >= *behaviour_.stop_reading_at;
  }

  const Target& target_;
  SessionStats& stats_;
  PlayerBehaviour behaviour_;
  ChunkScanner scanner_;
  ControlManners manners_;
  std::vector<uint8_t> out_;
  State state_ = State::kConnect;
  uint32_t stream_id_ = 1;
  bool play_requested_ = false;
  Clock::time_point now_{};
};

}  // namespace

asio::awaitable<void> run_rtmp_player(const Target& target, SessionStats& stats,
                                      const PlayerBehaviour& behaviour) {
  RtmpPlayer player(target, stats, behaviour);
  co_await player.run();
}

}  // namespace sluice::load
