#pragma once
// How an action's Vhost/Domain parameters name a vhost, through the
// config's domain map (docs/api.md, "Names").
#include <optional>
#include <string>

#include "api/params.hpp"
#include "config/config.hpp"
#include "media/stream_key.hpp"

namespace sluice::api {

struct VhostChoice {
  std::string vhost;
  std::string domain;  // as given, or empty
};

// Exactly one of Vhost/Domain: neither → InvalidParam.Vhost; both → accepted
// when the Domain belongs to that Vhost, else InvalidParam.Domain.
VhostChoice require_vhost(const Params& params, const config::Config& config);
// The same rules for an optional filter: nullopt when neither is given.
std::optional<VhostChoice> optional_vhost(const Params& params, const config::Config& config);

// Vhost (or Domain), App and Stream of a single stream, validated.
struct AddressedStream {
  media::StreamKey key;
  std::string domain;
};
AddressedStream require_stream(const Params& params, const config::Config& config);

// The stream's name for an error message. App and Stream follow the naming
// rules, but a Vhost is any text up to 253 bytes: escaped, and cut to what a
// sane name needs.
std::string printable_name(const media::StreamKey& key);

}  // namespace sluice::api
