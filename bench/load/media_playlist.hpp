#pragma once
// The parts of an HLS media playlist (RFC 8216) a player needs to follow a
// live stream: target duration, segments with their sequence numbers and
// URIs, and whether the stream has ended. Tags it does not know are skipped,
// as a player does.
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

struct MediaPlaylist {
  double target_duration_s = 0;
  std::vector<PlaylistSegment> segments;  // oldest first
  bool ended = false;                     // EXT-X-ENDLIST
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
