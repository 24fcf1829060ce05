#pragma once
// Turns what an RTMP client names (connect's tcUrl and app, publish/play's
// stream name, each possibly with "?k=v" parameters) into a StreamKey.
//
// The vhost comes from a `vhost=` or `domain=` parameter (on the stream name
// first, then on app/tcUrl) as SRS does for clients that connect by IP;
// otherwise from the tcUrl host through the config's domain map; otherwise
// the default vhost. Parameters never become part of a name; they are kept
// beside it (ResolvedStream::params).
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "media/stream_key.hpp"

namespace sluice::media {

using QueryParams = std::map<std::string, std::string>;

struct NameAndQuery {
  std::string name;
  QueryParams params;
};

// "cam1?token=x&vhost=v" → {"cam1", {token:x, vhost:v}} (percent-decoded).
NameAndQuery split_name(std::string_view text);

struct ConnectTarget {
  std::string app;
  std::string host;  // tcUrl host, lower-cased; empty if tcUrl is absent or unparsable
  QueryParams params;
};

ConnectTarget parse_connect(std::string_view app_field, std::string_view tc_url);

struct ResolvedStream {
  media::StreamKey key;
  std::string domain;  // the domain the client named, or the tcUrl host
  // Every parameter of the stream name and of app/tcUrl (the stream name's
  // win), for the access gate's checks (signed URLs, hooks).
  QueryParams params;
};

// The outcome of resolve(): a stream, or why the client's names were refused.
struct Resolution {
  std::optional<ResolvedStream> stream;
  // Safe to log and to send back: client text in it went through printable().
  std::string refusal;
};

// Refuses app and stream names outside valid_app_name / valid_stream_name,
// a `domain=`/`vhost=` that is neither a DNS name nor configured, and a host
// (tcUrl, HTTP Host) that is neither a DNS name, an IP literal nor configured.
Resolution resolve(const ConnectTarget& target, std::string_view stream_field,
                   const config::Config& config);

// Volcengine's naming rules: App 1-30 and Stream 1-100 chars of [A-Za-z0-9_.-];
// "." and ".." are refused too, since names become paths (HLS, recordings)
// and URLs where those two mean "here" and "up".
bool valid_app_name(std::string_view app);
bool valid_stream_name(std::string_view stream);

// The rule as text, for error messages on every protocol.
inline constexpr std::string_view kAppNameRule =
    "1-30 characters of A-Z a-z 0-9 _ - ., not . or ..";
inline constexpr std::string_view kStreamNameRule =
    "1-100 characters of A-Z a-z 0-9 _ - ., not . or ..";

// A domain a client may name for a stream: a DNS name, a vhost or domain of
// the config (`__defaultVhost__` included), or, when `ip_allowed`, an IP
// literal (a tcUrl or Host of a client that connects by address).
bool acceptable_domain(std::string_view domain, const config::Config& config, bool ip_allowed);

}  // namespace sluice::media
