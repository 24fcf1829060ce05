#include "api/actions.hpp"

#include <utility>

namespace sluice::api {

ActionHandler find_action(std::string_view action) {
  static constexpr std::pair<std::string_view, ActionHandler> kActions[] = {
      {"DescribeLiveStreamInfoByPage", describe_live_stream_info_by_page},
      {"DescribeClosedStreamInfoByPage", describe_closed_stream_info_by_page},
      {"DescribeForbiddenStreamInfoByPage", describe_forbidden_stream_info_by_page},
      {"KillStream", kill_stream},
      {"ForbidStream", forbid_stream},
      {"ResumeStream", resume_stream},
      {"DescribeLiveStreamState", describe_live_stream_state},
  };
  for (const auto& [name, handler] : kActions) {
    if (name == action) return handler;
  }
  return nullptr;
}

}  // namespace sluice::api
