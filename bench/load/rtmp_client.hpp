#pragma once
// The client half of RTMP that players and publishers share: the plain
// handshake, command encoding/decoding, and the protocol-control manners of
// a real client (Acknowledgements by the server's window, Ping responses).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtmp/amf0.hpp"
#include "rtmp/message.hpp"
#include "target.hpp"

namespace sluice::load {

inline constexpr uint32_t kClientChunkSize = 4096;

// Plain handshake: writes C0C1, reads S0S1S2, writes C2. Throws on failure.
boost::asio::awaitable<void> rtmp_handshake(boost::asio::ip::tcp::socket& socket);

// Appends a chunked message as the client sends it (after Set Chunk Size).
void append_message(std::vector<uint8_t>& out, uint32_t csid, uint8_t type, uint32_t timestamp,
                    uint32_t stream_id, std::span<const uint8_t> payload,
                    uint32_t chunk_size = kClientChunkSize);
// An AMF0 command (type 20) on chunk stream `csid`.
void append_command(std::vector<uint8_t>& out, uint32_t stream_id,
                    const std::vector<rtmp::amf0::Value>& values, uint32_t csid = 3);
// Set Chunk Size kClientChunkSize, then connect(txn 1) to the target's app.
void append_connect(std::vector<uint8_t>& out, const Target& target);

struct Command {
  std::string name;
  double transaction = 0;
  std::vector<rtmp::amf0::Value> values;  // all of them, name and transaction included
  // onStatus info.code, or "" when absent
  std::string status_code() const;
};
// A command message (type 20 or 17) decoded; nullopt for other types.
std::optional<Command> decode_command(const rtmp::Message& message);

// Window Ack Size / Ping Request handling: replies are appended to `out`.
class ControlManners {
 public:
  void on_message(const rtmp::Message& message, std::vector<uint8_t>& out);
  // An Acknowledgement when `received` passed another window.
  void maybe_acknowledge(uint64_t received, std::vector<uint8_t>& out);

 private:
  uint32_t window_ = 0;
  uint64_t acknowledged_ = 0;
};

}  // namespace sluice::load
