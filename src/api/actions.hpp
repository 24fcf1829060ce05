#pragma once
// The stream-management actions. Each parses its parameters, calls the
// control service (or signs URLs) and returns its Result (nullopt for the
// write actions, which answer without a Result key).
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/params.hpp"
#include "manage/control_service.hpp"

namespace sluice::api {

using ActionResult = std::optional<boost::json::value>;

// Where GeneratePushURL and GeneratePlayURL point and what they sign with,
// beyond the config: the listeners' bound ports and the default vhost's
// generated push key.
struct UrlSettings {
  uint16_t rtmp_port = 1935;
  uint16_t http_port = 8080;
  // Used for the default vhost when the config gives it no push_key
  // (manage/push_key_file.hpp), exactly as the server checks publishes.
  std::string default_push_key;
};

struct ActionContext {
  manage::ControlService& control;
  const UrlSettings& urls;
  // The host name the client reached the API at (from Host), where a URL
  // without a Domain points; empty when Host gave none usable.
  std::string api_host;
};

// Runs on the control executor; awaits the media side where it must.
using ActionHandler = boost::asio::awaitable<ActionResult> (*)(Params params,
                                                               ActionContext context);

struct Action {
  ActionHandler handler = nullptr;
  // Changes state (kill, forbid, resume): a repeat of the same signed
  // request is answered from the replay cache instead of run again.
  bool writes = false;
};

// The action of that name, or nullopt for an unknown one.
std::optional<Action> find_action(std::string_view action);

// list_actions.cpp
boost::asio::awaitable<ActionResult> describe_live_stream_info_by_page(Params params,
                                                                       ActionContext context);
boost::asio::awaitable<ActionResult> describe_closed_stream_info_by_page(Params params,
                                                                         ActionContext context);
boost::asio::awaitable<ActionResult> describe_forbidden_stream_info_by_page(Params params,
                                                                            ActionContext context);
// control_actions.cpp
boost::asio::awaitable<ActionResult> kill_stream(Params params, ActionContext context);
boost::asio::awaitable<ActionResult> forbid_stream(Params params, ActionContext context);
boost::asio::awaitable<ActionResult> resume_stream(Params params, ActionContext context);
boost::asio::awaitable<ActionResult> describe_live_stream_state(Params params,
                                                                ActionContext context);
// url_actions.cpp
boost::asio::awaitable<ActionResult> generate_push_url(Params params, ActionContext context);
boost::asio::awaitable<ActionResult> generate_play_url(Params params, ActionContext context);

}  // namespace sluice::api
