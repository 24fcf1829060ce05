#include "sign/request_signer.hpp"

#include "base/rfc3339.hpp"
#include "base/sha256.hpp"

namespace sluice::sign {

std::string format_x_date(WallTime t) {
  return sluice::format_x_date(t);
}

std::string encode_query(const Params& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out.push_back('&');
    out += uri_encode(k) + "=" + uri_encode(v);
  }
  return out;
}

Headers signed_headers(const ClientRequest& r, const Credentials& c, const std::string& x_date) {
  const std::string body_hash = sha256_hex(r.body);
  const bool python_style = r.coverage == HeaderCoverage::kPythonSdk;
  Headers headers;
  std::vector<std::string> names;
  if (python_style && !r.content_type.empty()) {
    headers.emplace_back("Content-Type", r.content_type);
    names.push_back("content-type");
  }
  if (python_style && !r.host.empty()) {
    headers.emplace_back("Host", r.host);
    names.push_back("host");
  }
  if (python_style || !r.body.empty()) {
    headers.emplace_back("X-Content-Sha256", body_hash);
    names.push_back("x-content-sha256");
  }
  headers.emplace_back("X-Date", x_date);
  names.push_back("x-date");
  if (!c.session_token.empty()) {  // both SDKs sign it, as every X- header present
    headers.emplace_back("X-Security-Token", c.session_token);
    names.push_back("x-security-token");
  }

  Scope scope{x_date.substr(0, 8), c.region, c.service};
  CanonicalInput in{r.method, r.path, r.query, headers, names, body_hash};
  headers.emplace_back("Authorization", authorization(c.access_key, scope, names,
                                                      signature(c.secret_key, x_date, scope, in)));
  // Host and Content-Type are set by the HTTP client itself; only the
  // signing headers are returned to be added.
  std::erase_if(headers,
                [](const auto& h) { return h.first == "Host" || h.first == "Content-Type"; });
  return headers;
}

}  // namespace sluice::sign
