#pragma once
// The control side's own record of which streams are being published, kept
// from the open and closed records that pass through it (every admitted
// publish opens one, every end closes one). DescribeLiveStreamState reads it
// without crossing to the media thread: a cross-thread round trip costs two
// thread wake-ups, which nearly doubled that request's CPU cost.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "media/stream_key.hpp"

namespace sluice::manage {

class OpenPublishes {
 public:
  struct Entry {
    int64_t id = 0;
    std::string source_type;  // push | relay
  };

  void opened(const media::StreamKey& key, int64_t id, std::string source_type) {
    by_key_[key] = Entry{id, std::move(source_type)};
  }
  // Only the publish with this id: a newer one of the same name stays.
  void closed(const media::StreamKey& key, int64_t id) {
    if (auto it = by_key_.find(key); it != by_key_.end() && it->second.id == id) by_key_.erase(it);
  }
  const Entry* find(const media::StreamKey& key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : &it->second;
  }
  bool empty() const { return by_key_.empty(); }

 private:
  std::unordered_map<media::StreamKey, Entry, media::StreamKeyHash> by_key_;
};

}  // namespace sluice::manage
