#pragma once
// The media side's copy of the forbids in force, so admission never waits
// for the store. The control side owns the truth (the store) and sends every
// change here (on the media executor) before it answers the API call that
// made it; docs/design.md, "Threads", says why a copy and not a query.
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/wall_time.hpp"
#include "media/stream_key.hpp"
#include "store/store.hpp"

namespace sluice::manage {

class ActiveForbids {
 public:
  void replace_all(const std::vector<store::Forbid>& forbids);
  void put(const store::Forbid& forbid);
  void remove(const media::StreamKey& key);
  // The end of the forbid in force for `key` at `now`, if any.
  std::optional<WallTime> until(const media::StreamKey& key, WallTime now) const;

 private:
  std::unordered_map<media::StreamKey, WallTime, media::StreamKeyHash> end_times_;
};

}  // namespace sluice::manage
