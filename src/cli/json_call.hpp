#pragma once
// `--json`: an action through LiveService::call, whose envelope is printed
// as the API sent it (its Result).
#include <boost/json.hpp>
#include <string>

#include "sluice/live_service.hpp"

namespace sluice::cli {

// The whole envelope. Throws LiveError (kApi) if it carries an Error, and
// (kResponse) if it is not a JSON object.
boost::json::object call_json(LiveService& service, const std::string& action,
                              const std::string& method, const boost::json::object& params);

// Pretty-prints `value` (two-space indent) followed by a newline.
void print_json(std::ostream& out, const boost::json::value& value);

}  // namespace sluice::cli
