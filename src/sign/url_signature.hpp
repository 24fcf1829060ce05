#pragma once
// Volcengine-style signed push and play URLs:
//   ?volcTime={expiry, unix seconds}&volcSecret=MD5("/{app}/{stream}{key}{volcTime}")
// (lower-case hex). The one definition of the signature: the SDK and the CLI
// sign with it, the server's check (manage/url_signature) verifies with it.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/md5.hpp"

namespace sluice::sign {

inline constexpr std::string_view kVolcTimeParam = "volcTime";
inline constexpr std::string_view kVolcSecretParam = "volcSecret";

// The digest for `app`/`stream` (no query) under `key`, over volcTime as the
// URL carries it (so "0017…" and "17…" differ, as they are different URLs).
Md5Digest url_signature_digest(std::string_view app, std::string_view stream, std::string_view key,
                               std::string_view volc_time);

// The volcSecret for `app`/`stream` under `key`, valid until `expiry_s`
// (unix seconds, inclusive).
std::string url_signature(std::string_view app, std::string_view stream, std::string_view key,
                          int64_t expiry_s);

}  // namespace sluice::sign
