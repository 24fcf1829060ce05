#pragma once
// The answers to signed write requests, kept for as long as their signature
// would be accepted again, so that the same request arriving twice (a
// client's retry after a timeout, or a copy someone captured) is answered the
// second time, not executed: a retry is safe, and a captured ForbidStream
// cannot undo a later ResumeStream.
//
// A request is named by its verified signature, which covers the method,
// query, signed headers, X-Date and the body's hash. It stays acceptable until
// X-Date + the allowed clock skew, so that is when its answer is forgotten.
// When `max_entries` answers are kept, none is forgotten early (that would
// reopen a replay); the caller refuses new writes until some expire.
#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>

#include "base/wall_time.hpp"

namespace sluice::api {

struct StoredAnswer {
  unsigned status = 200;
  std::string body;
  std::string code;  // error code, empty on success (for the access log)
};

class ReplayCache {
 public:
  explicit ReplayCache(size_t max_entries) : max_entries_(max_entries) {}

  // The first answer to the request with this signature, if still kept.
  // The pointer is valid until the next call.
  const StoredAnswer* find(const std::string& signature, WallTime now);
  // True when one more answer fits without forgetting one still replayable.
  bool has_room(WallTime now);
  // Keeps `answer` until `replayable_until` has passed.
  void remember(const std::string& signature, WallTime replayable_until, StoredAnswer answer);

  size_t size() const { return entries_.size(); }
  size_t max_entries() const { return max_entries_; }

 private:
  void forget_expired(WallTime now);

  struct Entry {
    WallTime replayable_until;
    StoredAnswer answer;
  };
  size_t max_entries_;
  std::unordered_map<std::string, Entry> entries_;
  // Expiry order. Keys point into entries_: an unordered_map's elements stay
  // where they are when it rehashes.
  std::multimap<WallTime, const std::string*> by_expiry_;
};

}  // namespace sluice::api
