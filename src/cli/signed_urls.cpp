#include "cli/signed_urls.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "base/untrusted_text.hpp"
#include "base/wall_time.hpp"
#include "cli/connection.hpp"
#include "cli/run_command.hpp"
#include "cli/server_config.hpp"
#include "cli/stream_address.hpp"
#include "cli/time_args.hpp"
#include "cli/usage_error.hpp"
#include "manage/push_key_file.hpp"
#include "sluice/live_service.hpp"

namespace sluice::cli {
namespace {

struct SignedUrlFlags {
  std::string address;
  std::string key;
  std::string duration = "7d";
  std::string config_file;
  std::string rtmp_address;
  std::string http_address;
  std::string data_dir;
};

enum class Purpose { kPush, kPlay };

// A listen address as a client reaches it: wildcards become loopback.
std::string reachable(const config::Endpoint& listen) {
  std::string host = listen.host;
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(listen.port);
}

// The vhost's primary key in the server's config, or empty.
std::string config_key(Purpose purpose, const config::Config& config, const std::string& vhost) {
  for (const auto& v : config.vhosts) {
    if (v.name == vhost) return purpose == Purpose::kPush ? v.push_key : v.play_key;
  }
  return {};
}

std::string key_for(Purpose purpose, const SignedUrlFlags& flags, const config::Config* config,
                    const config::Config& effective, const std::string& vhost) {
  if (!flags.key.empty()) return flags.key;
  const bool push = purpose == Purpose::kPush;
  const char* env = std::getenv(push ? "SLUICE_PUSH_KEY" : "SLUICE_PLAY_KEY");
  if (env && *env) return env;
  const std::string what = push ? "push_key" : "play_key";
  if (config) {
    if (auto key = config_key(purpose, *config, vhost); !key.empty()) return key;
  }
  // The server generates the default vhost's push key when its config has
  // none (README, "Push and play authentication").
  if (push && vhost == effective.default_vhost) {
    const std::filesystem::path data_dir = !flags.data_dir.empty()
                                               ? std::filesystem::path(flags.data_dir)
                                           : config ? config->data_dir
                                                    : std::filesystem::path(kDefaultDataDir);
    const auto file = manage::push_key_path(data_dir);
    try {
      if (auto key = manage::read_push_key_file(file)) return *key;
    } catch (const std::exception& e) {
      throw UsageError(printable(e.what(), kShownArgumentMax));
    }
    throw UsageError(
        "no push key: pass --key, set SLUICE_PUSH_KEY, or --config FILE / --data-dir "
        "DIR of the server (" +
        printable(file.string(), kShownArgumentMax) + " does not exist)");
  }
  throw UsageError("no " + what + " for vhost " + printable(vhost, kShownArgumentMax) +
                   ": pass --key, set " + (push ? "SLUICE_PUSH_KEY" : "SLUICE_PLAY_KEY") +
                   ", or --config FILE (the server's config, [[vhost]] " + what + ")");
}

int run_signed_url(Purpose purpose, const SignedUrlFlags& flags) {
  return run_command([&](std::string&) {
    const auto address = parse_stream_address(flags.address, "");
    const auto lifetime = parse_duration(flags.duration, "--for");
    std::unique_ptr<config::Config> config;
    if (!flags.config_file.empty())
      config = std::make_unique<config::Config>(load_server_config(flags.config_file));
    const config::Config defaults;
    const config::Config& c = config ? *config : defaults;

    SignedUrlTarget target;
    target.app = address.app;
    target.stream = address.stream;
    if (address.domain) {
      target.domain = *address.domain;
      target.vhost = c.vhost_for_domain(*address.domain);
    } else {
      target.vhost = address.vhost.value_or(c.default_vhost);
    }
    target.rtmp_address =
        flags.rtmp_address.empty() ? reachable(c.rtmp.listen) : flags.rtmp_address;
    if (purpose == Purpose::kPlay)
      target.http_address =
          flags.http_address.empty() ? reachable(c.http.listen) : flags.http_address;
    const std::string key = key_for(purpose, flags, config.get(), c, target.vhost);
    const int64_t expiry = to_unix_ms(wall_now()) / 1000 + lifetime.count();
    for (const auto& url : signed_urls(target, key, expiry)) std::cout << url << "\n";
    return 0;
  });
}

void add_command(CLI::App& app, Registry& registry, Purpose purpose) {
  auto flags = std::make_shared<SignedUrlFlags>();
  const bool push = purpose == Purpose::kPush;
  auto* command = app.add_subcommand(
      push ? "push-url" : "play-url",
      push ? "print a signed RTMP publish URL (volcTime/volcSecret) for a stream"
           : "print signed RTMP and HTTP-FLV play URLs (volcTime/volcSecret) for a stream");
  command
      ->add_option("address", flags->address,
                   "[vhost/]app/stream (vhost defaults to __defaultVhost__), or a stream URL")
      ->required();
  command->add_option("--for", flags->duration, "how long the URL stays valid (default 7d)");
  command->add_option("--key", flags->key,
                      push ? "push key (default $SLUICE_PUSH_KEY, else --config's vhost push_key)"
                           : "play key (default $SLUICE_PLAY_KEY, else --config's vhost play_key)");
  command->add_option("--config", flags->config_file,
                      "the server's TOML config: the vhost's key and the listen addresses");
  if (push)
    command->add_option("--data-dir", flags->data_dir,
                        "server data directory holding the generated push-key.toml (default "
                        "--config's data_dir or ./sluice-data)");
  command->add_option("--rtmp-address", flags->rtmp_address,
                      "HOST:PORT in the RTMP URL (default --config's rtmp.listen, 127.0.0.1:1935)");
  if (!push)
    command->add_option(
        "--http-address", flags->http_address,
        "HOST:PORT in the HTTP-FLV URL (default --config's http.listen, 127.0.0.1:8080)");
  registry.push_back({command, [flags, purpose] { return run_signed_url(purpose, *flags); }});
}

}  // namespace

std::vector<std::string> signed_urls(const SignedUrlTarget& target, const std::string& key,
                                     int64_t expiry_s) {
  // The SDK's helper, so the CLI prints what a program on the SDK would.
  const auto expired_time = std::chrono::system_clock::time_point(std::chrono::seconds(expiry_s));
  const std::optional<std::string> vhost = target.vhost;
  std::optional<std::string> domain;
  if (!target.domain.empty()) domain = target.domain;
  GenerateUrlResponse generated;
  if (target.http_address.empty()) {
    generated = LiveService::generate_push_url({.rtmp_address = target.rtmp_address,
                                                .vhost = vhost,
                                                .domain = domain,
                                                .app = target.app,
                                                .stream = target.stream,
                                                .key = key,
                                                .expired_time = expired_time});
  } else {
    generated = LiveService::generate_play_url({.rtmp_address = target.rtmp_address,
                                                .http_address = target.http_address,
                                                .vhost = vhost,
                                                .domain = domain,
                                                .app = target.app,
                                                .stream = target.stream,
                                                .key = key,
                                                .expired_time = expired_time});
  }
  std::vector<std::string> urls;
  for (auto& generated_url : generated.url_list) urls.push_back(std::move(generated_url.url));
  return urls;
}

void add_signed_url_commands(CLI::App& app, Registry& registry) {
  add_command(app, registry, Purpose::kPush);
  add_command(app, registry, Purpose::kPlay);
}

}  // namespace sluice::cli
