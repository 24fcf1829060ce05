#pragma once
// The media playlist of an LL-HLS stream (draft-pantos-hls-rfc8216bis,
// Apple's "Enabling Low-Latency HLS"): complete segments with EXTINF, the
// parts of the last few (and of the segment being built) with EXT-X-PART,
// the part being built as EXT-X-PRELOAD-HINT, and, for a delta update, the
// oldest segments replaced by EXT-X-SKIP. URIs, relative to the playlist:
//   {name}.init{generation}.mp4   the init section (EXT-X-MAP)
//   {name}.{msn}.m4s              a segment (its parts, concatenated)
//   {name}.{msn}_{part}.m4s       a part
// each followed by `?{uri_query}` when that is not empty.
#include <memory>
#include <string>
#include <string_view>

#include "hls/ll_segmenter.hpp"

namespace sluice::hls {

struct LlPlaylistOptions {
  std::string_view name;       // the stream's last path segment ("cam")
  std::string_view uri_query;  // the session's query, added to every URI
  bool skip = false;           // _HLS_skip: a delta update
  bool ended = false;          // the publisher is gone for good (EXT-X-ENDLIST)
};

std::string render_ll_playlist(const LlSegmenter& segmenter, const LlPlaylistOptions& options);

// The playlists of one stream's viewers differ only in the query of their
// URIs (each viewer's hls_ctx), and LL-HLS viewers reload several times a
// second: this renders the playlist once per change of the segmenter (and
// per name and delta flag) with a marker where each URI's query goes, and
// gives each viewer a copy with its own query put in. One per stream, used
// on the stream's thread.
class LlPlaylistCache {
 public:
  std::string render(const std::shared_ptr<const LlSegmenter>& segmenter,
                     const LlPlaylistOptions& options);

 private:
  std::weak_ptr<const LlSegmenter> segmenter_;
  uint64_t changes_ = 0;
  std::string name_;
  bool skip_ = false, ended_ = false;
  std::string template_;  // empty: nothing cached
};

// How many old segments a delta update leaves out: those ending before the
// last CAN-SKIP-UNTIL (six target durations) of the playlist.
size_t skippable_segments(const LlSegmenter& segmenter);

}  // namespace sluice::hls
