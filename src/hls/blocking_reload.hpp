#pragma once
// The playlist request of an LL-HLS client (draft-pantos-hls-rfc8216bis
// 6.2.5): `_HLS_msn=N[&_HLS_part=M]` asks the server to hold the answer until
// the playlist holds segment N (part M of it), `_HLS_skip=YES|v2` asks for a
// delta update. Pure rules, so they are tested apart from the server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hls/ll_segmenter.hpp"

namespace sluice::hls {

struct ReloadRequest {
  std::optional<uint64_t> msn;
  std::optional<uint64_t> part;
  bool skip = false;
};

// The request's directives, or why they are not valid (a 400): values that
// are not plain decimal numbers (negative, signed, garbage, beyond 64 bits),
// _HLS_part without _HLS_msn, _HLS_skip other than YES or v2.
struct ParsedReload {
  ReloadRequest request;
  std::string error;
};
// The three query parameters as sent (absent: nullopt).
struct ReloadDirectives {
  std::optional<std::string_view> msn;   // _HLS_msn
  std::optional<std::string_view> part;  // _HLS_part
  std::optional<std::string_view> skip;  // _HLS_skip
};
ParsedReload parse_reload(const ReloadDirectives& directives);

enum class ReloadVerdict {
  kAnswer,      // the playlist already holds what was asked (or nothing was)
  kWait,        // hold the request until the next part, up to the timeout
  kBadRequest,  // beyond the live edge
};

// `edge`: the part being built. A segment is held when it is complete; a part
// when it is listed. More than two segments beyond the last complete one, or
// a part index no segment can reach (`max_parts`), is a bad request (6.2.5.2).
ReloadVerdict decide_reload(const ReloadRequest& request, LlEdge edge, uint64_t max_parts);

}  // namespace sluice::hls
