#pragma once
// The query string of a push or play URL for one stream: the signature
// (volcTime/volcSecret) when there is a key, then the vhost's name. The one
// way sluice writes it: the SDK's generate_push_url/generate_play_url (and the
// CLI on them) and the API's GeneratePushURL/GeneratePlayURL all call this.
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::sign {

inline constexpr std::string_view kDefaultVhostName = "__defaultVhost__";

// "volcTime=…&volcSecret=…" under `key` (nothing when `key` is empty), then
// "&domain=…" when a domain is given, else "&vhost=…" for a vhost other than
// the default one (clients connecting by address name it that way). No
// leading '?'. App, stream, domain and vhost must already follow the naming
// rules: nothing here is escaped.
std::string stream_url_query(std::string_view app, std::string_view stream, std::string_view key,
                             int64_t expiry_s, std::string_view domain, std::string_view vhost);

}  // namespace sluice::sign
