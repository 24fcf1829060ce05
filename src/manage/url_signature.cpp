#include "manage/url_signature.hpp"

#include <charconv>
#include <optional>

#include "base/md5.hpp"

namespace sluice::manage {
namespace {

// Plain decimal digits only (no sign, no spaces), at most what int64 holds.
std::optional<int64_t> parse_unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Md5Digest> parse_digest(std::string_view hex) {
  Md5Digest out{};
  if (hex.size() != out.size() * 2) return std::nullopt;
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return out;
}

}  // namespace

bool has_signature_params(const std::map<std::string, std::string>& params) {
  return params.contains(std::string(kVolcTimeParam)) ||
         params.contains(std::string(kVolcSecretParam));
}

SignatureCheck verify_url_signature(const std::map<std::string, std::string>& params,
                                    std::string_view app, std::string_view stream,
                                    const std::vector<std::string>& keys, int64_t now_s) {
  const auto time_it = params.find(std::string(kVolcTimeParam));
  const auto secret_it = params.find(std::string(kVolcSecretParam));
  if (time_it == params.end() && secret_it == params.end()) return {SignatureVerdict::kMissing};
  if (time_it == params.end() || secret_it == params.end()) return {SignatureVerdict::kIncomplete};
  const auto expiry = parse_unix_seconds(time_it->second);
  if (!expiry) return {SignatureVerdict::kMalformedTime};
  const auto given = parse_digest(secret_it->second);
  if (!given) return {SignatureVerdict::kMalformedSecret, *expiry};
  // Signed over volcTime as sent: "0017…" and "17…" are different URLs.
  bool matches = false;
  for (const auto& key : keys) {
    if (key.empty()) continue;
    const auto expected = sign::url_signature_digest(app, stream, key, time_it->second);
    matches = equal_constant_time(expected, *given) || matches;
  }
  if (!matches) return {SignatureVerdict::kMismatch, *expiry};
  if (now_s > *expiry) return {SignatureVerdict::kExpired, *expiry};
  return {SignatureVerdict::kValid, *expiry};
}

}  // namespace sluice::manage
