#include "api/actions.hpp"

#include <utility>

namespace sluice::api {

std::optional<Action> find_action(std::string_view action) {
  constexpr bool kRead = false;
  constexpr bool kWrite = true;
  static constexpr std::pair<std::string_view, Action> kActions[] = {
      {"DescribeLiveStreamInfoByPage", {describe_live_stream_info_by_page, kRead}},
      {"DescribeClosedStreamInfoByPage", {describe_closed_stream_info_by_page, kRead}},
      {"DescribeForbiddenStreamInfoByPage", {describe_forbidden_stream_info_by_page, kRead}},
      {"KillStream", {kill_stream, kWrite}},
      {"ForbidStream", {forbid_stream, kWrite}},
      {"ResumeStream", {resume_stream, kWrite}},
      {"DescribeLiveStreamState", {describe_live_stream_state, kRead}},
      // Signing a URL changes nothing: a repeat is simply signed again.
      {"GeneratePushURL", {generate_push_url, kRead}},
      {"GeneratePlayURL", {generate_play_url, kRead}},
  };
  for (const auto& [name, found] : kActions) {
    if (name == action) return found;
  }
  return std::nullopt;
}

}  // namespace sluice::api
