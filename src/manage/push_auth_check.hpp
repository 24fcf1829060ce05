#pragma once
// The signed-URL rule behind the access gate (README, "Push and play
// authentication"). A publish from outside push_auth.trusted needs a valid
// volcTime/volcSecret for its vhost's push keys (unless push_auth.required
// is false); a signature that is present is checked from any address. A play
// needs one only when its vhost has a play key. Only new publishes and plays
// are checked: an expiry never ends one already admitted.
#include <functional>
#include <optional>

#include "config/config.hpp"
#include "manage/access_request.hpp"

namespace sluice::manage {

// The decision for one request at `now_s` (unix seconds). The config is read
// afresh each time, so a reload's keys apply to the next request.
// `default_push_key` (the generated one, manage/push_key_file.hpp; may be
// empty) is the default vhost's push key while the config gives it none.
// Reasons never hold a key or the request's volcSecret.
std::optional<Refusal> check_url_signature(const config::Config& config,
                                           const AccessRequest& request, int64_t now_s,
                                           const std::string& default_push_key = {});

// The check to add to the gate; `config` is the media side's copy and must
// outlive it.
AccessCheck url_signature_check(const config::Config& config, std::string default_push_key = {});

// "ADDR:PORT" (as sessions write client_address; "[v6]:PORT" accepted too)
// is in one of `ranges`. An address that does not parse is in none.
bool address_in_ranges(const std::string& client_address, const std::vector<std::string>& ranges);

}  // namespace sluice::manage
