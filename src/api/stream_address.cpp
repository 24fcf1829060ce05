#include "api/stream_address.hpp"

#include "api/api_error.hpp"
#include "base/untrusted_text.hpp"
#include "media/stream_name.hpp"

namespace sluice::api {

std::optional<VhostChoice> optional_vhost(const Params& params, const config::Config& config) {
  auto vhost = params.filter("Vhost", 253);
  auto domain = params.filter("Domain", 253);
  if (!vhost && !domain) return std::nullopt;
  if (vhost && domain && !config.domain_in_vhost(*domain, *vhost)) {
    throw ApiError::invalid_param("Domain", "Domain " + printable(*domain) +
                                                " does not belong to Vhost " + printable(*vhost));
  }
  if (vhost) return VhostChoice{*vhost, domain.value_or("")};
  return VhostChoice{config.vhost_for_domain(*domain), *domain};
}

VhostChoice require_vhost(const Params& params, const config::Config& config) {
  auto choice = optional_vhost(params, config);
  if (!choice) throw ApiError::invalid_param("Vhost", "one of Vhost or Domain is required");
  // Addressing one stream, the Domain is kept (a forbid stores it), so it must
  // be one a publisher could have used; filters need no such rule.
  if (!choice->domain.empty() && !media::acceptable_domain(choice->domain, config, true)) {
    throw ApiError::invalid_param(
        "Domain", "Domain must be a DNS name, an IP address or a configured domain");
  }
  return *choice;
}

AddressedStream require_stream(const Params& params, const config::Config& config) {
  auto vhost = require_vhost(params, config);
  return {{vhost.vhost, *params.app(true), *params.stream(true)}, vhost.domain};
}

std::string printable_name(const media::StreamKey& key) {
  return printable(key.vhost) + "/" + key.app + "/" + key.stream;
}

}  // namespace sluice::api
