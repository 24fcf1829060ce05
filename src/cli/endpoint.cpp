#include "cli/endpoint.hpp"

#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

bool is_loopback_name(const std::string& host) {
  std::string name = host;
  if (!name.empty() && name.front() == '[') {  // [::1]:1985
    auto end = name.find(']');
    name = end == std::string::npos ? name : name.substr(1, end - 1);
    return name == "::1";
  }
  if (auto colon = name.find(':'); colon != std::string::npos) name.resize(colon);
  return name == "localhost" || name == "127.0.0.1";
}

}  // namespace

Endpoint parse_endpoint(const std::string& text) {
  Endpoint ep;
  std::string rest = text;
  auto sep = rest.find("://");
  if (sep != std::string::npos) {
    ep.scheme = rest.substr(0, sep);
    rest = rest.substr(sep + 3);
    if (ep.scheme != "http" && ep.scheme != "https")
      throw UsageError("endpoint \"" + text + "\": scheme must be http or https");
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) throw UsageError("endpoint \"" + text + "\" names no host");
  if (rest.find_first_of("/?# \t") != std::string::npos)
    throw UsageError("endpoint \"" + text + "\": expected [http[s]://]HOST[:PORT], without a path");
  ep.host = rest;
  if (ep.scheme.empty()) ep.scheme = is_loopback_name(ep.host) ? "http" : "https";
  return ep;
}

}  // namespace sluice::cli
