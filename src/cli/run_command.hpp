#pragma once
// Runs one management command and turns its failure into the exit status:
// 1 for an API error (`error: <Code> (<CodeN>): <Message> [request <id>]`),
// 2 for a usage error, 3 when the endpoint cannot be reached.
#include <functional>
#include <string>

namespace sluice::cli {

inline constexpr int kExitApiError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNetwork = 3;

// `endpoint_url` is filled in by `body` once it knows the endpoint, for
// the network error message.
int run_command(const std::function<int(std::string& endpoint_url)>& body);

}  // namespace sluice::cli
