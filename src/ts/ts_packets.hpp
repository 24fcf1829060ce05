#pragma once
// Cutting a payload (a PSI section or a PES packet) into 188-byte transport
// stream packets of one PID (ISO/IEC 13818-1 2.4.3): the payload unit start
// flag on the first, the PID's continuity counter on every one, a PCR and
// the random access flag in the first one's adaptation field when asked,
// and stuffing in the last one's adaptation field so no packet is short.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sluice::ts {

constexpr size_t kPacketSize = 188;
constexpr uint8_t kSyncByte = 0x47;

// 90 kHz clock ticks, as PTS, DTS and the PCR base count (33 bits).
constexpr uint64_t kTicksPerMs = 90;
constexpr uint64_t kTimestampMask = (uint64_t{1} << 33) - 1;

struct PayloadUnit {
  uint16_t pid = 0;
  std::span<const uint8_t> payload;
  std::optional<uint64_t> pcr;  // 90 kHz base; the 27 MHz extension is 0
  bool random_access = false;   // the unit starts a keyframe (or audio a decoder can start on)
};

// One PID's packets; keeps its continuity counter across units.
class PidWriter {
 public:
  explicit PidWriter(uint16_t pid) : pid_(pid) {}
  uint16_t pid() const { return pid_; }
  // Appends whole packets carrying `unit` to `out`.
  void write(const PayloadUnit& unit, std::vector<uint8_t>& out);

 private:
  uint16_t pid_;
  uint8_t continuity_ = 0;
};

}  // namespace sluice::ts
