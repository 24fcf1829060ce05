// GeneratePushURL and GeneratePlayURL: signed stream URLs, computed by the
// server with the vhost's own keys (docs/api.md, "The actions").
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>

#include "api/actions.hpp"
#include "api/api_error.hpp"
#include "api/stream_address.hpp"
#include "base/rfc3339.hpp"
#include "base/wall_time.hpp"
#include "sign/stream_url_query.hpp"

namespace sluice::api {
namespace {

namespace json = boost::json;

// Volcengine's default lifetime of a generated URL.
constexpr int64_t kDefaultValidSeconds = 7 * 24 * 3600;
// sluice decision: a URL lives at most ten years.
constexpr int64_t kMaxValidSeconds = 3650LL * 24 * 3600;

const config::VhostConfig* find_vhost(const config::Config& config, const std::string& name) {
  for (const auto& v : config.vhosts)
    if (v.name == name) return &v;
  return nullptr;
}

// Unix seconds the URL is valid through: ExpiredTime when given (it wins,
// as in Volcengine), else now + ValidDuration (default 7 days).
int64_t expiry_of(const Params& p) {
  const int64_t now_s = to_unix_ms(wall_now()) / 1000;
  const auto duration = p.integer("ValidDuration", 1, kMaxValidSeconds);
  if (const auto expired = p.time("ExpiredTime")) {
    const int64_t expiry_s = to_unix_ms(*expired) / 1000;
    if (expiry_s <= now_s)
      throw ApiError::invalid_param("ExpiredTime", "ExpiredTime must be in the future");
    if (expiry_s > now_s + kMaxValidSeconds) {
      throw ApiError::invalid_param(
          "ExpiredTime", "ExpiredTime must be at most 3650 days ahead (not after " +
                             format_rfc3339_s(from_unix_ms((now_s + kMaxValidSeconds) * 1000)) +
                             ")");
    }
    return expiry_s;
  }
  return now_s + duration.value_or(kDefaultValidSeconds);
}

// HOST[:PORT] in a URL: the Domain asked for, else the host the client
// reached the API at (the console's page, a CLI's --host).
std::string authority(const AddressedStream& s, const ActionContext& context, uint16_t port,
                      uint16_t scheme_default_port) {
  std::string host = !s.domain.empty()           ? s.domain
                     : !context.api_host.empty() ? context.api_host
                                                 : std::string("127.0.0.1");
  // An IPv6 address given as the Domain (the API's Host comes bracketed).
  if (host.find(':') != std::string::npos && !host.starts_with('[')) host = "[" + host + "]";
  if (port != scheme_default_port) host += ":" + std::to_string(port);
  return host;
}

struct SignedTarget {
  AddressedStream stream;
  std::string path;   // /app/stream
  std::string query;  // after '?', possibly empty
};

SignedTarget sign_target(const Params& p, const config::Config& config, bool push,
                         const UrlSettings& urls) {
  SignedTarget t{require_stream(p, config), {}, {}};
  const int64_t expiry_s = expiry_of(p);
  const auto& key = t.stream.key;
  const auto* vhost = find_vhost(config, key.vhost);
  // The primary key, else the secondary (both are accepted; the secondary
  // is for rotation). No key: the vhost does not check URLs, so they go out
  // unsigned.
  std::string secret;
  if (vhost) {
    const auto& primary = push ? vhost->push_key : vhost->play_key;
    const auto& secondary = push ? vhost->push_key_secondary : vhost->play_key_secondary;
    secret = primary.empty() ? secondary : primary;
  }
  if (push && secret.empty() && key.vhost == config.default_vhost) secret = urls.default_push_key;
  t.path = "/" + key.app + "/" + key.stream;
  t.query = sign::stream_url_query(key.app, key.stream, secret, expiry_s, t.stream.domain,
                                   key.vhost == config.default_vhost ? "" : key.vhost);
  return t;
}

std::string with_query(const std::string& base, const std::string& query) {
  return query.empty() ? base : base + "?" + query;
}

}  // namespace

boost::asio::awaitable<ActionResult> generate_push_url(Params p, ActionContext context) {
  const auto t = sign_target(p, context.control.config(), true, context.urls);
  const std::string domain_app = "rtmp://" +
                                 authority(t.stream, context, context.urls.rtmp_port, 1935) + "/" +
                                 t.stream.key.app + "/";
  const std::string stream_sign = with_query(t.stream.key.stream, t.query);
  const std::string url = domain_app + stream_sign;
  co_return json::object{
      {"PushURLList", json::array{json::value(url)}},
      {"PushURLListDetail",
       json::array{
           json::object{{"URL", url}, {"DomainApp", domain_app}, {"StreamSign", stream_sign}}}},
      // Protocols sluice does not take: present and empty, as the SDK models
      // expect lists.
      {"TsOverSrtURLList", json::array{}},
      {"RtmpOverSrtURLList", json::array{}},
      {"RtmURLList", json::array{}},
      {"WebTransportURLList", json::array{}},
  };
}

boost::asio::awaitable<ActionResult> generate_play_url(Params p, ActionContext context) {
  const auto cdn = p.choice("Type", {"fcdn", "3rd"}, "fcdn");
  p.optional_choice("StreamType", {"source"});
  if (p.text("Suffix"))
    throw ApiError::invalid_param("Suffix", "Suffix must be empty: sluice does not transcode");
  const auto& config = context.control.config();
  const auto t = sign_target(p, config, false, context.urls);
  const std::string rtmp = "rtmp://" + authority(t.stream, context, context.urls.rtmp_port, 1935);
  const std::string http = "http://" + authority(t.stream, context, context.urls.http_port, 80);
  json::array list;
  const auto add = [&](const char* protocol, const std::string& url) {
    list.push_back(
        json::object{{"URL", url}, {"CDN", cdn}, {"Protocol", protocol}, {"Type", "pull"}});
  };
  add("rtmp", with_query(rtmp + t.path, t.query));
  add("flv", with_query(http + t.path + ".flv", t.query));
  if (config.hls.enabled) add("hls", with_query(http + t.path + ".m3u8", t.query));
  co_return json::object{{"URLList", std::move(list)}};
}

}  // namespace sluice::api
