#pragma once
// The push and push_end callbacks (README, "Callbacks"): which receivers a
// publish's start and end are told of, and the Volcengine-style JSON they
// get. The messages go into the store's outbox with the history change they
// report (ControlService); the delivery worker (src/hooks) sends them.
//
// The stored payload lacks what depends on the moment of sending; the
// worker adds, to the top-level object, at every try:
//   event_id  the message's outbox id (CallbackMessage::id): the same on
//             every retry, so receivers drop duplicates by it
//   t         unix seconds the signature expires: send time + 600
//   sign      MD5(callback_auth_key + t), lower-case hex, when the vhost has
//             a callback_auth_key
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/wall_time.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace sluice::manage {

// The order key of a stream's callbacks: its push_end never overtakes its push.
std::string callback_order_key(std::string_view vhost, std::string_view app,
                               std::string_view stream);

// The publish URL's parameters as fp_user_url reports them: name=value
// pairs, percent-encoded, sorted by name, joined by '&'; every parameter
// whose name contains "secret", "token" or "sign" (any case) is left out,
// volcSecret among them, so no credential reaches the store or a receiver.
std::string callback_url_params(const std::map<std::string, std::string>& params);

// The reason a push_end reports for how a publish ended.
std::string_view callback_end_reason(store::EndReason reason);

// The JSON objects (without event_id, t and sign).
std::string push_start_payload(const store::OpenPublish& publish, int64_t publish_id);
std::string push_end_payload(const store::ClosedStream& closed);

// One message per URL of the vhost's push_callback_urls / push_end_callback_urls
// (none when the vhost has no [[vhost]] table or no URLs), due at `now`.
std::vector<store::CallbackMessage> push_start_callbacks(const config::Config& config,
                                                         const store::OpenPublish& publish,
                                                         int64_t publish_id, WallTime now);
std::vector<store::CallbackMessage> push_end_callbacks(const config::Config& config,
                                                       const store::ClosedStream& closed,
                                                       WallTime now);

}  // namespace sluice::manage
