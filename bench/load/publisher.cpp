#include "publisher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "base/errors.hpp"
#include "chunk_scanner.hpp"
#include "rtmp/protocol_messages.hpp"
#include "rtmp_client.hpp"
#include "wallclock_sei.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using asio::ip::tcp;
using rtmp::amf0::Value;

class Publisher final : public ChunkScanner::Sink {
 public:
  Publisher(const Target& target, const FlvFile& file, bool loop, Clock::time_point end,
            PublisherResult& result, bool stamp_wallclock)
      : target_(target),
        file_(file),
        loop_(loop),
        end_(end),
        result_(result),
        stamp_wallclock_(stamp_wallclock) {}

  asio::awaitable<void> run() {
    auto executor = co_await asio::this_coro::executor;
    tcp::socket socket(executor);
    result_.stream = target_.stream;
    const auto start = Clock::now();
    try {
      co_await socket.async_connect({asio::ip::make_address(target_.host), target_.port},
                                    asio::use_awaitable);
      socket.set_option(tcp::no_delay(true));
      co_await rtmp_handshake(socket);
      append_connect(out_, target_);
      co_await flush(socket);
      while (!publishing_) co_await receive_once(socket);
      const auto started = Clock::now();
      result_.started = started;
      result_.published = true;
      result_.publish_start_ms = std::chrono::duration<double, std::milli>(started - start).count();
      co_await (send_media(socket) || drain(socket));
      result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    } catch (const boost::system::system_error& e) {
      result_.error = "conn:" + e.code().message();
    } catch (const ProtocolError& e) {
      result_.error = std::string("protocol:") + e.what();
    }
  }

  void on_media(uint8_t, uint32_t, uint32_t, std::span<const uint8_t>) override {}

  void on_message(rtmp::Message&& message) override {
    manners_.on_message(message, replies_);
    auto command = decode_command(message);
    if (!command) return;
    const Value null;
    const Value name = Value::string(target_.stream_with_query());
    if (command->name == "_result" && command->transaction == 1) {
      append_command(replies_, 0, {Value::string("releaseStream"), Value::number(2), null, name});
      append_command(replies_, 0, {Value::string("FCPublish"), Value::number(3), null, name});
      append_command(replies_, 0, {Value::string("createStream"), Value::number(4), null});
    } else if (command->name == "_result" && command->transaction == 4) {
      if (command->values.size() > 3 && command->values[3].is_number()) {
        stream_id_ = static_cast<uint32_t>(command->values[3].as_number());
      }
      append_command(
          replies_, stream_id_,
          {Value::string("publish"), Value::number(5), null, name, Value::string("live")}, 8);
    } else if (command->name == "_error" &&
               (command->transaction == 1 || command->transaction == 4 ||
                command->transaction == 5)) {
      throw ProtocolError("_error for transaction " + std::to_string(int(command->transaction)));
    } else if (command->name == "onStatus") {
      const std::string code = command->status_code();
      if (code == "NetStream.Publish.Start") {
        publishing_ = true;
      } else if (code.find("Publish.BadName") != std::string::npos ||
                 code.find("Failed") != std::string::npos ||
                 code.find("Rejected") != std::string::npos) {
        throw ProtocolError("onStatus " + code);
      }
    }
  }

 private:
  asio::awaitable<void> flush(tcp::socket& socket) {
    out_.insert(out_.end(), replies_.begin(), replies_.end());
    replies_.clear();
    if (out_.empty()) co_return;
    co_await asio::async_write(socket, asio::buffer(out_), asio::use_awaitable);
    result_.bytes_sent += out_.size();
    out_.clear();
  }

  asio::awaitable<void> receive_once(tcp::socket& socket) {
    const size_t n = co_await socket.async_read_some(
        asio::buffer(in_.data() + fill_, in_.size() - fill_), asio::use_awaitable);
    received_ += n;
    fill_ += n;
    const size_t used = scanner_.scan({in_.data(), fill_}, *this);
    if (used < fill_) std::memmove(in_.data(), in_.data() + used, fill_ - used);
    fill_ -= used;
    manners_.maybe_acknowledge(received_, replies_);
    co_await flush(socket);
  }

  // While media flows, the server's messages (Acknowledgements, pings) are
  // read here; replies wait in replies_ for the sender's next write.
  asio::awaitable<void> drain(tcp::socket& socket) {
    for (;;) {
      const size_t n = co_await socket.async_read_some(
          asio::buffer(in_.data() + fill_, in_.size() - fill_), asio::use_awaitable);
      received_ += n;
      fill_ += n;
      const size_t used = scanner_.scan({in_.data(), fill_}, *this);
      if (used < fill_) std::memmove(in_.data(), in_.data() + used, fill_ - used);
      fill_ -= used;
      manners_.maybe_acknowledge(received_, replies_);
    }
  }

  asio::awaitable<void> send_media(tcp::socket& socket) {
    asio::steady_timer timer(socket.get_executor());
    if (const FlvTag* meta = file_.metadata()) {
      std::vector<uint8_t> payload;
      rtmp::amf0::encode(Value::string("@setDataFrame"), payload);
      auto body = file_.body(*meta);
      payload.insert(payload.end(), body.begin(), body.end());
      append_message(out_, rtmp::kDataCsid, rtmp::kDataAmf0, 0, stream_id_, payload);
    }
    const auto start = Clock::now();
    const auto& tags = file_.tags();
    int64_t loop_offset = 0;
    for (size_t cycle = 0;; ++cycle) {
      for (const FlvTag& tag : tags) {
        if (tag.type == 18) continue;
        if (cycle > 0 && tag.sequence_header) continue;
        const int64_t media_ms =
            loop_offset + int64_t(tag.timestamp) - int64_t(file_.first_timestamp());
        const auto due = start + std::chrono::milliseconds(media_ms);
        if (due > Clock::now()) {
          co_await flush(socket);
          if (due >= end_) co_return;
          timer.expires_at(due);
          co_await timer.async_wait(asio::use_awaitable);
        }
        if (Clock::now() >= end_) co_return;
        const uint32_t csid = tag.type == 8 ? rtmp::kAudioCsid : rtmp::kVideoCsid;
        if (stamp_wallclock_ && tag.type == 9 && !tag.sequence_header) {
          // Stamped as it goes into the send buffer, which is flushed before
          // the next timer wait: the frame is on the wire within microseconds.
          append_message(out_, csid, tag.type, static_cast<uint32_t>(media_ms), stream_id_,
                         with_wallclock_sei(file_.body(tag), wall_clock_us()));
        } else {
          append_message(out_, csid, tag.type, static_cast<uint32_t>(media_ms), stream_id_,
                         file_.body(tag));
        }
        ++result_.tags_sent;
      }
      if (!loop_) break;
      loop_offset += file_.loop_ms();
    }
    co_await flush(socket);
  }

  const Target& target_;
  const FlvFile& file_;
  bool loop_;
  Clock::time_point end_;
  PublisherResult& result_;
  bool stamp_wallclock_;
  ChunkScanner scanner_;
  ControlManners manners_;
  std::vector<uint8_t> out_, replies_;
  std::vector<uint8_t> in_ = std::vector<uint8_t>(64 * 1024);
  size_t fill_ = 0;
  uint64_t received_ = 0;
  uint32_t stream_id_ = 1;
  bool publishing_ = false;
};

}  // namespace

boost::asio::awaitable<void> run_publisher(const Target& target, const FlvFile& file, bool loop,
                                           Clock::time_point end, PublisherResult& result,
                                           bool stamp_wallclock) {
  Publisher publisher(target, file, loop, end, result, stamp_wallclock);
  co_await publisher.run();
}

}  // namespace sluice::load
