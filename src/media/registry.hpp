#pragma once
// The online streams, keyed by (vhost, app, stream). A stream exists while it
// has a publisher or viewers (viewers may wait for a publisher to appear).
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "media/stream.hpp"

namespace sluice::media {

class Registry {
 public:
  Registry(boost::asio::any_io_executor executor, const config::MediaConfig& config);

  // The stream to watch; created (without a publisher) if it does not exist.
  std::shared_ptr<Stream> stream_for_viewer(const StreamKey& key);
  // The stream to publish to, or null when someone is already publishing it.
  std::shared_ptr<Stream> stream_for_publisher(const StreamKey& key);
  std::shared_ptr<Stream> find(const StreamKey& key) const;
  std::vector<std::shared_ptr<Stream>> publishing_streams() const;
  size_t size() const { return streams_.size(); }

 private:
  std::shared_ptr<Stream> find_or_create(const StreamKey& key);

  boost::asio::any_io_executor executor_;
  const config::MediaConfig& config_;
  std::unordered_map<StreamKey, std::shared_ptr<Stream>, StreamKeyHash> streams_;
};

}  // namespace sluice::media
