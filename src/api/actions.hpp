#pragma once
// The seven stream-management actions. Each parses its parameters, calls
// the control service and returns its Result (nullopt for the write actions,
// which answer without a Result key).
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "api/params.hpp"
#include "manage/control_service.hpp"

namespace sluice::api {

using ActionResult = std::optional<boost::json::value>;
// Runs on the control executor; awaits the media side where it must.
using ActionHandler = boost::asio::awaitable<ActionResult> (*)(Params params,
                                                               manage::ControlService& control);

struct Action {
  ActionHandler handler = nullptr;
  // Changes state (kill, forbid, resume): a repeat of the same signed
  // request is answered from the replay cache instead of run again.
  bool writes = false;
};

// The action of that name, or nullopt for an unknown one.
std::optional<Action> find_action(std::string_view action);

// list_actions.cpp
boost::asio::awaitable<ActionResult> describe_live_stream_info_by_page(
    Params params, manage::ControlService& control);
boost::asio::awaitable<ActionResult> describe_closed_stream_info_by_page(
    Params params, manage::ControlService& control);
boost::asio::awaitable<ActionResult> describe_forbidden_stream_info_by_page(
    Params params, manage::ControlService& control);
// control_actions.cpp
boost::asio::awaitable<ActionResult> kill_stream(Params params, manage::ControlService& control);
boost::asio::awaitable<ActionResult> forbid_stream(Params params, manage::ControlService& control);
boost::asio::awaitable<ActionResult> resume_stream(Params params, manage::ControlService& control);
boost::asio::awaitable<ActionResult> describe_live_stream_state(Params params,
                                                                manage::ControlService& control);

}  // namespace sluice::api
