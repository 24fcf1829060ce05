#include "fmp4_scanner.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace sluice::load {
namespace {

uint32_t u32(std::span<const uint8_t> d, size_t at) {
  return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 | d[at + 3];
}
uint64_t u64(std::span<const uint8_t> d, size_t at) {
  return uint64_t(u32(d, at)) << 32 | u32(d, at + 4);
}

struct Box {
  std::string_view type;
  size_t offset = 0;              // of the box's first byte within the parent's span
  std::span<const uint8_t> body;  // after the 8 (or 16) byte header
};

// The boxes directly inside `data`; false when one claims more than there is.
bool for_each_box(std::span<const uint8_t> data, const std::function<bool(const Box&)>& f) {
  size_t at = 0;
  while (at + 8 <= data.size()) {
    uint64_t size = u32(data, at);
    size_t header = 8;
    if (size == 1) {
      if (at + 16 > data.size()) return false;
      size = u64(data, at + 8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - at;  // to the end
    }
    if (size < header || size > data.size() - at) return false;
    const Box box{{reinterpret_cast<const char*>(&data[at + 4]), 4},
                  at,
                  data.subspan(at + header, static_cast<size_t>(size) - header)};
    if (!f(box)) return true;
    at += static_cast<size_t>(size);
  }
  return at == data.size();
}

// Reads fields of a box body front to back; any read past the end marks it bad.
class Fields {
 public:
  explicit Fields(std::span<const uint8_t> d) : d_(d) {}
  uint32_t u32() { return has(4) ? load::u32(d_, take(4)) : 0; }
  uint64_t u64() { return has(8) ? load::u64(d_, take(8)) : 0; }
  void skip(size_t n) {
    if (has(n)) take(n);
  }
  bool ok() const { return ok_; }

 private:
  bool has(size_t n) {
    if (at_ + n > d_.size()) ok_ = false;
    return ok_;
  }
  size_t take(size_t n) {
    const size_t at = at_;
    at_ += n;
    return at;
  }
  std::span<const uint8_t> d_;
  size_t at_ = 0;
  bool ok_ = true;
};

// tkhd (ISO/IEC 14496-12 8.3.2): the track_id after the times.
std::optional<uint32_t> track_id_of(std::span<const uint8_t> tkhd) {
  Fields f(tkhd);
  const uint32_t version = f.u32() >> 24;
  f.skip(version == 1 ? 16 : 8);
  const uint32_t id = f.u32();
  return f.ok() ? std::optional(id) : std::nullopt;
}

// mdhd (8.4.2): the timescale after the times.
std::optional<uint32_t> timescale_of(std::span<const uint8_t> mdhd) {
  Fields f(mdhd);
  const uint32_t version = f.u32() >> 24;
  f.skip(version == 1 ? 16 : 8);
  const uint32_t timescale = f.u32();
  return f.ok() && timescale > 0 ? std::optional(timescale) : std::nullopt;
}

bool is_video_handler(std::span<const uint8_t> hdlr) {
  return hdlr.size() >= 12 &&
         std::string_view(reinterpret_cast<const char*>(&hdlr[8]), 4) == "vide";
}

std::optional<Fmp4VideoTrack> video_track_of(std::span<const uint8_t> trak) {
  std::optional<uint32_t> id, timescale;
  bool video = false;
  for_each_box(trak, [&](const Box& b) {
    if (b.type == "tkhd") id = track_id_of(b.body);
    if (b.type != "mdia") return true;
    for_each_box(b.body, [&](const Box& m) {
      if (m.type == "mdhd") timescale = timescale_of(m.body);
      if (m.type == "hdlr") video = is_video_handler(m.body);
      return true;
    });
    return true;
  });
  if (!video || !id || !timescale) return std::nullopt;
  return Fmp4VideoTrack{*id, *timescale};
}

// tfhd flags (8.8.7) and trun flags (8.8.8).
constexpr uint32_t kBaseDataOffset = 0x000001, kSampleDescription = 0x000002,
                   kDefaultDuration = 0x000008, kDefaultSize = 0x000010, kDefaultFlags = 0x000020;
constexpr uint32_t kDataOffset = 0x000001, kFirstSampleFlags = 0x000004, kSampleDuration = 0x000100,
                   kSampleSize = 0x000200, kSampleFlags = 0x000400, kCompositionOffset = 0x000800;
constexpr uint32_t kNonSync = 0x00010000;

struct TrackFragment {
  std::optional<uint64_t> base_data_offset;  // absolute within the fragment's span
  uint32_t default_duration = 0, default_size = 0, default_flags = 0;
  uint64_t decode_time = 0;
};

struct SampleRef {
  size_t offset = 0, size = 0;
  int64_t pts = 0;  // in the track's timescale
  bool sync = false;
};

// One trun's samples; false when it is cut short.
bool read_trun(std::span<const uint8_t> trun, TrackFragment& tf, size_t base,
               std::vector<SampleRef>& out) {
  Fields f(trun);
  const uint32_t version_flags = f.u32();
  const uint32_t version = version_flags >> 24, flags = version_flags & 0xffffff;
  const uint32_t count = f.u32();
  int64_t offset = static_cast<int64_t>(base);
  if (flags & kDataOffset) offset += static_cast<int32_t>(f.u32());
  std::optional<uint32_t> first_flags;
  if (flags & kFirstSampleFlags) first_flags = f.u32();
  // Each sample takes at least its listed fields; a count beyond the box is malformed.
  if (!f.ok() || count > trun.size()) return false;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t duration = flags & kSampleDuration ? f.u32() : tf.default_duration;
    const uint32_t size = flags & kSampleSize ? f.u32() : tf.default_size;
    uint32_t sample_flags = flags & kSampleFlags ? f.u32() : tf.default_flags;
    if (i == 0 && first_flags) sample_flags = *first_flags;
    int64_t cto = 0;
    if (flags & kCompositionOffset) {
      const uint32_t v = f.u32();
      cto = version == 0 ? int64_t{v} : int64_t{static_cast<int32_t>(v)};
    }
    if (!f.ok() || offset < 0) return false;
    out.push_back({static_cast<size_t>(offset), size, static_cast<int64_t>(tf.decode_time) + cto,
                   !(sample_flags & kNonSync)});
    offset += size;
    tf.decode_time += duration;
  }
  return true;
}

// The video samples a moof (starting at `moof_at` in the fragment) describes.
bool read_moof(const Box& moof, const Fmp4VideoTrack& video, std::vector<SampleRef>& out) {
  bool ok = true;
  for_each_box(moof.body, [&](const Box& traf) {
    if (traf.type != "traf") return true;
    TrackFragment tf;
    bool ours = false;
    for_each_box(traf.body, [&](const Box& b) {
      if (b.type == "tfhd") {
        Fields f(b.body);
        const uint32_t flags = f.u32() & 0xffffff;
        ours = f.u32() == video.track_id;
        if (flags & kBaseDataOffset) tf.base_data_offset = f.u64();
        if (flags & kSampleDescription) f.skip(4);
        if (flags & kDefaultDuration) tf.default_duration = f.u32();
        if (flags & kDefaultSize) tf.default_size = f.u32();
        if (flags & kDefaultFlags) tf.default_flags = f.u32();
        ok = ok && f.ok();
      } else if (b.type == "tfdt" && ours) {
        Fields f(b.body);
        tf.decode_time = (f.u32() >> 24) == 1 ? f.u64() : f.u32();
        ok = ok && f.ok();
      } else if (b.type == "trun" && ours) {
        // Without a base-data-offset, data offsets count from the moof's
        // first byte (default-base-is-moof, what CMAF requires).
        const size_t base =
            tf.base_data_offset ? static_cast<size_t>(*tf.base_data_offset) : moof.offset;
        ok = ok && read_trun(b.body, tf, base, out);
      }
      return ok;
    });
    return ok;
  });
  return ok;
}

}  // namespace

std::optional<Fmp4VideoTrack> parse_fmp4_init(std::span<const uint8_t> init, std::string& error) {
  std::optional<Fmp4VideoTrack> found;
  bool moov = false;
  const bool ok = for_each_box(init, [&](const Box& b) {
    if (b.type != "moov") return true;
    moov = true;
    for_each_box(b.body, [&](const Box& t) {
      if (t.type == "trak" && !found) found = video_track_of(t.body);
      return !found;
    });
    return false;
  });
  if (!ok)
    error = "init section: malformed box";
  else if (!moov)
    error = "init section without moov";
  else if (!found)
    error = "init section without a video track";
  return ok ? found : std::nullopt;
}

bool scan_fmp4_fragment(std::span<const uint8_t> fragment, const Fmp4VideoTrack& video,
                        const std::function<void(const AccessUnit&)>& on_unit, std::string& error) {
  std::vector<SampleRef> samples;
  bool moof_seen = false;
  const bool boxes_ok = for_each_box(fragment, [&](const Box& b) {
    if (b.type != "moof") return true;
    moof_seen = true;
    if (!read_moof(b, video, samples)) {
      error = "fragment: malformed moof";
      return false;
    }
    return true;
  });
  if (!error.empty()) return false;
  if (!boxes_ok) {
    error = "fragment: malformed box";
    return false;
  }
  if (!moof_seen) {
    error = "fragment without moof";
    return false;
  }
  for (const auto& s : samples) {
    if (s.offset > fragment.size() || s.size > fragment.size() - s.offset) {
      error = "fragment: sample outside the data";
      return false;
    }
    AccessUnit unit;
    unit.pts_ms = s.pts * 1000 / video.timescale;
    unit.keyframe = s.sync;
    // 4-byte NAL lengths; only the head of the sample matters.
    const auto sample = fragment.subspan(s.offset, s.size);
    const auto head = sample.first(std::min(sample.size(), kAccessUnitHeadBytes));
    for (size_t at = 0; at + 4 < head.size();) {
      const uint32_t length = u32(head, at);
      if (length == 0 || length > sample.size() - at - 4) break;
      if (!inspect_nal(sample.subspan(at + 4, std::min<size_t>(length, head.size() - at - 4)),
                       unit))
        break;
      at += 4 + length;
    }
    on_unit(unit);
  }
  return true;
}

}  // namespace sluice::load
