#include <boost/json/object.hpp>

#include "api/actions.hpp"
#include "api/api_error.hpp"
#include "api/stream_address.hpp"

namespace sluice::api {
namespace {

constexpr auto kMaxForbid = std::chrono::hours(24 * 90);

}  // namespace

boost::asio::awaitable<ActionResult> kill_stream(Params p, ActionContext context) {
  auto s = require_stream(p, context.control.config());
  auto killing = context.control.kill(s.key);
  if (!co_await std::move(killing))
    throw ApiError::stream_not_found("stream " + printable_name(s.key) + " is not online");
  co_return std::nullopt;
}

boost::asio::awaitable<ActionResult> forbid_stream(Params p, ActionContext context) {
  auto s = require_stream(p, context.control.config());
  const WallTime now = wall_now();
  auto end = p.time("EndTime").value_or(now + kMaxForbid);
  if (end <= now) throw ApiError::invalid_param("EndTime", "EndTime must be in the future");
  // A little slack so "now + 90 days" computed by a client a moment ago passes.
  if (const WallTime latest = now + kMaxForbid + std::chrono::minutes(1); end > latest) {
    throw ApiError::invalid_param("EndTime", "EndTime must be at most 90 days ahead (not after " +
                                                 format_rfc3339_s(latest) + ")");
  }
  p.integer("Priority", INT64_MIN, INT64_MAX);  // accepted and ignored, as documented
  auto forbidding = context.control.forbid(s.key, s.domain, end);
  co_await std::move(forbidding);
  co_return std::nullopt;
}

boost::asio::awaitable<ActionResult> resume_stream(Params p, ActionContext context) {
  auto s = require_stream(p, context.control.config());
  auto resuming = context.control.resume(s.key);
  if (!co_await std::move(resuming)) {
    throw ApiError::forbidden_stream_not_found("stream " + printable_name(s.key) +
                                               " is not forbidden");
  }
  co_return std::nullopt;
}

boost::asio::awaitable<ActionResult> describe_live_stream_state(Params p, ActionContext context) {
  auto s = require_stream(p, context.control.config());
  auto asking = context.control.state(s.key);
  auto [state, type] = co_await std::move(asking);
  const char* text = state == manage::StreamState::kOnline      ? "online"
                     : state == manage::StreamState::kForbidden ? "forbidden"
                                                                : "offline";
  co_return boost::json::object{{"stream_state", text}, {"type", type}};
}

}  // namespace sluice::api
