#include "ts_scanner.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace sluice::load {
namespace {

constexpr size_t kPacket = 188;
constexpr size_t kHeadBytes = kAccessUnitHeadBytes;

int64_t read_timestamp(const uint8_t* p) {
  return (int64_t(p[0] & 0x0e) << 29) | (int64_t(p[1]) << 22) | (int64_t(p[2] & 0xfe) << 14) |
         (int64_t(p[3]) << 7) | (p[4] >> 1);
}

// The NAL units of an Annex B elementary stream (4-byte start codes too:
// the zero before "00 00 01" is trailing_zero data, not part of the NAL).
template <typename F>
void for_each_nal(std::span<const uint8_t> es, F&& f) {
  std::optional<size_t> start;
  auto emit = [&](size_t end) {
    if (!start) return;
    while (end > *start && es[end - 1] == 0) --end;
    if (end > *start) f(es.subspan(*start, end - *start));
  };
  size_t i = 0;
  while (i + 2 < es.size()) {
    if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
      emit(i);
      i += 3;
      start = i;
    } else {
      ++i;
    }
  }
  emit(es.size());
}

class VideoPes {
 public:
  explicit VideoPes(const std::function<void(const AccessUnit&)>& on_unit) : on_unit_(on_unit) {}

  void start(std::span<const uint8_t> payload) {
    finish();
    open_ = true;
    unit_ = {};
    if (payload.size() < 9) return;
    const size_t header = 9 + payload[8];
    if ((payload[7] & 0x80) && payload.size() >= 14)
      unit_.pts_ms = read_timestamp(&payload[9]) / 90;
    if (header < payload.size()) append(payload.subspan(header));
  }
  void append(std::span<const uint8_t> payload) {
    if (!open_ || es_.size() >= kHeadBytes) return;
    const size_t n = std::min(payload.size(), kHeadBytes - es_.size());
    es_.insert(es_.end(), payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n));
  }
  void finish() {
    if (!open_) return;
    bool before_slice = true;
    for_each_nal(es_, [&](std::span<const uint8_t> nal) {
      if (before_slice) before_slice = inspect_nal(nal, unit_);
    });
    on_unit_(unit_);
    es_.clear();
    open_ = false;
  }

 private:
  const std::function<void(const AccessUnit&)>& on_unit_;
  bool open_ = false;
  AccessUnit unit_;
  std::vector<uint8_t> es_;
};

}  // namespace

bool scan_ts_segment(std::span<const uint8_t> segment,
                     const std::function<void(const AccessUnit&)>& on_unit) {
  VideoPes pes(on_unit);
  std::optional<uint16_t> video_pid;
  for (size_t at = 0; at + kPacket <= segment.size(); at += kPacket) {
    const uint8_t* p = segment.data() + at;
    if (p[0] != 0x47) return false;
    const bool unit_start = p[1] & 0x40;
    const uint16_t pid = uint16_t((p[1] & 0x1f) << 8) | p[2];
    const uint8_t adaptation = (p[3] >> 4) & 0x3;
    size_t offset = 4;
    if (adaptation & 0x2) offset += 1 + p[4];
    if (!(adaptation & 0x1) || offset >= kPacket) continue;
    std::span<const uint8_t> payload(p + offset, kPacket - offset);
    if (video_pid && pid != *video_pid) continue;
    if (unit_start) {
      const bool video_pes = payload.size() >= 4 && payload[0] == 0 && payload[1] == 0 &&
                             payload[2] == 1 && (payload[3] & 0xf0) == 0xe0;
      if (!video_pes) continue;
      video_pid = pid;
      pes.start(payload);
    } else if (video_pid) {
      pes.append(payload);
    }
  }
  pes.finish();
  return true;
}

}  // namespace sluice::load
