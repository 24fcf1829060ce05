#include "cli/commands.hpp"

#include "cli/signed_urls.hpp"

namespace sluice::cli {

Registry add_management_commands(CLI::App& app) {
  Registry registry;
  add_list_commands(app, registry);
  add_stream_commands(app, registry);
  add_signed_url_commands(app, registry);
  return registry;
}

std::optional<int> run_management_command(const Registry& registry) {
  for (const auto& command : registry) {
    if (command.app->parsed()) return command.run();
  }
  return std::nullopt;
}

}  // namespace sluice::cli
