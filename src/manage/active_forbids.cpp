#include "manage/active_forbids.hpp"

namespace sluice::manage {

void ActiveForbids::replace_all(const std::vector<store::Forbid>& forbids) {
  end_times_.clear();
  for (const auto& f : forbids) put(f);
}

void ActiveForbids::put(const store::Forbid& f) {
  end_times_[media::StreamKey{f.vhost, f.app, f.stream}] = f.end_time;
}

void ActiveForbids::remove(const media::StreamKey& key) {
  end_times_.erase(key);
}

std::optional<WallTime> ActiveForbids::until(const media::StreamKey& key, WallTime now) const {
  auto it = end_times_.find(key);
  if (it == end_times_.end() || it->second <= now) return std::nullopt;
  return it->second;
}

}  // namespace sluice::manage
