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

}  // namespace sluice::api
