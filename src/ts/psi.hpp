#pragma once
// The two tables a player reads before any media (ISO/IEC 13818-1 2.4.4):
// the PAT names the one program's PMT PID; the PMT names each elementary
// stream's PID and type and which PID carries the PCR.
#include <cstdint>
#include <vector>

namespace sluice::ts {

constexpr uint16_t kPatPid = 0x0000;
constexpr uint16_t kPmtPid = 0x1000;  // ffmpeg's choice; players find it through the PAT
constexpr uint16_t kProgramNumber = 1;

// stream_type values (ISO/IEC 13818-1 Table 2-34, and ITU-T H.222.0 amendments).
enum class StreamType : uint8_t { kAacAdts = 0x0F, kH264 = 0x1B, kH265 = 0x24 };

struct ElementaryStream {
  StreamType type;
  uint16_t pid;
};

// Each a complete section with its pointer field in front (the payload of
// one payload unit), CRC included.
std::vector<uint8_t> pat_section();
std::vector<uint8_t> pmt_section(const std::vector<ElementaryStream>& streams, uint16_t pcr_pid);

}  // namespace sluice::ts
