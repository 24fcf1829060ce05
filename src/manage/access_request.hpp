#pragma once
// What a session asks the access gate (manage::AccessGate) and what it gets
// back. One request type for publish and play over every protocol, carrying
// everything a future check may need (signed-URL parameters, headers for an
// HTTP hook), so checks are added behind the gate without touching sessions.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/wall_time.hpp"
#include "media/stream.hpp"
#include "media/stream_key.hpp"

namespace sluice::manage {

enum class AccessAction { kPublish, kPlay };
enum class AccessProtocol { kRtmp, kHttpFlv, kHls };
// "rtmp", "http-flv", "hls": as the log, hooks and metrics name them.
std::string_view to_string(AccessProtocol protocol);

struct AccessRequest {
  AccessAction action = AccessAction::kPlay;
  AccessProtocol protocol = AccessProtocol::kRtmp;
  media::StreamKey key;  // vhost, app, stream
  std::string domain;    // as the client named it (may be empty)
  // Every parameter of the stream name / URL query and of the connect's
  // app and tcUrl (the stream name's win), percent-decoded.
  std::map<std::string, std::string> params;
  std::string client_address;
  // HTTP only: the request's headers, in order, as received (untrusted).
  std::vector<std::pair<std::string, std::string>> headers;
};

// A publish the gate let through; handed back when it ends.
struct PublishTicket {
  int64_t id = 0;
  AccessProtocol protocol = AccessProtocol::kRtmp;
  media::StreamKey key;
  std::string domain;
  std::string client_address;
  WallTime start_time;
  std::string url_params;  // store::OpenPublish::url_params, for the closed record
};

struct Refusal {
  enum class Kind {
    kBadName,      // names the rules refuse
    kDuplicate,    // someone else publishes the stream
    kForbidden,    // ForbidStream is in force
    kDenied,       // a check (auth, hook) said no
    kUnavailable,  // the server could not decide (store down, stopping)
  };
  Kind kind = Kind::kDenied;
  std::string reason;  // safe to log and to send: client text went through printable()
};

// The RTMP onStatus code a session answers a refusal with.
std::string_view rtmp_status_code(AccessAction action, const Refusal& refusal);
// The HTTP status a play request is answered with.
unsigned http_status(const Refusal& refusal);

// One rule behind the gate: nullopt to let the request through, or why not.
// Checks run on the media executor and may await (a hook, a key lookup); the
// gate re-checks its own state afterwards.
using AccessCheck =
    std::function<boost::asio::awaitable<std::optional<Refusal>>(const AccessRequest& request)>;

}  // namespace sluice::manage
