#include "hls/media_playlist.hpp"

#include <fmt/format.h>

#include "base/rfc3339.hpp"

namespace sluice::hls {

std::string render_ts_playlist(const TsSegmenter& segmenter, std::string_view uri_prefix,
                               std::string_view uri_query, bool ended) {
  const auto& window = segmenter.segments();
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n";
  out += fmt::format("#EXT-X-TARGETDURATION:{}\n", segmenter.target_duration_s());
  out += fmt::format("#EXT-X-MEDIA-SEQUENCE:{}\n", window.empty() ? 0 : window.front().sequence);
  if (segmenter.discontinuity_sequence() > 0)
    out += fmt::format("#EXT-X-DISCONTINUITY-SEQUENCE:{}\n", segmenter.discontinuity_sequence());
  bool first = true;
  for (const auto& s : window) {
    if (s.discontinuity) out += "#EXT-X-DISCONTINUITY\n";
    // Where media time meets wall time: at the start and after every break.
    if (first || s.discontinuity)
      out += "#EXT-X-PROGRAM-DATE-TIME:" + format_rfc3339_ms(s.program_date_time) + "\n";
    out += fmt::format("#EXTINF:{}.{:03},\n", s.duration.count() / 1000, s.duration.count() % 1000);
    out += fmt::format("{}{}.ts", uri_prefix, s.sequence);
    if (!uri_query.empty()) out += fmt::format("?{}", uri_query);
    out += "\n";
    first = false;
  }
  if (ended) out += "#EXT-X-ENDLIST\n";
  return out;
}

}  // namespace sluice::hls
