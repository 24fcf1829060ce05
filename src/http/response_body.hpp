#pragma once
// The body of every response the HTTP server writes: either text the handler
// built (assigned like a std::string), or bytes shared with others: an HLS
// segment is held once by its segmenter and every response serving it
// references those bytes instead of copying them (a copy per request was a
// fifth of the server's CPU with 500 HLS viewers; README, "HLS against
// nginx-rtmp"). A Beast body type; responses are only ever written.
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

namespace sluice::http {

struct ResponseBody {
  using SharedBytes = std::shared_ptr<const std::vector<uint8_t>>;

  class value_type {
   public:
    value_type& operator=(std::string text) {
      text_ = std::move(text);
      shared_.reset();
      return *this;
    }
    // Serves `bytes` (kept alive by this body) instead of any text.
    void share(SharedBytes bytes) {
      shared_ = std::move(bytes);
      text_.clear();
    }
    const void* data() const {
      return shared_ ? shared_->data() : static_cast<const void*>(text_.data());
    }
    size_t size() const { return shared_ ? shared_->size() : text_.size(); }
    std::string_view view() const { return {static_cast<const char*>(data()), size()}; }

   private:
    std::string text_;
    SharedBytes shared_;
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
