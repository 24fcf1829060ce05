#pragma once
// The seven stream-management actions. Each parses its parameters, calls
// the StreamManager and returns its Result (nullopt for the write actions,
// which answer without a Result key).
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "api/params.hpp"
#include "manage/stream_manager.hpp"

namespace sluice::api {

using ActionResult = std::optional<boost::json::value>;
using ActionHandler = ActionResult (*)(const Params& params, manage::StreamManager& manager);

struct Action {
  ActionHandler handler = nullptr;
  // Changes state (kill, forbid, resume): a repeat of the same signed
  // request is answered from the replay cache instead of run again.
  bool writes = false;
};

// The action of that name, or nullopt for an unknown one.
std::optional<Action> find_action(std::string_view action);

// list_actions.cpp
ActionResult describe_live_stream_info_by_page(const Params& params,
                                               manage::StreamManager& manager);
ActionResult describe_closed_stream_info_by_page(const Params& params,
                                                 manage::StreamManager& manager);
ActionResult describe_forbidden_stream_info_by_page(const Params& params,
                                                    manage::StreamManager& manager);
// control_actions.cpp
ActionResult kill_stream(const Params& params, manage::StreamManager& manager);
ActionResult forbid_stream(const Params& params, manage::StreamManager& manager);
ActionResult resume_stream(const Params& params, manage::StreamManager& manager);
ActionResult describe_live_stream_state(const Params& params, manage::StreamManager& manager);

}  // namespace sluice::api
