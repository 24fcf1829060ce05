#include "api/replay_cache.hpp"

namespace sluice::api {

void ReplayCache::forget_expired(WallTime now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
    entries_.erase(entries_.find(*by_expiry_.begin()->second));
    by_expiry_.erase(by_expiry_.begin());
  }
}

const StoredAnswer* ReplayCache::find(const std::string& signature, WallTime now) {
  forget_expired(now);
  auto it = entries_.find(signature);
  return it == entries_.end() ? nullptr : &it->second.answer;
}

bool ReplayCache::has_room(WallTime now) {
  forget_expired(now);
  return entries_.size() < max_entries_;
}

void ReplayCache::remember(const std::string& signature, WallTime replayable_until,
                           StoredAnswer answer) {
  auto [it, added] = entries_.try_emplace(signature, Entry{replayable_until, std::move(answer)});
  if (added) by_expiry_.emplace(replayable_until, &it->first);
}

}  // namespace sluice::api
