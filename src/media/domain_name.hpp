#pragma once
// Whether text a client sent as a domain (a `?domain=`/`?vhost=` parameter,
// the tcUrl host, the HTTP Host header) can be one. A domain is stored in
// the publish history and returned by the API, so anything else is refused
// rather than kept.
#include <string_view>

namespace sluice::media {

// A host name as RFC 1123 defines it: at most 253 characters of dot-separated
// labels, each 1-63 letters, digits or hyphens, not starting or ending with a
// hyphen.
bool valid_dns_name(std::string_view name);

// An IPv4 or IPv6 address literal ("192.0.2.1", "::1", "[::1]").
bool is_ip_literal(std::string_view host);

}  // namespace sluice::media
