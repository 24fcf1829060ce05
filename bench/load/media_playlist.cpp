#include "media_playlist.hpp"

#include <charconv>
#include <cstdlib>

#include "playlist_attributes.hpp"

namespace sluice::load {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

double to_double(std::string_view s) {
  return std::strtod(std::string(s).c_str(), nullptr);
}

uint64_t to_u64(std::string_view s) {
  uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<MediaPlaylist> parse_media_playlist(std::string_view text, std::string& error) {
  MediaPlaylist out;
  bool header = false;
  uint64_t sequence = 0;
  double pending_duration = 0;  // from the last #EXTINF
  uint32_t part_index = 0;      // of the next EXT-X-PART in the current segment
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const auto line = trim(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty()) continue;
    if (!header) {
      if (line != "#EXTM3U") {
        error = "playlist does not start with #EXTM3U";
        return std::nullopt;
      }
      header = true;
    } else if (line.starts_with("#EXT-X-TARGETDURATION:")) {
      out.target_duration_s = to_double(line.substr(22));
    } else if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      sequence = to_u64(line.substr(22));
    } else if (line.starts_with("#EXT-X-SKIP:")) {
      sequence += to_u64(attribute(line.substr(12), "SKIPPED-SEGMENTS").value_or("0"));
    } else if (line.starts_with("#EXT-X-PART:")) {
      const auto list = line.substr(12);
      const auto uri = attribute(list, "URI");
      if (!uri) {
        error = "EXT-X-PART without URI";
        return std::nullopt;
      }
      out.parts.push_back({sequence, part_index++,
                           to_double(attribute(list, "DURATION").value_or("0")), std::string(*uri),
                           attribute(list, "INDEPENDENT") == "YES"});
    } else if (line.starts_with("#EXT-X-PRELOAD-HINT:")) {
      const auto list = line.substr(20);
      const auto uri = attribute(list, "URI");
      if (attribute(list, "TYPE") == "PART" && uri)
        out.preload_hint = PreloadHint{sequence, part_index, std::string(*uri)};
    } else if (line.starts_with("#EXT-X-PART-INF:")) {
      if (const auto v = attribute(line.substr(16), "PART-TARGET"))
        out.part_target_s = to_double(*v);
    } else if (line.starts_with("#EXT-X-SERVER-CONTROL:")) {
      const auto list = line.substr(22);
      out.can_block_reload = attribute(list, "CAN-BLOCK-RELOAD") == "YES";
      if (const auto v = attribute(list, "PART-HOLD-BACK")) out.part_hold_back_s = to_double(*v);
    } else if (line.starts_with("#EXT-X-MAP:")) {
      out.map_uri = std::string(attribute(line.substr(11), "URI").value_or(""));
    } else if (line.starts_with("#EXTINF:")) {
      pending_duration = to_double(line.substr(8, line.find(',') - 8));
    } else if (line == "#EXT-X-ENDLIST") {
      out.ended = true;
    } else if (line.front() != '#') {
      out.segments.push_back({sequence++, pending_duration, std::string(line)});
      pending_duration = 0;
      part_index = 0;
    }
  }
  out.next_sequence = sequence;
  if (!header) {
    error = "empty playlist";
    return std::nullopt;
  }
  if (out.target_duration_s <= 0) {
    error = "playlist without #EXT-X-TARGETDURATION";
    return std::nullopt;
  }
  return out;
}

std::optional<uint32_t> MediaPlaylist::parts_of_complete(uint64_t msn) const {
  if (msn >= next_sequence) return std::nullopt;
  std::optional<uint32_t> count;
  for (const auto& p : parts)
    if (p.msn == msn) count = p.index + 1;
  return count;
}

std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference,
                                             std::string_view authority) {
  if (reference.starts_with("http://")) {
    auto rest = reference.substr(7);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || rest.substr(0, slash) != authority) return std::nullopt;
    return std::string(rest.substr(slash));
  }
  if (reference.find("://") != std::string_view::npos) return std::nullopt;
  if (reference.starts_with("/")) return std::string(reference);
  const auto path = base.substr(0, base.find('?'));
  return std::string(path.substr(0, path.rfind('/') + 1)) + std::string(reference);
}

}  // namespace sluice::load
