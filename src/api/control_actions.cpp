#include <boost/json/object.hpp>

#include "api/actions.hpp"
#include "api/api_error.hpp"
#include "api/stream_address.hpp"

namespace sluice::api {
namespace {

constexpr auto kMaxForbid = std::chrono::hours(24 * 90);

}  // namespace

ActionResult kill_stream(const Params& p, manage::StreamManager& manager) {
  auto s = require_stream(p, manager.config());
  if (!manager.kill(s.key))
    throw ApiError::stream_not_found("stream " + printable_name(s.key) + " is not online");
  return std::nullopt;
}

ActionResult forbid_stream(const Params& p, manage::StreamManager& manager) {
  auto s = require_stream(p, manager.config());
  const WallTime now = wall_now();
  auto end = p.time("EndTime").value_or(now + kMaxForbid);
  if (end <= now) throw ApiError::invalid_param("EndTime", "EndTime must be in the future");
  // A little slack so "now + 90 days" computed by a client a moment ago passes.
  if (const WallTime latest = now + kMaxForbid + std::chrono::minutes(1); end > latest) {
    throw ApiError::invalid_param("EndTime", "EndTime must be at most 90 days ahead (not after " +
                                                 format_rfc3339_s(latest) + ")");
  }
  p.integer("Priority", INT64_MIN, INT64_MAX);  // accepted and ignored, as documented
  manager.forbid(s.key, s.domain, end);
  return std::nullopt;
}

ActionResult resume_stream(const Params& p, manage::StreamManager& manager) {
  auto s = require_stream(p, manager.config());
  if (!manager.resume(s.key)) {
    throw ApiError::forbidden_stream_not_found("stream " + printable_name(s.key) +
                                               " is not forbidden");
  }
  return std::nullopt;
}

ActionResult describe_live_stream_state(const Params& p, manage::StreamManager& manager) {
  auto s = require_stream(p, manager.config());
  auto [state, type] = manager.state(s.key);
  const char* text = state == manage::StreamState::kOnline      ? "online"
                     : state == manage::StreamState::kForbidden ? "forbidden"
                                                                : "offline";
  return boost::json::object{{"stream_state", text}, {"type", type}};
}

}  // namespace sluice::api
