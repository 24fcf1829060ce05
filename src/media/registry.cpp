#include "media/registry.hpp"

#include "base/owner_check.hpp"

namespace sluice::media {

Registry::Registry(boost::asio::any_io_executor executor, const config::MediaConfig& config)
    : executor_(std::move(executor)), config_(config) {}

std::shared_ptr<Stream> Registry::find_or_create(const StreamKey& key) {
  if (auto it = streams_.find(key); it != streams_.end()) return it->second;
  // Only the registered stream itself may unregister: a stale one going idle
  // later must not take its successor's place away.
  auto stream = std::make_shared<Stream>(key, config_, executor_, [this](const Stream& idle) {
    auto it = streams_.find(idle.key());
    if (it != streams_.end() && it->second.get() == &idle) streams_.erase(it);
  });
  streams_.emplace(key, stream);
  return stream;
}

std::shared_ptr<Stream> Registry::stream_for_viewer(const StreamKey& key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  return find_or_create(key);
}

std::shared_ptr<Stream> Registry::stream_for_publisher(const StreamKey& key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto stream = find_or_create(key);
  return stream->publishing() ? nullptr : stream;
}

std::shared_ptr<Stream> Registry::find(const StreamKey& key) const {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto it = streams_.find(key);
  return it == streams_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Stream>> Registry::publishing_streams() const {
  SLUICE_ASSERT_ON_OWNER(executor_);
  std::vector<std::shared_ptr<Stream>> out;
  for (const auto& [key, stream] : streams_) {
    if (stream->publishing()) out.push_back(stream);
  }
  return out;
}

}  // namespace sluice::media
