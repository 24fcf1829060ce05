#include "media_playlist.hpp"

#include <charconv>
#include <cstdlib>

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

}  // namespace

std::optional<MediaPlaylist> parse_media_playlist(std::string_view text, std::string& error) {
  MediaPlaylist out;
  bool header = false;
  uint64_t sequence = 0;
  double pending_duration = 0;  // from the last #EXTINF
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
      const auto v = line.substr(22);
      std::from_chars(v.data(), v.data() + v.size(), sequence);
    } else if (line.starts_with("#EXTINF:")) {
      pending_duration = to_double(line.substr(8, line.find(',') - 8));
    } else if (line == "#EXT-X-ENDLIST") {
      out.ended = true;
    } else if (line.front() != '#') {
      out.segments.push_back({sequence++, pending_duration, std::string(line)});
      pending_duration = 0;
    }
  }
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
