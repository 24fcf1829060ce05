#include "rtmp/protocol_messages.hpp"

#include "base/byte_io.hpp"
#include "rtmp/chunk_writer.hpp"
#include "rtmp/message.hpp"

namespace sluice::rtmp {
namespace {

// Protocol control messages are short; 128 (the initial chunk size) always fits.
Wire control(uint8_t type, const std::vector<uint8_t>& payload) {
  Wire out;
  write_chunks(out, kControlCsid, type, 0, 0, payload, 128);
  return out;
}

std::vector<uint8_t> u32_payload(uint32_t v) {
  std::vector<uint8_t> p;
  ByteWriter(p).u32be(v);
  return p;
}

Wire amf0_message(uint32_t csid, uint8_t type, uint32_t stream_id,
                  const std::vector<amf0::Value>& values, uint32_t chunk_size) {
  std::vector<uint8_t> payload;
  for (const auto& v : values) amf0::encode(v, payload);
  Wire out;
  write_chunks(out, csid, type, 0, stream_id, payload, chunk_size);
  return out;
}

}  // namespace

Wire set_chunk_size(uint32_t size) {
  return control(kSetChunkSize, u32_payload(size));
}
Wire window_ack_size(uint32_t size) {
  return control(kWindowAckSize, u32_payload(size));
}
Wire acknowledgement(uint32_t sequence_number) {
  return control(kAcknowledgement, u32_payload(sequence_number));
}

Wire set_peer_bandwidth(uint32_t size, uint8_t limit_type) {
  auto p = u32_payload(size);
  p.push_back(limit_type);
  return control(kSetPeerBandwidth, p);
}

Wire user_control(uint16_t event, uint32_t value, uint32_t chunk_size) {
  std::vector<uint8_t> p;
  ByteWriter w(p);
  w.u16be(event);
  w.u32be(value);
  Wire out;
  write_chunks(out, kControlCsid, kUserControl, 0, 0, p, chunk_size);
  return out;
}

Wire ping_response(uint32_t timestamp, uint32_t chunk_size) {
  return user_control(kPingResponse, timestamp, chunk_size);
}

Wire command(uint32_t stream_id, const std::vector<amf0::Value>& values, uint32_t chunk_size) {
  return amf0_message(kCommandCsid, kCommandAmf0, stream_id, values, chunk_size);
}

Wire data_message(uint32_t stream_id, const std::vector<amf0::Value>& values, uint32_t chunk_size) {
  return amf0_message(kDataCsid, kDataAmf0, stream_id, values, chunk_size);
}

Wire on_status(std::string_view level, std::string_view code, std::string_view description,
               uint32_t chunk_size) {
  using amf0::Value;
  auto info = Value::object({{"level", Value::string(std::string(level))},
                             {"code", Value::string(std::string(code))},
                             {"description", Value::string(std::string(description))}});
  return amf0_message(kDataCsid, kCommandAmf0, kMediaStreamId,
                      {Value::string("onStatus"), Value::number(0), Value::null(), info},
                      chunk_size);
}

}  // namespace sluice::rtmp
