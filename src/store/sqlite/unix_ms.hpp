#pragma once
// Times are stored as integer milliseconds since the Unix epoch (UTC): exact,
// ordered, indexable, and the resolution the API reports. A WallTime is that
// count already, so the column holds every time from year 0001 to 9999.
#include "base/wall_time.hpp"

namespace sluice::store::sqlite {

using sluice::from_unix_ms;
using sluice::to_unix_ms;

}  // namespace sluice::store::sqlite
