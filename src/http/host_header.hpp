#pragma once
// The host name of a Host header, for answers that name this server back to
// the client (the console's policy, the API's generated URLs).
#include <string_view>

namespace sluice::http {

// "name" of "name" or "name:port", "[v6]" of "[v6]:port"; empty when the
// header holds anything else (so the result is safe in a URL or a policy
// as is).
std::string_view host_name(std::string_view host_header);

}  // namespace sluice::http
