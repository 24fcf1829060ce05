#include "manage/callback_payloads.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "manage/secret_params.hpp"

namespace sluice::manage {
namespace {

namespace json = boost::json;

// RFC 3986 unreserved characters stay; every other byte becomes %XX.
void append_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// "203.0.113.7:50000" -> "203.0.113.7"; "[2001:db8::1]:41000" and
// "2001:db8::1:41000" (how sessions write IPv6 peers) -> "2001:db8::1".
std::string ip_of(const std::string& address) {
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    return close == std::string::npos ? address : address.substr(1, close - 1);
  }
  const auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

int64_t unix_s(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

json::object common_fields(const std::string& vhost, const std::string& domain,
                           const std::string& app, const std::string& stream,
                           std::string_view event_type, WallTime time,
                           const std::string& client_address, const std::string& url_params,
                           int64_t publish_id) {
  json::object o;
  o["vhost"] = vhost;
  // Volcengine's "push address": the domain the publisher named, else the vhost.
  o["domain"] = domain.empty() ? vhost : domain;
  o["app"] = app;
  o["stream"] = stream;
  o["event_type"] = event_type;
  o["time"] = unix_s(time);
  o["time_ms"] = to_unix_ms(time);
  o["transcoded"] = false;  // sluice does not transcode
  o["fp_client_ip"] = ip_of(client_address);
  o["fp_user_url"] = url_params;
  o["session_id"] = std::to_string(publish_id);
  return o;
}

std::vector<store::CallbackMessage> messages(const std::vector<std::string>& urls,
                                             const std::string& order_key,
                                             const std::string& payload, WallTime now) {
  std::vector<store::CallbackMessage> out;
  for (const auto& url : urls) {
    store::CallbackMessage& m = out.emplace_back();
    m.order_key = order_key;
    m.url = url;
    m.payload = payload;
    m.created = now;
    m.next_attempt = now;
  }
  return out;
}

}  // namespace

std::string callback_order_key(std::string_view vhost, std::string_view app,
                               std::string_view stream) {
  std::string key;
  key.reserve(vhost.size() + app.size() + stream.size() + 2);
  key.append(vhost).append("/").append(app).append("/").append(stream);
  return key;
}

std::string callback_url_params(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (is_secret_param(name)) continue;
    if (!out.empty()) out += '&';
    append_encoded(out, name);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

std::string_view callback_end_reason(store::EndReason reason) {
  switch (reason) {
    case store::EndReason::kNormal:
      return "finished";  // the publisher stopped
    case store::EndReason::kKilled:
      return "killed";  // KillStream
    case store::EndReason::kForbidden:
      return "forbidden";  // ForbidStream
    case store::EndReason::kError:
      return "error";  // a protocol or network error
    case store::EndReason::kTimeout:
      return "timeout";  // the publisher went silent
    case store::EndReason::kInterrupted:
      return "interrupted";  // sluice stopped during the publish
  }
  return "error";
}

std::string push_start_payload(const store::OpenPublish& p, int64_t publish_id) {
  return json::serialize(common_fields(p.vhost, p.domain, p.app, p.stream, "push_start",
                                       p.start_time, p.client_address, p.url_params, publish_id));
}

std::string push_end_payload(const store::ClosedStream& c) {
  json::object o = common_fields(c.vhost, c.domain, c.app, c.stream, "push_end", c.end_time,
                                 c.client_address, c.url_params, c.id);
  o["reason"] = callback_end_reason(c.reason);
  const int64_t duration_ms =
      std::max<int64_t>(0, to_unix_ms(c.end_time) - to_unix_ms(c.start_time));
  o["duration"] = duration_ms / 1000;
  o["duration_ms"] = duration_ms;
  o["start_time_ms"] = to_unix_ms(c.start_time);
  o["bytes_in"] = c.bytes_in;
  return json::serialize(o);
}

std::vector<store::CallbackMessage> push_start_callbacks(const config::Config& config,
                                                         const store::OpenPublish& publish,
                                                         int64_t publish_id, WallTime now) {
  const auto* vhost = config.find_vhost(publish.vhost);
  if (!vhost || vhost->push_callback_urls.empty()) return {};
  return messages(vhost->push_callback_urls,
                  callback_order_key(publish.vhost, publish.app, publish.stream),
                  push_start_payload(publish, publish_id), now);
}

std::vector<store::CallbackMessage> push_end_callbacks(const config::Config& config,
                                                       const store::ClosedStream& closed,
                                                       WallTime now) {
  const auto* vhost = config.find_vhost(closed.vhost);
  if (!vhost || vhost->push_end_callback_urls.empty()) return {};
  return messages(vhost->push_end_callback_urls,
                  callback_order_key(closed.vhost, closed.app, closed.stream),
                  push_end_payload(closed), now);
}

}  // namespace sluice::manage
