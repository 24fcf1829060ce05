#include "manage/push_auth_check.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

#include "base/address_range.hpp"
#include "base/rfc3339.hpp"
#include "base/untrusted_text.hpp"
#include "base/wall_time.hpp"
#include "manage/url_signature.hpp"

namespace sluice::manage {
namespace {

Refusal denied(std::string reason) {
  return {Refusal::Kind::kDenied, std::move(reason)};
}

std::vector<std::string> keys_of(const std::string& primary, const std::string& secondary) {
  std::vector<std::string> keys;
  if (!primary.empty()) keys.push_back(primary);
  if (!secondary.empty()) keys.push_back(secondary);
  return keys;
}

std::string expiry_text(int64_t expiry_s) {
  const std::string seconds = "volcTime " + std::to_string(expiry_s);
  if (expiry_s < 0 || expiry_s > 253402300799) return seconds;  // beyond year 9999
  return format_rfc3339_s(from_unix_ms(expiry_s * 1000)) + " (" + seconds + ")";
}

boost::asio::awaitable<std::optional<Refusal>> answer(std::optional<Refusal> refusal) {
  co_return refusal;
}

// Why a signature the request carries is not accepted, or nullopt.
std::optional<Refusal> signature_problem(std::string_view what, const AccessRequest& r,
                                         const std::vector<std::string>& keys, int64_t now_s) {
  const auto check = verify_url_signature(r.params, r.key.app, r.key.stream, keys, now_s);
  const std::string w(what);
  switch (check.verdict) {
    case SignatureVerdict::kValid:
      return std::nullopt;
    case SignatureVerdict::kMissing:
      return denied(w + " signature missing (volcTime and volcSecret)");
    case SignatureVerdict::kIncomplete:
      return denied(w + " signature incomplete: it needs both volcTime and volcSecret");
    case SignatureVerdict::kMalformedTime:
      return denied(w + " signature malformed: volcTime must be unix seconds (decimal digits)");
    case SignatureVerdict::kMalformedSecret:
      return denied(w + " signature malformed: volcSecret must be 32 hex digits");
    case SignatureVerdict::kMismatch:
      return denied(w + " signature does not match");
    case SignatureVerdict::kExpired:
      return denied(w + " signature expired at " + expiry_text(check.expiry_s));
  }
  return denied(w + " signature does not match");
}

std::optional<Refusal> check_publish(const config::Config& config, const AccessRequest& r,
                                     int64_t now_s, const std::string& default_push_key) {
  const auto* vhost = config.find_vhost(r.key.vhost);
  auto keys =
      vhost ? keys_of(vhost->push_key, vhost->push_key_secondary) : std::vector<std::string>{};
  if (keys.empty() && r.key.vhost == config.default_vhost && !default_push_key.empty())
    keys.push_back(default_push_key);
  const bool exempt =
      !config.push_auth.required || address_in_ranges(r.client_address, config.push_auth.trusted);
  if (keys.empty()) {
    if (exempt) return std::nullopt;
    return denied("no push key is configured for vhost " + printable(r.key.vhost) +
                  "; only push_auth.trusted addresses may publish without a signed URL");
  }
  if (!has_signature_params(r.params) && exempt) return std::nullopt;
  return signature_problem("push", r, keys, now_s);
}

std::optional<Refusal> check_play(const config::Config& config, const AccessRequest& r,
                                  int64_t now_s) {
  const auto* vhost = config.find_vhost(r.key.vhost);
  if (!vhost) return std::nullopt;
  const auto keys = keys_of(vhost->play_key, vhost->play_key_secondary);
  if (keys.empty()) return std::nullopt;
  return signature_problem("play", r, keys, now_s);
}

}  // namespace

bool address_in_ranges(const std::string& client_address, const std::vector<std::string>& ranges) {
  const auto colon = client_address.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = client_address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  const auto address16 = to_address16(address);
  for (const auto& text : ranges) {
    const auto range = AddressRange::parse(text);
    if (range && range->contains(address16)) return true;
  }
  return false;
}

std::optional<Refusal> check_url_signature(const config::Config& config,
                                           const AccessRequest& request, int64_t now_s,
                                           const std::string& default_push_key) {
  return request.action == AccessAction::kPublish
             ? check_publish(config, request, now_s, default_push_key)
             : check_play(config, request, now_s);
}

AccessCheck url_signature_check(const config::Config& config, std::string default_push_key) {
  // Decided before the coroutine starts: nothing here awaits, and the
  // coroutine then holds only its answer, not this lambda's captures.
  return [&config, key = std::move(default_push_key)](const AccessRequest& request) {
    const int64_t now_s = to_unix_ms(wall_now()) / 1000;
    return answer(check_url_signature(config, request, now_s, key));
  };
}

}  // namespace sluice::manage
