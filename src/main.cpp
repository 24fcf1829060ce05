// The `sluice` command: `sluice serve` runs the server, `sluice version`
// (or --version) prints the version; with the SDK built (SLUICE_HAVE_CLI), the management
// subcommands (streams, history, forbidden, state, kill, forbid, resume)
// talk to a server's management API (src/cli/).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string_view>

#include "app/log_format.hpp"
#include "app/reopening_file_sink.hpp"
#include "app/serve.hpp"
#include "base/untrusted_text.hpp"
#include "config/config.hpp"
#ifdef SLUICE_HAVE_CLI
#include "cli/commands.hpp"
#endif

namespace {

struct ServeFlags {
  std::string config_file;
  std::string rtmp_listen;
  std::string http_listen;
  std::string api_listen;
  std::string metrics_listen;
  std::string data_dir;
  std::string log_level;
  std::string log_format = "text";
  std::string log_file;
  bool quiet = false;
};

// The "sluice" logger: stderr or --log-file, text or JSON lines. Throws
// std::runtime_error when the file cannot be opened.
std::shared_ptr<spdlog::logger> make_logger(const ServeFlags& flags,
                                            std::shared_ptr<sluice::ReopeningFileSink>& file_sink) {
  std::shared_ptr<spdlog::logger> logger;
  if (flags.log_file.empty()) {
    logger = spdlog::stderr_color_mt("sluice");
  } else {
    file_sink = std::make_shared<sluice::ReopeningFileSink>(flags.log_file);
    logger = std::make_shared<spdlog::logger>("sluice", file_sink);
  }
  if (flags.log_format == "json") {
    sluice::use_json_format(*logger);
  } else {
    sluice::use_single_line_format(*logger);
  }
  return logger;
}

sluice::config::Config build_config(const ServeFlags& flags) {
  using namespace sluice::config;
  Config c = flags.config_file.empty() ? Config{} : load_file(flags.config_file);
  if (!flags.rtmp_listen.empty())
    c.rtmp.listen = parse_endpoint(flags.rtmp_listen, "--rtmp-listen");
  if (!flags.http_listen.empty())
    c.http.listen = parse_endpoint(flags.http_listen, "--http-listen");
  if (!flags.api_listen.empty()) c.api.listen = parse_endpoint(flags.api_listen, "--api-listen");
  if (!flags.metrics_listen.empty())
    parse_metrics_listen(flags.metrics_listen, "--metrics-listen", c.metrics);
  if (!flags.data_dir.empty()) c.data_dir = flags.data_dir;
  if (!flags.log_level.empty()) c.log_level = flags.log_level;
  if (spdlog::level::from_str(c.log_level) == spdlog::level::off && c.log_level != "off") {
    throw ConfigError("log_level", "expected trace, debug, info, warn, error or off, got \"" +
                                       c.log_level + "\"");
  }
  return c;
}

// CLI11 answers an unknown first word with "A subcommand is required"; a
// user who mistyped a command should see the word and the commands instead.
// nullopt when argv[1] is a command or an option.
std::optional<int> refuse_unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  const std::string_view word = argv[1];
  std::string names;
  for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->check_name(std::string(word))) return std::nullopt;
    names += (names.empty() ? "" : ", ") + command->get_name();
  }
  std::cerr << "error: unknown command \"" << sluice::printable(word, 256) << "\"\n"
            << "commands: " << names << "\n"
            << "run `sluice --help` or `sluice COMMAND --help` for more\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sluice: a live-streaming origin (RTMP in; RTMP and HTTP-FLV out)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("sluice ") + SLUICE_VERSION,
                       "print the version and exit");

  ServeFlags flags;
  auto* serve = app.add_subcommand("serve", "run the server");
  serve->add_option("--config", flags.config_file,
                    "TOML config file (see config/sluice.example.toml)");
  serve->add_option("--rtmp-listen", flags.rtmp_listen,
                    "RTMP address, ADDR:PORT (default 0.0.0.0:1935)");
  serve->add_option("--http-listen", flags.http_listen,
                    "HTTP playback address, ADDR:PORT (default 0.0.0.0:8080)");
  serve->add_option("--api-listen", flags.api_listen,
                    "management API address, ADDR:PORT (default 127.0.0.1:1985)");
  serve->add_option("--metrics-listen", flags.metrics_listen,
                    "Prometheus /metrics address, ADDR:PORT or off (default 127.0.0.1:9385)");
  serve->add_option("--data-dir", flags.data_dir, "data directory (default ./sluice-data)");
  serve->add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off");
  serve->add_option("--log-format", flags.log_format, "text (default) or json: one object a line")
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_option("--log-file", flags.log_file,
                    "write the log to this file instead of stderr; SIGUSR1 reopens it");
  serve->add_flag("--quiet", flags.quiet, "no start-up banner (example URLs) on stdout");

  app.add_subcommand("version", "print the version")->callback([] {
    std::cout << "sluice " << SLUICE_VERSION << "\n";
  });

#ifdef SLUICE_HAVE_CLI
  auto management = sluice::cli::add_management_commands(app);
#endif
  if (auto status = refuse_unknown_command(app, argc, argv)) return *status;
#ifdef SLUICE_HAVE_CLI
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    // Usage errors exit 2, except that serve and version keep CLI11's own
    // statuses.
    const std::string first = argc >= 2 ? argv[1] : "";
    const bool keep_status = first == "serve" || first == "version";
    return status != 0 && !keep_status ? 2 : status;
  }
  if (auto status = sluice::cli::run_management_command(management)) return *status;
#else
  CLI11_PARSE(app, argc, argv);
#endif

  if (serve->parsed()) {
    std::shared_ptr<sluice::ReopeningFileSink> file_sink;
    try {
      spdlog::set_default_logger(make_logger(flags, file_sink));
    } catch (const std::exception& e) {
      std::cerr << "sluice: " << e.what() << "\n";
      return 2;
    }
    sluice::config::Config config;
    try {
      config = build_config(flags);
    } catch (const sluice::config::ConfigError& e) {
      spdlog::error("bad configuration: {}", e.what());
      return 2;
    }
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    try {
      sluice::ServeOptions options;
      options.quiet = flags.quiet;
      if (!flags.config_file.empty()) {
        options.config_file = flags.config_file;
        options.reread_config = [flags] { return build_config(flags); };
      }
      if (file_sink) options.reopen_log = [file_sink] { return file_sink->reopen(); };
      return sluice::serve(config, options);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return 1;
    }
  }
  return 0;
}
