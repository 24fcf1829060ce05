#include "sign/url_signature.hpp"

#include "base/sha256.hpp"

namespace sluice::sign {

Md5Digest url_signature_digest(std::string_view app, std::string_view stream, std::string_view key,
                               std::string_view volc_time) {
  std::string text;
  text.reserve(app.size() + stream.size() + key.size() + volc_time.size() + 2);
  text += '/';
  text += app;
  text += '/';
  text += stream;
  text += key;
  text += volc_time;
  return md5(text);
}

std::string url_signature(std::string_view app, std::string_view stream, std::string_view key,
                          int64_t expiry_s) {
  return to_hex(url_signature_digest(app, stream, key, std::to_string(expiry_s)));
}

}  // namespace sluice::sign
