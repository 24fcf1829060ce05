#include "rtmp_client.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "base/byte_io.hpp"
#include "base/errors.hpp"
#include "rtmp/chunk_writer.hpp"
#include "rtmp/handshake.hpp"
#include "rtmp/protocol_messages.hpp"

namespace sluice::load {

namespace asio = boost::asio;
using rtmp::amf0::Value;

asio::awaitable<void> rtmp_handshake(asio::ip::tcp::socket& socket) {
  namespace hs = rtmp::handshake;
  const auto now_ms = static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now().time_since_epoch())
                                                .count());
  auto c0c1 = hs::plain_c0c1(now_ms);
  co_await asio::async_write(socket, asio::buffer(c0c1), asio::use_awaitable);
  std::vector<uint8_t> s0s1s2(1 + 2 * hs::kPacketSize);
  co_await asio::async_read(socket, asio::buffer(s0s1s2), asio::use_awaitable);
  if (s0s1s2[0] != hs::kRtmpVersion) {
    throw ProtocolError("S0 version " + std::to_string(s0s1s2[0]));
  }
  // C2 echoes S1.
  co_await asio::async_write(socket, asio::buffer(s0s1s2.data() + 1, hs::kPacketSize),
                             asio::use_awaitable);
}

void append_message(std::vector<uint8_t>& out, uint32_t csid, uint8_t type, uint32_t timestamp,
                    uint32_t stream_id, std::span<const uint8_t> payload, uint32_t chunk_size) {
  rtmp::write_chunks(out, csid, type, timestamp, stream_id, payload, chunk_size);
}

void append_command(std::vector<uint8_t>& out, uint32_t stream_id, const std::vector<Value>& values,
                    uint32_t csid) {
  std::vector<uint8_t> payload;
  for (const auto& v : values) rtmp::amf0::encode(v, payload);
  append_message(out, csid, rtmp::kCommandAmf0, 0, stream_id, payload);
}

void append_connect(std::vector<uint8_t>& out, const Target& target) {
  auto chunk_size = rtmp::set_chunk_size(kClientChunkSize);
  out.insert(out.end(), chunk_size.begin(), chunk_size.end());
  auto info = Value::object({
      {"app", Value::string(target.app)},
      {"flashVer", Value::string("LNX 9,0,124,2")},
      {"tcUrl", Value::string(target.tc_url)},
      {"fpad", Value::boolean(false)},
      {"capabilities", Value::number(15)},
      {"audioCodecs", Value::number(4071)},
      {"videoCodecs", Value::number(252)},
      {"videoFunction", Value::number(1)},
  });
  append_command(out, 0, {Value::string("connect"), Value::number(1), info});
}

std::string Command::status_code() const {
  if (values.size() < 4) return "";
  const Value* code = values[3].get("code");
  return code ? code->as_string() : "";
}

std::optional<Command> decode_command(const rtmp::Message& message) {
  if (message.type != rtmp::kCommandAmf0 && message.type != rtmp::kCommandAmf3) return std::nullopt;
  std::span<const uint8_t> body = message.payload;
  if (message.type == rtmp::kCommandAmf3 && !body.empty()) body = body.subspan(1);
  Command c;
  c.values = rtmp::amf0::decode_all(body);
  if (!c.values.empty()) c.name = c.values[0].as_string();
  if (c.values.size() > 1) c.transaction = c.values[1].as_number();
  return c;
}

void ControlManners::on_message(const rtmp::Message& message, std::vector<uint8_t>& out) {
  if (message.type == rtmp::kWindowAckSize && message.payload.size() >= 4) {
    window_ = ByteReader(message.payload).u32be();
  } else if (message.type == rtmp::kUserControl && message.payload.size() >= 6) {
    ByteReader r(message.payload);
    if (r.u16be() == rtmp::kPingRequest) {
      auto pong = rtmp::ping_response(r.u32be(), kClientChunkSize);
      out.insert(out.end(), pong.begin(), pong.end());
    }
  }
}

void ControlManners::maybe_acknowledge(uint64_t received, std::vector<uint8_t>& out) {
  if (window_ == 0 || received - acknowledged_ < window_) return;
  acknowledged_ = received;
  auto ack = rtmp::acknowledgement(static_cast<uint32_t>(received));  // wraps at 2^32
  out.insert(out.end(), ack.begin(), ack.end());
}

}  // namespace sluice::load
