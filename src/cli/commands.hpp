#pragma once
// The management subcommands of `sluice`, on the C++ SDK (LiveService):
//   streams, history, forbidden       (list_commands.cpp)
//   state, kill, forbid, resume       (stream_commands.cpp)
//   push-url, play-url                (signed_urls.cpp; no API call)
#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the exit status
};
using Registry = std::vector<Command>;

void add_list_commands(CLI::App& app, Registry& registry);
void add_stream_commands(CLI::App& app, Registry& registry);

// Adds every management subcommand to `app`.
Registry add_management_commands(CLI::App& app);
// After parsing: the exit status of the chosen management command, or
// nullopt when none was chosen.
std::optional<int> run_management_command(const Registry& registry);

}  // namespace sluice::cli
