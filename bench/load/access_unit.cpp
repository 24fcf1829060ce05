#include "access_unit.hpp"

#include "wallclock_sei.hpp"

namespace sluice::load {

bool inspect_nal(std::span<const uint8_t> nal, AccessUnit& unit) {
  if (nal.empty()) return true;
  const uint8_t type = nal[0] & 0x1f;
  if (type == 5) unit.keyframe = true;
  if (type >= 1 && type <= 5) return false;
  if (type == 6 && !unit.stamp_us) unit.stamp_us = parse_wallclock_sei(nal);
  return true;
}

}  // namespace sluice::load
