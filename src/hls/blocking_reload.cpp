#include "hls/blocking_reload.hpp"

#include <charconv>

namespace sluice::hls {
namespace {

constexpr size_t kMaxDigits = 19;  // every such number fits in 64 bits

std::optional<uint64_t> decimal(std::string_view text) {
  if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  uint64_t value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc()) return std::nullopt;
  return value;
}

}  // namespace

ParsedReload parse_reload(const ReloadDirectives& directives) {
  ParsedReload out;
  if (directives.msn) {
    out.request.msn = decimal(*directives.msn);
    if (!out.request.msn) {
      out.error = "_HLS_msn must be a media sequence number (0 to 19 digits)";
      return out;
    }
  }
  if (directives.part) {
    if (!out.request.msn) {
      out.error = "_HLS_part needs _HLS_msn";
      return out;
    }
    out.request.part = decimal(*directives.part);
    if (!out.request.part) {
      out.error = "_HLS_part must be a part index (0 to 19 digits)";
      return out;
    }
  }
  if (directives.skip) {
    if (*directives.skip != "YES" && *directives.skip != "v2") {
      out.error = "_HLS_skip must be YES or v2";
      return out;
    }
    out.request.skip = true;
  }
  return out;
}

ReloadVerdict decide_reload(const ReloadRequest& request, LlEdge edge, uint64_t max_parts) {
  if (!request.msn) return ReloadVerdict::kAnswer;
  const uint64_t msn = *request.msn;
  if (request.part && *request.part >= max_parts) return ReloadVerdict::kBadRequest;
  // The last complete segment is edge.msn - 1; the draft allows asking for up
  // to two beyond it.
  if (msn > edge.msn + 1) return ReloadVerdict::kBadRequest;
  const bool listed = request.part
                          ? msn < edge.msn || (msn == edge.msn && *request.part < edge.part)
                          : msn < edge.msn;
  return listed ? ReloadVerdict::kAnswer : ReloadVerdict::kWait;
}

}  // namespace sluice::hls
