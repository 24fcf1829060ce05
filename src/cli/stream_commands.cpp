// `sluice state|kill|forbid|resume [vhost/]app/stream`: one stream at a time.
#include <chrono>
#include <iostream>
#include <memory>

#include "base/rfc3339.hpp"
#include "cli/commands.hpp"
#include "cli/connection.hpp"
#include "cli/json_call.hpp"
#include "cli/run_command.hpp"
#include "cli/stream_address.hpp"
#include "cli/time_args.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

struct StreamFlags {
  ConnectionFlags connection;
  std::string address;
  std::string domain;
  std::string until;     // forbid
  std::string duration;  // forbid --for
};

// The address as JSON parameters (Vhost or Domain, App, Stream).
boost::json::object address_params(const StreamAddress& a) {
  boost::json::object p;
  if (a.vhost) p["Vhost"] = *a.vhost;
  if (a.domain) p["Domain"] = *a.domain;
  p["App"] = a.app;
  p["Stream"] = a.stream;
  return p;
}

template <class Request>
Request addressed(const StreamAddress& a) {
  Request r;
  r.vhost = a.vhost;
  r.domain = a.domain;
  r.app = a.app;
  r.stream = a.stream;
  return r;
}

int run_state(const StreamFlags& flags) {
  return run_command([&](std::string& endpoint_url) {
    auto address = parse_stream_address(flags.address, flags.domain);
    auto c = connect(flags.connection);
    endpoint_url = c.endpoint.url();
    auto response =
        c.service.describe_live_stream_state(addressed<DescribeLiveStreamStateRequest>(address));
    if (flags.connection.json) {
      auto out = address_params(address);
      out["stream_state"] = response.stream_state;
      out["type"] = response.type;
      print_json(std::cout, out);
      return 0;
    }
    std::cout << address.display() << ": " << response.stream_state << " (" << response.type
              << ")\n";
    return 0;
  });
}

// kill / forbid / resume. The API answers them with no Result; --json
// prints what was done to which stream.
int run_control(const StreamFlags& flags, const std::string& action) {
  return run_command([&](std::string& endpoint_url) {
    auto address = parse_stream_address(flags.address, flags.domain);
    std::optional<std::string> end_time;
    if (!flags.until.empty()) end_time = parse_time(flags.until, "--until");
    if (!flags.duration.empty())
      end_time =
          sluice::format_rfc3339_s(sluice::wall_now() + parse_duration(flags.duration, "--for"));
    auto c = connect(flags.connection);
    endpoint_url = c.endpoint.url();
    std::string done;
    if (action == "KillStream") {
      c.service.kill_stream(addressed<KillStreamRequest>(address));
      done = "killed " + address.display();
    } else if (action == "ForbidStream") {
      auto r = addressed<ForbidStreamRequest>(address);
      r.end_time = end_time;
      c.service.forbid_stream(r);
      done = "forbade " + address.display() + " until " +
             end_time.value_or("the server's default (90 days)");
    } else {
      c.service.resume_stream(addressed<ResumeStreamRequest>(address));
      done = "resumed " + address.display();
    }
    if (!flags.connection.json) {
      std::cout << done << "\n";
      return 0;
    }
    auto out = address_params(address);
    out["Action"] = action;
    if (action == "ForbidStream")
      out["EndTime"] = end_time ? boost::json::value(*end_time) : boost::json::value(nullptr);
    print_json(std::cout, out);
    return 0;
  });
}

std::shared_ptr<StreamFlags> add_stream_command(CLI::App& app, Registry& registry, const char* name,
                                                const char* help,
                                                std::function<int(const StreamFlags&)> run,
                                                CLI::App** out = nullptr) {
  auto flags = std::make_shared<StreamFlags>();
  auto* command = app.add_subcommand(name, help);
  command
      ->add_option("address", flags->address,
                   "[vhost/]app/stream (vhost defaults to __defaultVhost__), or the stream's "
                   "URL: rtmp://host/app/stream, http://host/app/stream.flv or .m3u8")
      ->required()
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              parse_stream_address(text, "");
              return {};
            } catch (const UsageError& e) {
              return e.what();
            }
          },
          "[VHOST/]APP/STREAM|URL", "stream address"));
  command->add_option("--domain", flags->domain,
                      "address the stream by this domain instead of a vhost");
  add_connection_flags(command, flags->connection);
  registry.push_back({command, [flags, run] { return run(*flags); }});
  if (out) *out = command;
  return flags;
}

}  // namespace

void add_stream_commands(CLI::App& app, Registry& registry) {
  add_stream_command(app, registry, "state", "show a stream's state (online, offline, forbidden)",
                     run_state);
  add_stream_command(app, registry, "kill", "disconnect a stream's publisher",
                     [](const StreamFlags& f) { return run_control(f, "KillStream"); });
  CLI::App* forbid = nullptr;
  auto forbid_flags = add_stream_command(
      app, registry, "forbid", "disconnect a stream and refuse its publishes until a time",
      [](const StreamFlags& f) { return run_control(f, "ForbidStream"); }, &forbid);
  auto* until =
      forbid->add_option("--until", forbid_flags->until, "forbid until this RFC 3339 time");
  forbid
      ->add_option("--for", forbid_flags->duration,
                   "forbid for this long: 30m, 2h, 7d (default: 90 days)")
      ->excludes(until);
  add_stream_command(app, registry, "resume", "lift a stream's forbid",
                     [](const StreamFlags& f) { return run_control(f, "ResumeStream"); });
}

}  // namespace sluice::cli
