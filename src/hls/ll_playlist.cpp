#include "hls/ll_playlist.hpp"

#include <fmt/format.h>

#include "base/rfc3339.hpp"

namespace sluice::hls {
namespace {

using std::chrono::milliseconds;

// Decimal seconds with millisecond precision: "0.200".
std::string seconds(milliseconds d) {
  return fmt::format("{}.{:03}", d.count() / 1000, d.count() % 1000);
}

// Parts are listed for the segments ending within this many target
// durations of the playlist's end (the draft asks for at least the last
// three target durations; older ones SHOULD go).
constexpr uint64_t kPartsKeptTargets = 3;
// CAN-SKIP-UNTIL: six target durations, the draft's minimum.
constexpr uint64_t kSkipTargets = 6;

struct Uris {
  std::string_view name, query;
  std::string with_query(std::string path) const {
    if (!query.empty()) path += fmt::format("?{}", query);
    return path;
  }
  std::string init(uint32_t generation) const {
    return with_query(fmt::format("{}.init{}.mp4", name, generation));
  }
  std::string segment(uint64_t msn) const {
    return with_query(fmt::format("{}.{}.m4s", name, msn));
  }
  std::string part(uint64_t msn, uint64_t part) const {
    return with_query(fmt::format("{}.{}_{}.m4s", name, msn, part));
  }
};

void render_parts(std::string& out, const LlSegment& s, const Uris& uris) {
  for (size_t i = 0; i < s.parts.size(); ++i) {
    const auto& p = s.parts[i];
    out += fmt::format("#EXT-X-PART:DURATION={},URI=\"{}\"{}\n", seconds(p.duration),
                       uris.part(s.sequence, i), p.independent ? ",INDEPENDENT=YES" : "");
  }
}

}  // namespace

size_t skippable_segments(const LlSegmenter& segmenter) {
  const auto& window = segmenter.segments();
  const milliseconds boundary(kSkipTargets * segmenter.target_duration_s() * 1000);
  // Walk back from the end: everything before the boundary can go.
  milliseconds after(0);
  if (const auto* open = segmenter.open_segment())
    for (const auto& p : open->parts) after += p.duration;
  size_t kept = 0;
  for (auto it = window.rbegin(); it != window.rend() && after < boundary; ++it) {
    after += it->duration;
    ++kept;
  }
  return window.size() - kept;
}

std::string render_ll_playlist(const LlSegmenter& segmenter, const LlPlaylistOptions& options) {
  const Uris uris{options.name, options.uri_query};
  const auto& window = segmenter.segments();
  const auto* open = segmenter.open_segment();
  const uint64_t target = segmenter.target_duration_s();
  const auto part_target = segmenter.limits().part_target;

  std::string out = "#EXTM3U\n#EXT-X-VERSION:9\n";
  out += fmt::format("#EXT-X-TARGETDURATION:{}\n", target);
  out += fmt::format(
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK={},CAN-SKIP-UNTIL={}.0\n",
      seconds(3 * part_target), kSkipTargets * target);
  out += fmt::format("#EXT-X-PART-INF:PART-TARGET={}\n", seconds(part_target));
  out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
  const uint64_t first_msn =
      !window.empty() ? window.front().sequence : (open ? open->sequence : 0);
  out += fmt::format("#EXT-X-MEDIA-SEQUENCE:{}\n", first_msn);
  if (segmenter.discontinuity_sequence() > 0)
    out += fmt::format("#EXT-X-DISCONTINUITY-SEQUENCE:{}\n", segmenter.discontinuity_sequence());

  const size_t skipped = options.skip ? skippable_segments(segmenter) : 0;
  if (skipped > 0) out += fmt::format("#EXT-X-SKIP:SKIPPED-SEGMENTS={}\n", skipped);

  // Which segments list their parts: the last ones within three target durations.
  milliseconds recent(0);
  size_t parts_from = window.size();
  while (parts_from > 0 && recent + window[parts_from - 1].duration <=
                               milliseconds(kPartsKeptTargets * target * 1000)) {
    recent += window[parts_from - 1].duration;
    --parts_from;
  }

  std::optional<uint32_t> mapped;
  auto begin_segment = [&](const LlSegment& s) {
    if (s.discontinuity) out += "#EXT-X-DISCONTINUITY\n";
    if (mapped != s.init_generation) {
      out += fmt::format("#EXT-X-MAP:URI=\"{}\"\n", uris.init(s.init_generation));
      mapped = s.init_generation;
    }
  };
  for (size_t i = skipped; i < window.size(); ++i) {
    const auto& s = window[i];
    begin_segment(s);
    out += "#EXT-X-PROGRAM-DATE-TIME:" + format_rfc3339_ms(s.program_date_time) + "\n";
    if (i >= parts_from) render_parts(out, s, uris);
    out += fmt::format("#EXTINF:{},\n{}\n", seconds(s.duration), uris.segment(s.sequence));
  }
  if (open && !options.ended) {
    begin_segment(*open);
    render_parts(out, *open, uris);
  }
  if (options.ended) {
    out += "#EXT-X-ENDLIST\n";
  } else if (segmenter.publishing()) {
    const auto edge = segmenter.edge();
    out +=
        fmt::format("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{}\"\n", uris.part(edge.msn, edge.part));
  }
  return out;
}

namespace {

// Stands for "?{query}" in a cached playlist: a control character no name
// or URI the renderer writes can contain.
constexpr char kQueryMarker = '\x1f';

}  // namespace

std::string LlPlaylistCache::render(const std::shared_ptr<const LlSegmenter>& segmenter,
                                    const LlPlaylistOptions& options) {
  if (options.name.find(kQueryMarker) != std::string_view::npos)
    return render_ll_playlist(*segmenter, options);
  const bool same_segmenter = !segmenter_.owner_before(segmenter) &&
                              !segmenter.owner_before(segmenter_) && !segmenter_.expired();
  if (template_.empty() || !same_segmenter || changes_ != segmenter->changes() ||
      name_ != options.name || skip_ != options.skip || ended_ != options.ended) {
    auto marked = options;
    marked.uri_query = std::string_view(&kQueryMarker, 1);
    template_ = render_ll_playlist(*segmenter, marked);
    segmenter_ = segmenter;
    changes_ = segmenter->changes();
    name_ = std::string(options.name);
    skip_ = options.skip;
    ended_ = options.ended;
  }
  // "?" + marker becomes "?" + the query, or nothing for an empty query.
  std::string out;
  out.reserve(template_.size() + 16 * (options.uri_query.size() + 1));
  size_t from = 0;
  for (size_t at; (at = template_.find(kQueryMarker, from)) != std::string::npos; from = at + 1) {
    const size_t keep = options.uri_query.empty() ? at - 1 : at;  // drop the "?" too
    out.append(template_, from, keep - from);
    out.append(options.uri_query);
  }
  out.append(template_, from, std::string::npos);
  return out;
}

}  // namespace sluice::hls
