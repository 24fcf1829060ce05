#pragma once
// The body of every response the HTTP server writes: either text the handler
// built (assigned like a std::string), or bytes shared with others: an HLS
// segment is held once by its segmenter and every response serving it
// references those bytes instead of copying them (a copy per request was a
// fifth of the server's CPU with 500 HLS viewers; README, "HLS against
// nginx-rtmp"). Bytes in a sealed memory file (SealedBytes) go further:
// ServerSession sends them with sendfile(2), so not even the kernel's copy
// into the socket buffer is made. A Beast body type; responses are only
// ever written (Beast's writer, below, serves everything but that one path).
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/sealed_bytes.hpp"

namespace sluice::http {

struct ResponseBody {
  using SharedBytes = std::shared_ptr<const std::vector<uint8_t>>;

  class value_type {
   public:
    value_type& operator=(std::string text) {
      text_ = std::move(text);
      shared_.reset();
      sealed_.reset();
      return *this;
    }
    // Serves `bytes` (kept alive by this body) instead of any text.
    void share(SharedBytes bytes) {
      *this = std::string();
      shared_ = std::move(bytes);
    }
    void share(SharedSealedBytes bytes) {
      *this = std::string();
      sealed_ = std::move(bytes);
    }
    const void* data() const {
      if (sealed_) return sealed_->data();
      return shared_ ? shared_->data() : static_cast<const void*>(text_.data());
    }
    size_t size() const {
      if (sealed_) return sealed_->size();
      return shared_ ? shared_->size() : text_.size();
    }
    std::string_view view() const { return {static_cast<const char*>(data()), size()}; }
    // The sealed file to sendfile() the body from; -1 when it is not in one.
    int sealed_fd() const { return sealed_ ? sealed_->fd() : -1; }

   private:
    std::string text_;
    SharedBytes shared_;
    SharedSealedBytes sealed_;
  };

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body)
        : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      return {{const_buffers_type(body_.data(), body_.size()), false}};
    }

   private:
    const value_type& body_;
  };
};

}  // namespace sluice::http
