#include "cli/endpoint.hpp"

#include "base/untrusted_text.hpp"
#include "base/url_parts.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {

Endpoint parse_endpoint(const std::string& text) {
  const std::string shown = "endpoint \"" + printable(text, kShownArgumentMax) + "\"";
  const bool has_scheme = text.find("://") != std::string::npos;
  auto url = parse_url_parts(has_scheme ? text : "http://" + text);
  if (!url) throw UsageError(shown + ": expected [http[s]://]HOST[:PORT]");
  Endpoint ep;
  ep.scheme = url->scheme;
  if (ep.scheme != "http" && ep.scheme != "https")
    throw UsageError(shown + ": scheme must be http or https");
  if (url->host.empty()) throw UsageError(shown + " names no host");
  if ((!url->encoded_path.empty() && url->encoded_path != "/") || url->has_query ||
      url->has_fragment || url->has_userinfo)
    throw UsageError(shown + ": expected [http[s]://]HOST[:PORT], without a path");
  if (url->has_port && !url->port_number) throw UsageError(shown + ": the port must be 1-65535");

  if (!has_scheme) {
    const bool own_api = url->host_is_address || url->host == "localhost";
    ep.scheme = own_api ? "http" : "https";
  }
  ep.host = url->host_and_port;
  if (!url->has_port && ep.scheme == "http") ep.host += ":" + std::to_string(kDefaultApiPort);
  return ep;
}

}  // namespace sluice::cli
