#include "flv_scanner.hpp"

#include <algorithm>
#include <cstring>

#include "base/errors.hpp"

namespace sluice::load {

void FlvTagScanner::feed(std::span<const uint8_t> bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    switch (state_) {
      case State::kFileHeader: {
        const size_t n = std::min(header_.size() - have_, bytes.size() - pos);
        std::memcpy(header_.data() + have_, bytes.data() + pos, n);
        have_ += n;
        pos += n;
        if (have_ < header_.size()) break;
        if (header_[0] != 'F' || header_[1] != 'L' || header_[2] != 'V') {
          throw ProtocolError("body is not FLV");
        }
        have_ = 0;
        state_ = State::kTagHeader;
        break;
      }
      case State::kTagHeader: {
        const size_t n = std::min<size_t>(11 - have_, bytes.size() - pos);
        std::memcpy(header_.data() + have_, bytes.data() + pos, n);
        have_ += n;
        pos += n;
        if (have_ < 11) break;
        have_ = 0;
        type_ = header_[0] & 0x1F;
        body_left_ = uint32_t(header_[1]) << 16 | uint32_t(header_[2]) << 8 | header_[3];
        timestamp_ = uint32_t(header_[7]) << 24 | uint32_t(header_[4]) << 16 |
                     uint32_t(header_[5]) << 8 | header_[6];
        head_len_ = 0;
        state_ = State::kBody;
        if (body_left_ == 0) {
          on_tag_(context_, type_, timestamp_, {});
          state_ = State::kPreviousSize;
        }
        break;
      }
      case State::kBody: {
        const size_t n = std::min<size_t>(body_left_, bytes.size() - pos);
        if (head_len_ < kHeadBytes) {
          const size_t k = std::min(kHeadBytes - head_len_, n);
          std::memcpy(head_.data() + head_len_, bytes.data() + pos, k);
          head_len_ += k;
        }
        pos += n;
        body_left_ -= static_cast<uint32_t>(n);
        if (body_left_ == 0) {
          on_tag_(context_, type_, timestamp_, {head_.data(), head_len_});
          state_ = State::kPreviousSize;
        }
        break;
      }
      case State::kPreviousSize: {
        const size_t n = std::min<size_t>(4 - have_, bytes.size() - pos);
        have_ += n;
        pos += n;
        if (have_ == 4) {
          have_ = 0;
          state_ = State::kTagHeader;
        }
        break;
      }
    }
  }
}

void ChunkedDecoder::step(uint8_t c) {
  switch (state_) {
    case State::kSize: {
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit >= 0) {
        if (++digits_ > 15) throw ProtocolError("chunk size too long");
        left_ = left_ * 16 + static_cast<uint64_t>(digit);
      } else if (c == ';' || c == ' ' || c == '\t') {
        state_ = State::kExtension;
      } else if (c == '\r') {
        state_ = State::kSizeLf;
      } else {
        throw ProtocolError("bad chunk size line");
      }
      break;
    }
    case State::kExtension:
      if (c == '\r') state_ = State::kSizeLf;
      break;
    case State::kSizeLf:
      if (c != '\n' || digits_ == 0) throw ProtocolError("bad chunk size line");
      digits_ = 0;
      state_ = left_ == 0 ? State::kDone : State::kData;  // trailers after 0 are not read
      break;
    case State::kDataEnd:
      if (c != '\r') throw ProtocolError("chunk not followed by CRLF");
      state_ = State::kDataLf;
      break;
    case State::kDataLf:
      if (c != '\n') throw ProtocolError("chunk not followed by CRLF");
      state_ = State::kSize;
      break;
    case State::kData:
    case State::kDone:
      break;
  }
}

}  // namespace sluice::load
