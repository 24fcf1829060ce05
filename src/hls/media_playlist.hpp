#pragma once
// The media playlist of a classic HLS stream (RFC 8216 4.3): the window of
// segments, oldest first, each named `{prefix}{sequence}.ts`.
#include <string>
#include <string_view>

#include "hls/ts_segmenter.hpp"

namespace sluice::hls {

// `ended`: the publisher is gone for good (EXT-X-ENDLIST).
std::string render_ts_playlist(const TsSegmenter& segmenter, std::string_view uri_prefix,
                               std::string_view uri_query, bool ended);

}  // namespace sluice::hls
