#pragma once
// Walks an HTTP response body that carries FLV: undoes HTTP/1.1 chunked
// transfer coding (RFC 9112, 7.1) and splits the FLV stream into tags
// (FLV spec v10.1, annex E) without copying tag bodies; only each tag's
// first bytes are kept, for keyframe detection.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace sluice::load {

class FlvTagScanner {
 public:
  static constexpr size_t kHeadBytes = 8;
  // type 8 audio, 9 video, 18 script; timestamp in ms (with the extension byte)
  using OnTag = void (*)(void* context, uint8_t type, uint32_t timestamp,
                         std::span<const uint8_t> head);

  FlvTagScanner(OnTag on_tag, void* context) : on_tag_(on_tag), context_(context) {}
  // Throws ProtocolError when the stream is not FLV.
  void feed(std::span<const uint8_t> bytes);

 private:
  enum class State { kFileHeader, kTagHeader, kBody, kPreviousSize };
  OnTag on_tag_;
  void* context_;
  State state_ = State::kFileHeader;
  std::array<uint8_t, 13> header_{};  // file header + PreviousTagSize0, or a tag header
  size_t have_ = 0;
  uint32_t body_left_ = 0;
  uint8_t type_ = 0;
  uint32_t timestamp_ = 0;
  std::array<uint8_t, kHeadBytes> head_{};
  size_t head_len_ = 0;
};

class ChunkedDecoder {
 public:
  // Passes decoded body bytes to `sink`. Returns false once the last chunk
  // (size 0) was seen. Throws ProtocolError on malformed framing.
  template <typename Sink>
  bool feed(std::span<const uint8_t> bytes, Sink&& sink) {
    size_t pos = 0;
    while (pos < bytes.size() && state_ != State::kDone) {
      if (state_ == State::kData) {
        const size_t n = std::min<size_t>(left_, bytes.size() - pos);
        sink(bytes.subspan(pos, n));
        pos += n;
        left_ -= n;
        if (left_ == 0) state_ = State::kDataEnd;
      } else {
        step(bytes[pos++]);
      }
    }
    return state_ != State::kDone;
  }

 private:
  enum class State { kSize, kExtension, kSizeLf, kData, kDataEnd, kDataLf, kDone };
  void step(uint8_t c);
  State state_ = State::kSize;
  uint64_t left_ = 0;
  int digits_ = 0;
};

}  // namespace sluice::load
