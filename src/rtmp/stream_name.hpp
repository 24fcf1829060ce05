#pragma once
// Turns what an RTMP client names (connect's tcUrl and app, publish/play's
// stream name, each possibly with "?k=v" parameters) into a StreamKey.
//
// The vhost comes from a `vhost=` or `domain=` parameter (on the stream name
// first, then on app/tcUrl) as SRS does for clients that connect by IP;
// otherwise from the tcUrl host through the config's domain map; otherwise
// the default vhost. Parameters never become part of a name.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "media/stream_key.hpp"

namespace sluice::rtmp {

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
};

// nullopt when a name is not acceptable (see valid_app_name / valid_stream_name).
std::optional<ResolvedStream> resolve(const ConnectTarget& target, std::string_view stream_field,
                                      const config::Config& config);

// Volcengine's naming rules: App 1-30 and Stream 1-100 chars of [A-Za-z0-9_.-].
bool valid_app_name(std::string_view app);
bool valid_stream_name(std::string_view stream);

}  // namespace sluice::rtmp
