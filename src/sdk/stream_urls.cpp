// LiveService::generate_push_url / generate_play_url: signed stream URLs.
#include <algorithm>
#include <string_view>

#include "sign/stream_url_query.hpp"
#include "sluice/live_service.hpp"

namespace sluice {
namespace {

LiveError invalid(const std::string& message) {
  return LiveError(LiveError::Kind::kInvalidArgument, message);
}

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// Volcengine's rules for App (1-30) and Stream (1-100), which sluice
// enforces too; "." and ".." never (names become paths). Checked here so a
// name cannot bend the URL (a '?', '/' or '#' in it).
void check_name(const std::string& what, const std::string& name, size_t max) {
  if (name.empty() || name.size() > max || name == "." || name == ".." ||
      !std::all_of(name.begin(), name.end(), name_char)) {
    throw invalid(what + " must be 1-" + std::to_string(max) +
                  " characters of A-Z a-z 0-9 _ - . (not . or ..)");
  }
}

// A vhost or domain as a query value: the same characters (DNS names and
// __defaultVhost__), so nothing needs escaping.
void check_host_name(const std::string& what, const std::string& name) {
  if (name.empty() || name.size() > 253 || !std::all_of(name.begin(), name.end(), name_char)) {
    throw invalid(what + " must be a DNS name (A-Z a-z 0-9 - . _)");
  }
}

void check_address(const std::string& what, const std::string& address) {
  const bool bad =
      address.empty() || std::any_of(address.begin(), address.end(), [](char c) {
        return c == '/' || c == '?' || c == '#' || c == '@' || static_cast<unsigned char>(c) <= ' ';
      });
  if (bad) throw invalid(what + " must be HOST[:PORT]: " + address);
}

struct Signed {
  std::string path;   // /app/stream
  std::string query;  // volcTime=…&volcSecret=…[&domain=…|&vhost=…]
  int64_t expiry_s;
};

template <typename Request>
Signed sign_request(const Request& r, std::chrono::system_clock::time_point now) {
  check_name("app", r.app, 30);
  check_name("stream", r.stream, 100);
  if (r.key.empty()) throw invalid("key must not be empty");
  if (r.domain) check_host_name("domain", *r.domain);
  if (r.vhost) check_host_name("vhost", *r.vhost);
  if (!r.expired_time && r.valid_duration.count() <= 0) {
    throw invalid("valid_duration must be positive");
  }
  const auto expires = r.expired_time ? *r.expired_time : now + r.valid_duration;
  const int64_t expiry_s =
      std::chrono::floor<std::chrono::seconds>(expires.time_since_epoch()).count();
  Signed out;
  out.expiry_s = expiry_s;
  out.path = "/" + r.app + "/" + r.stream;
  out.query = sign::stream_url_query(r.app, r.stream, r.key, expiry_s, r.domain.value_or(""),
                                     r.vhost.value_or(""));
  return out;
}

}  // namespace

GenerateUrlResponse LiveService::generate_push_url(const GeneratePushUrlRequest& request,
                                                   std::chrono::system_clock::time_point now) {
  check_address("rtmp_address", request.rtmp_address);
  const Signed s = sign_request(request, now);
  GenerateUrlResponse out;
  out.expire_time = s.expiry_s;
  out.url_list.push_back({"rtmp", "rtmp://" + request.rtmp_address + s.path + "?" + s.query});
  return out;
}

GenerateUrlResponse LiveService::generate_play_url(const GeneratePlayUrlRequest& request,
                                                   std::chrono::system_clock::time_point now) {
  check_address("rtmp_address", request.rtmp_address);
  check_address("http_address", request.http_address);
  const Signed s = sign_request(request, now);
  GenerateUrlResponse out;
  out.expire_time = s.expiry_s;
  const std::string http = "http://" + request.http_address + s.path;
  out.url_list.push_back({"rtmp", "rtmp://" + request.rtmp_address + s.path + "?" + s.query});
  out.url_list.push_back({"flv", http + ".flv?" + s.query});
  if (request.hls) out.url_list.push_back({"hls", http + ".m3u8?" + s.query});
  return out;
}

}  // namespace sluice
