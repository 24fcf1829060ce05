#pragma once
// The parts of an HLS media playlist (RFC 8216) a player needs to follow a
// live stream: target duration, segments with their sequence numbers and
// URIs, and whether the stream has ended; for Low-Latency HLS
// (draft-pantos-hls-rfc8216bis) also the partial segments, the preload hint,
// the server control and the init section. Tags it does not know are
// skipped, as a player does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::load {

struct PlaylistSegment {
  uint64_t sequence = 0;
  double duration_s = 0;
  std::string uri;  // as written: relative or absolute
};

// An EXT-X-PART: part `index` (from 0) of media sequence number `msn`.
struct PlaylistPart {
  uint64_t msn = 0;
  uint32_t index = 0;
  double duration_s = 0;
  std::string uri;
  bool independent = false;  // starts with a keyframe
};

// An EXT-X-PRELOAD-HINT of TYPE=PART: the part after the last one listed.
struct PreloadHint {
  uint64_t msn = 0;
  uint32_t index = 0;
  std::string uri;
};

struct MediaPlaylist {
  double target_duration_s = 0;
  std::vector<PlaylistSegment> segments;  // oldest first
  bool ended = false;                     // EXT-X-ENDLIST
  // The sequence number after the last complete segment: the one whose
  // parts are being published.
  uint64_t next_sequence = 0;
  // LL-HLS
  std::vector<PlaylistPart> parts;  // oldest first, the open segment's last
  std::optional<PreloadHint> preload_hint;
  std::optional<double> part_target_s;     // EXT-X-PART-INF:PART-TARGET
  std::optional<double> part_hold_back_s;  // EXT-X-SERVER-CONTROL:PART-HOLD-BACK
  bool can_block_reload = false;
  std::string map_uri;  // the last EXT-X-MAP's URI (the live edge's init section)

  // How many parts segment `msn` has, when it is complete and its parts listed.
  std::optional<uint32_t> parts_of_complete(uint64_t msn) const;
};

// nullopt + error when the text is not a media playlist.
std::optional<MediaPlaylist> parse_media_playlist(std::string_view text, std::string& error);

// `reference` (a URI from a playlist or a Location header) resolved against
// the request target it came with (`base`, "/app/s.m3u8?q"): the new request
// target ("/app/s.12.ts?q"). Absolute http URLs must name `authority`
// ("127.0.0.1:PORT"); nullopt otherwise.
std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference,
                                             std::string_view authority);

}  // namespace sluice::load
