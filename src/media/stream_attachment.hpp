#pragma once
// A viewer's or an output's place on a stream, given up when this guard is
// destroyed or reset: a session that ends by any path (an exception, a
// coroutine cancelled, an early co_return) can no longer leave the stream
// calling into it. Holds the stream weakly, so a guard outliving its stream
// is harmless.
#include <memory>

namespace sluice::media {

class Stream;
class Subscriber;
class StreamOutput;

class [[nodiscard]] StreamAttachment {
 public:
  StreamAttachment() = default;
  StreamAttachment(std::weak_ptr<Stream> stream, const Subscriber* viewer)
      : stream_(std::move(stream)), viewer_(viewer) {}
  StreamAttachment(std::weak_ptr<Stream> stream, const StreamOutput* output)
      : stream_(std::move(stream)), output_(output) {}
  StreamAttachment(StreamAttachment&& other) noexcept { *this = std::move(other); }
  StreamAttachment& operator=(StreamAttachment&& other) noexcept;
  StreamAttachment(const StreamAttachment&) = delete;
  StreamAttachment& operator=(const StreamAttachment&) = delete;
  ~StreamAttachment() { reset(); }

  // Detaches now (idempotent).
  void reset() noexcept;
  bool attached() const { return viewer_ || output_; }

 private:
  std::weak_ptr<Stream> stream_;
  const Subscriber* viewer_ = nullptr;
  const StreamOutput* output_ = nullptr;
};

}  // namespace sluice::media
