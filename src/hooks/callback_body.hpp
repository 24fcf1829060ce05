#pragma once
// The JSON a callback receiver gets: the stored event plus what depends on
// the moment it is sent. `event_id` (the outbox id: a retry carries the same
// one, so a receiver dedupes by it), `t` (unix seconds until which the
// message is valid: send time + 600) and, when the vhost has a
// callback_auth_key, `sign` = lower-hex MD5(key + decimal t), Volcengine's
// callback signature (README, "Callbacks").
#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "store/store.hpp"

namespace sluice::hooks {

inline constexpr int64_t kCallbackValiditySeconds = 600;

// Nullopt when the stored payload is not a JSON object (it cannot be sent).
std::optional<std::string> callback_body(const store::CallbackMessage& message,
                                         const std::string& auth_key, int64_t now_unix_seconds);

std::string callback_sign(const std::string& auth_key, int64_t t);

// The vhost's callback_auth_key for a message's order key ("vhost/app/stream");
// empty when the vhost has none.
std::string callback_auth_key(const config::Config& config, const std::string& order_key);

}  // namespace sluice::hooks
