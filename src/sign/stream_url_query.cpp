#include "sign/stream_url_query.hpp"

#include "sign/url_signature.hpp"

namespace sluice::sign {

std::string stream_url_query(std::string_view app, std::string_view stream, std::string_view key,
                             int64_t expiry_s, std::string_view domain, std::string_view vhost) {
  std::string query;
  if (!key.empty()) {
    query += kVolcTimeParam;
    query += "=" + std::to_string(expiry_s) + "&";
    query += kVolcSecretParam;
    query += "=" + url_signature(app, stream, key, expiry_s);
  }
  // The domain finds the vhost (and it is what a CDN in front sees); a
  // vhost is named when clients connect by address.
  const auto append = [&query](std::string_view name, std::string_view value) {
    if (!query.empty()) query += '&';
    query += name;
    query += '=';
    query += value;
  };
  if (!domain.empty()) {
    append("domain", domain);
  } else if (!vhost.empty() && vhost != kDefaultVhostName) {
    append("vhost", vhost);
  }
  return query;
}

}  // namespace sluice::sign
