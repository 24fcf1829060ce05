#include "ll_part_cursor.hpp"

namespace sluice::load {

std::optional<PartId> ll_start_part(const MediaPlaylist& playlist) {
  const auto& parts = playlist.parts;
  if (parts.empty()) return std::nullopt;
  const double hold_back = playlist.part_hold_back_s.value_or(
      3 * playlist.part_target_s.value_or(parts.back().duration_s));
  size_t i = parts.size() - 1;
  double from_edge = parts[i].duration_s;
  while (i > 0 && from_edge < hold_back) from_edge += parts[--i].duration_s;
  while (i > 0 && !parts[i].independent) --i;
  return PartId{parts[i].msn, parts[i].index};
}

PartId ll_next_part(PartId wanted, const MediaPlaylist& playlist) {
  if (playlist.parts.empty()) return wanted;
  const PartId oldest{playlist.parts.front().msn, playlist.parts.front().index};
  if (wanted < oldest) return oldest;
  for (auto count = playlist.parts_of_complete(wanted.msn); count && wanted.index >= *count;
       count = playlist.parts_of_complete(wanted.msn))
    wanted = {wanted.msn + 1, 0};
  return wanted;
}

}  // namespace sluice::load
