#include "manage/access_request.hpp"

namespace sluice::manage {

std::string_view to_string(AccessProtocol protocol) {
  switch (protocol) {
    case AccessProtocol::kRtmp:
      return "rtmp";
    case AccessProtocol::kHttpFlv:
      return "http-flv";
    case AccessProtocol::kHls:
      return "hls";
  }
  return "rtmp";
}

std::string_view rtmp_status_code(AccessAction action, const Refusal& refusal) {
  using Kind = Refusal::Kind;
  if (action == AccessAction::kPublish) {
    // BadName for what another name would fix (as SRS and nginx-rtmp answer
    // a duplicate), Rejected for a policy that says no.
    return refusal.kind == Kind::kBadName || refusal.kind == Kind::kDuplicate
               ? "NetStream.Publish.BadName"
               : "NetStream.Publish.Rejected";
  }
  return refusal.kind == Kind::kBadName ? "NetStream.Play.StreamNotFound" : "NetStream.Play.Failed";
}

unsigned http_status(const Refusal& refusal) {
  switch (refusal.kind) {
    case Refusal::Kind::kBadName:
      return 400;
    case Refusal::Kind::kUnavailable:
      return 503;
    default:
      return 403;
  }
}

}  // namespace sluice::manage
