#include "media/stream_attachment.hpp"

#include "media/stream.hpp"

namespace sluice::media {

StreamAttachment& StreamAttachment::operator=(StreamAttachment&& other) noexcept {
  if (this == &other) return *this;
  reset();
  stream_ = std::move(other.stream_);
  viewer_ = std::exchange(other.viewer_, nullptr);
  output_ = std::exchange(other.output_, nullptr);
  return *this;
}

void StreamAttachment::reset() noexcept {
  auto viewer = std::exchange(viewer_, nullptr);
  auto output = std::exchange(output_, nullptr);
  auto stream = stream_.lock();
  stream_.reset();
  if (!stream) return;
  if (viewer) stream->remove_viewer(viewer);
  if (output) stream->detach_output(output);
}

}  // namespace sluice::media
