#include "hooks/callback_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/md5.hpp"

namespace sluice::hooks {

std::string callback_sign(const std::string& auth_key, int64_t t) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto digest = md5(auth_key + std::to_string(t));
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0x0f]);
  }
  return hex;
}

std::optional<std::string> callback_body(const store::CallbackMessage& message,
                                         const std::string& auth_key, int64_t now_unix_seconds) {
  boost::system::error_code ec;
  boost::json::value payload = boost::json::parse(message.payload, ec);
  if (ec || !payload.is_object()) return std::nullopt;
  auto& object = payload.as_object();
  const int64_t t = now_unix_seconds + kCallbackValiditySeconds;
  object["event_id"] = message.id;
  object["t"] = t;
  if (!auth_key.empty()) object["sign"] = callback_sign(auth_key, t);
  return boost::json::serialize(payload);
}

std::string callback_auth_key(const config::Config& config, const std::string& order_key) {
  const std::string vhost = order_key.substr(0, order_key.find('/'));
  for (const auto& v : config.vhosts) {
    if (v.name == vhost) return v.callback_auth_key;
  }
  return {};
}

}  // namespace sluice::hooks
