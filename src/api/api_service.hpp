#pragma once
// The management API without the transport: checks Action and Version,
// authenticates, answers a repeated write from the replay cache or runs the
// action, and wraps the answer in the Volcengine envelope. Every error
// becomes an error envelope here, in one place.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <utility>

#include "api/actions.hpp"
#include "api/api_request.hpp"
#include "api/authenticator.hpp"
#include "api/key_store.hpp"
#include "api/replay_cache.hpp"
#include "manage/control_service.hpp"

namespace sluice::api {

inline constexpr std::string_view kApiVersion = "2023-01-01";

struct ApiResponse {
  unsigned status = 200;
  std::string body;  // JSON
  std::string action;
  std::string code;  // error code, empty on success (for the access log)
};

class ApiService {
 public:
  ApiService(manage::ControlService& control, const KeyStore& keys, const config::Config& config,
             UrlSettings urls = {})
      : control_(control),
        config_(config),
        urls_(std::move(urls)),
        authenticator_(keys, config.api),
        replays_(config.api.replay_cache_max_entries),
        started_(std::chrono::floor<std::chrono::seconds>(wall_now())) {}

  // On the control executor: the request is copied into the coroutine, so
  // the caller's may go away while an action awaits the media side.
  boost::asio::awaitable<ApiResponse> handle(ApiRequest request, WallTime now);
  // For a caller holding the system clock's own time point.
  boost::asio::awaitable<ApiResponse> handle(ApiRequest request,
                                             std::chrono::system_clock::time_point now) {
    return handle(std::move(request), std::chrono::floor<std::chrono::milliseconds>(now));
  }

  const ReplayCache& replay_cache() const { return replays_; }

 private:
  manage::ControlService& control_;
  const config::Config& config_;
  const UrlSettings urls_;
  Authenticator authenticator_;
  ReplayCache replays_;
  // The replay cache lives in memory: a write signed before this start may
  // have run in the process before, so it is refused (to the second, the
  // resolution of X-Date).
  WallTime started_;
};

}  // namespace sluice::api
