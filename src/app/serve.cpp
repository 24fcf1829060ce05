#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "api/api_routes.hpp"
#include "api/api_service.hpp"
#include "api/key_store.hpp"
#include "app/banner.hpp"
#include "app/config_reload.hpp"
#include "base/on_executor.hpp"
#include "base/owner_check.hpp"
#include "console/console_routes.hpp"
#include "hooks/authorization_hook.hpp"
#include "hooks/callback_delivery.hpp"
#include "http/hls_sessions.hpp"
#include "http/media_routes.hpp"
#include "http/server_session.hpp"
#include "manage/access_gate.hpp"
#include "manage/control_service.hpp"
#include "manage/delayed_store.hpp"
#include "manage/event_log.hpp"
#include "manage/push_auth_check.hpp"
#include "manage/push_key_file.hpp"
#include "media/registry.hpp"
#include "metrics/metrics_routes.hpp"
#include "metrics/timed_store.hpp"
#include "net/connection_budget.hpp"
#include "net/listener.hpp"
#include "net/open_files.hpp"
#include "net/server_context.hpp"
#include "rtmp/session.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kShutdownDeadline = std::chrono::seconds(3);
// Scrapers at once on the metrics listener; taken from the spare descriptors.
constexpr size_t kMetricsConnections = 16;

// Waits until every session of `listeners` has ended or `deadline` passes.
// Runs on the listeners' own executor.
asio::awaitable<void> drain(std::vector<Listener*> listeners,
                            std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    size_t open = 0;
    for (auto* l : listeners) open += l->session_count();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// Test-only slow store (manage/delayed_store.hpp), from the environment.
std::chrono::milliseconds test_store_delay() {
  const char* text = std::getenv("SLUICE_TEST_STORE_DELAY_MS");
  if (!text || !*text) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::max(0L, std::strtol(text, nullptr, 10)));
}

void announce_keys(const api::LoadedKeys& keys, const config::Config& config, uint16_t api_port) {
  if (keys.generated_now) {
    // Printed once, to the terminal only (never to the log): it is the
    // operator's one chance to see the secret without opening the file.
    const auto& k = keys.store.keys().front();
    std::printf(
        "\nsluice generated a management API key (saved in %s, mode 0600):\n"
        "  access key: %s\n  secret key: %s\n"
        "Use it with Volcengine's SDKs or `sluice streams`, e.g. in Node.js:\n"
        "  new Service({host: \"%s\", protocol: \"http:\", serviceName: \"live\", region: \"%s\", "
        "accessKeyId: \"%s\", secretKey: \"<secret key>\"})\n\n",
        keys.file.c_str(), k.access_key.c_str(), k.secret_key.c_str(),
        (config.api.listen.host + ":" + std::to_string(api_port)).c_str(),
        config.api.region.c_str(), k.access_key.c_str());
    std::fflush(stdout);
  } else if (!keys.file.empty()) {
    spdlog::info("api key {} from {}", keys.store.keys().front().access_key, keys.file.string());
  } else {
    spdlog::info("api keys: {} from the config", keys.store.keys().size());
  }
}

void log_open_files_limit(const OpenFilesLimit& files) {
  if (files.soft > files.soft_before) {
    spdlog::info("open files limit: soft {} raised to the hard limit {}", files.soft_before,
                 files.hard);
  } else if (files.raise_failed) {
    spdlog::warn("open files limit: soft {}, hard {}; raising the soft limit failed", files.soft,
                 files.hard);
  } else {
    spdlog::info("open files limit: soft {}, hard {}", files.soft, files.hard);
  }
}

std::vector<AddressRange> exempt_ranges(const config::LimitsConfig& limits) {
  std::vector<AddressRange> ranges;
  for (const auto& text : limits.per_ip_exempt) {
    if (auto range = AddressRange::parse(text)) ranges.push_back(std::move(*range));
  }
  return ranges;
}

// The media listeners' cap: the configured one, lowered to what the open
// files limit holds once sluice's own descriptors and the API's share are
// set aside. 0 when not even one connection fits.
size_t media_connection_cap(const config::Config& config, const OpenFilesLimit& files) {
  const size_t open_now = open_descriptor_count();
  const size_t cap = media_connections_that_fit(files.soft, open_now, config.api.max_connections,
                                                config.limits.max_connections);
  if (cap == 0) {
    spdlog::error(
        "the open files limit ({}) leaves no descriptors for connections: {} are open, {} are "
        "kept for the API (api.max_connections) and {} spare; raise the limit (ulimit -n, "
        "systemd LimitNOFILE=) or lower api.max_connections",
        files.soft, open_now, config.api.max_connections, kDescriptorHeadroom);
  } else if (cap < config.limits.max_connections) {
    spdlog::warn(
        "limits.max_connections lowered from {} to {}: the open files limit is {}, with {} open, "
        "{} kept for the API (api.max_connections) and {} spare",
        config.limits.max_connections, cap, files.soft, open_now, config.api.max_connections,
        kDescriptorHeadroom);
  }
  return cap;
}

}  // namespace

int serve(const config::Config& config, const ServeOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data directory {}: {}", config.data_dir.string(), ec.message());
    return 1;
  }

  const auto files = raise_open_files_limit();
  log_open_files_limit(files);
  // Two io_contexts, one thread each (docs/design.md, "Threads"): media
  // (RTMP and HTTP-FLV sessions, streams, the access gate) and control (the
  // API, the store, the heartbeat). Each side's state is touched only by its
  // own thread; the sides meet only by awaiting on the other's executor.
  // Declared first so they outlive everything that holds their handlers.
  asio::io_context media_io(1);
  asio::io_context control_io(1);
  const auto media = media_io.get_executor();
  const auto control = control_io.get_executor();
  // Installed before any listener announces itself, so that a signal sent
  // once the ports are logged finds its handler (SIGHUP's default ends the
  // process).
  asio::signal_set stop_signals(control_io, SIGINT, SIGTERM);
  asio::signal_set reload_signal(control_io, SIGHUP);
  asio::signal_set reopen_log_signal(control_io, SIGUSR1);
  // One copy of the config per executor (docs/design.md, "Reloading the
  // config"): a reload changes each on its own thread.
  config::Config media_config = config;
  config::Config control_config = config;
  metrics::StoreMetrics store_metrics;  // control side, like the store; outlives it
  std::unique_ptr<store::Store> store = store::SqliteStore::open(config.data_dir / "sluice.db");
  if (const auto delay = test_store_delay(); delay.count() > 0) {
    spdlog::warn("SLUICE_TEST_STORE_DELAY_MS: every store call sleeps {} ms (tests only)",
                 delay.count());
    store = std::make_unique<manage::DelayedStore>(std::move(store), delay, control);
  }
  // Every store call timed (sluice_store_query_seconds), whoever makes it.
  store = std::make_unique<metrics::TimedStore>(std::move(store), store_metrics);
  auto keys = api::load_or_generate_keys(config);
  // Counted once the store is open: its descriptors are part of sluice's own.
  const size_t media_cap = media_connection_cap(config, files);
  if (media_cap == 0) return 1;
  media::Registry registry(media, media_config.media);
  manage::AccessGate gate(media, media_config, registry);
  // Signed push and play URLs; reads the media copy, so a reload's keys apply.
  const auto default_push_key = manage::load_or_generate_push_key(config);
  gate.add_check(
      manage::url_signature_check(media_config, default_push_key ? default_push_key->key : ""));
  // The authorization hooks (on_publish, on_play) come after the signature,
  // so a request it refuses never reaches a receiver. Reads the media copy
  // too, so a reload's hook URLs apply to the next request.
  gate.add_check(hooks::authorization_hook_check(media, media_config));
  if (default_push_key)
    spdlog::info("default vhost push key {} {} (sluice push-url signs with it)",
                 default_push_key->generated_now ? "generated into" : "from",
                 default_push_key->file.string());
  // The log's line for every publish and play start and end and refusal.
  manage::EventLog event_log(gate.events());
  metrics::LifecycleCounters lifecycle_counters(gate.events());
  manage::ControlService control_service(control, control_config, *store, gate);
  gate.set_records(control_service);
  // The durable callbacks, delivered from the store's outbox on control; the
  // control service says when it queued some (README, "Callbacks").
  const auto callback_delivery = hooks::CallbackDelivery::create(control, control_config, *store);
  control_service.on_callbacks_queued([&callback_delivery] { callback_delivery->wake(); });
  control_service.start();
  callback_delivery->start();
  ServerContext context{media_config, registry, gate};

  ConnectionBudget media_budget(media_cap, config.limits.max_connections_per_ip,
                                exempt_ranges(config.limits),
                                {"limits.max_connections", "limits.max_connections_per_ip"});
  ConnectionBudget api_budget(config.api.max_connections, 0, {}, {"api.max_connections", ""});
  spdlog::info("connections: at most {} to rtmp and http together ({} per address), {} to api",
               media_cap,
               config.limits.max_connections_per_ip == 0
                   ? std::string("no cap")
                   : std::to_string(config.limits.max_connections_per_ip),
               config.api.max_connections);

  Listener rtmp(media, "rtmp", config.rtmp.listen, media_budget, [&](tcp::socket socket) {
    return std::make_shared<rtmp::Session>(std::move(socket), context);
  });
  http::HlsSessions hls_sessions(media, media_config, registry, gate.events());
  hls_sessions.start();
  const auto media_routes = http::media_routes(context, hls_sessions);
  Listener http(media, "http", config.http.listen, media_budget, [&](tcp::socket socket) {
    return std::make_shared<http::ServerSession>(std::move(socket), media_routes);
  });
  // After the media listeners: generated URLs carry their bound ports.
  api::ApiService api_service(
      control_service, keys.store, control_config,
      {rtmp.port(), http.port(), default_push_key ? default_push_key->key : std::string()});
  metrics::ApiMetrics api_metrics;  // control side, like the API
  auto api_routes =
      api::api_routes(api_service, control_config.api,
                      [&api_metrics](std::string_view action, std::string_view code, auto took) {
                        api_metrics.record(action, code, took);
                      });
  // The web console, same origin as the API it calls (README, "Web console").
  console::add_console_routes(
      api_routes, {http.port(), rtmp.port(), config.hls.enabled, control_config.api.region,
                   std::chrono::system_clock::now()});
  Listener api(control, "api", config.api.listen, api_budget, [&](tcp::socket socket) {
    return std::make_shared<http::ServerSession>(std::move(socket), api_routes);
  });
  // On control, beside the API (docs/design.md, "Metrics"); a scrape copies
  // the media side's numbers in one crossing.
  const auto metrics_routes = metrics::metrics_routes(
      {media,
       [&] {
         return metrics::MediaSnapshot{lifecycle_counters.counts(),
                                       gate.online_streams(),
                                       {{"rtmp", rtmp.session_count(), rtmp.accept_failures()},
                                        {"http", http.session_count(), http.accept_failures()}}};
       },
       &api_metrics,
       [&callback_delivery] {
         const auto& c = callback_delivery->counts();
         metrics::CallbackNumbers numbers{c.delivered, c.retries, c.failed, 0};
         try {
           numbers.queue_depth = callback_delivery->queue_depth();
         } catch (const std::exception& e) {
           spdlog::error("metrics: callback queue depth: {}", e.what());
         }
         return numbers;
       },
       &store_metrics},
      control_config.metrics);
  ConnectionBudget metrics_budget(kMetricsConnections, 0, {}, {"metrics connections", ""});
  std::optional<Listener> metrics_listener;
  if (config.metrics.enabled) {
    metrics_listener.emplace(
        control, "metrics", config.metrics.listen, metrics_budget, [&](tcp::socket socket) {
          return std::make_shared<http::ServerSession>(std::move(socket), metrics_routes);
        });
  }
  announce_keys(keys, config, api.port());
  if (default_push_key && default_push_key->generated_now) {
    const std::string text = generated_push_key_text(default_push_key->key, default_push_key->file);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  rtmp.start();
  http.start();
  api.start();
  if (metrics_listener) metrics_listener->start();
  spdlog::info("sluice {} serving; data directory {}", SLUICE_VERSION, config.data_dir.string());
  if (config.banner && !options.quiet) {
    const std::string banner =
        banner_text(config, {rtmp.port(), http.port(), api.port()}, machine_addresses());
    std::fwrite(banner.data(), 1, banner.size(), stdout);
    std::fflush(stdout);
  }

  // Shutdown, driven from the control side: the API stops taking requests,
  // the media side ends every session (publishes are recorded as
  // interrupted: their closed records are posted to control before the
  // media drain answers, so they are written before control stops), then
  // both loops stop.
  auto shut_down = [&]() -> asio::awaitable<void> {
    const auto deadline = std::chrono::steady_clock::now() + kShutdownDeadline;
    api.stop();
    if (metrics_listener) metrics_listener->stop();
    control_service.stop();
    // What is still queued (push_end of the publishes ending now included)
    // stays in the store and goes at the next start.
    callback_delivery->stop();
    co_await asio::co_spawn(
        media,
        [&]() -> asio::awaitable<void> {
          rtmp.stop();
          http.stop();
          hls_sessions.stop();
          std::vector<Listener*> media_listeners{&rtmp, &http};
          auto draining = drain(std::move(media_listeners), deadline);
          co_await std::move(draining);
        },
        asio::use_awaitable);
    std::vector<Listener*> control_listeners{&api};
    if (metrics_listener) control_listeners.push_back(&*metrics_listener);
    auto draining = drain(std::move(control_listeners), deadline);
    co_await std::move(draining);
    media_io.stop();
    control_io.stop();
  };
  stop_signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("signal {}: shutting down", signal);
    reload_signal.cancel();
    reopen_log_signal.cancel();
    asio::co_spawn(control_io, shut_down(), asio::detached);
  });
  ConfigReloader reloader(options.reread_config, options.config_file, control_config, keys.store,
                          media_config, media);
  std::function<void()> await_reload = [&] {
    reload_signal.async_wait([&](const boost::system::error_code& error, int) {
      if (error) return;
      spdlog::info("SIGHUP: reloading the config");
      reloader.reload();
      await_reload();
    });
  };
  await_reload();
  std::function<void()> await_reopen = [&] {
    reopen_log_signal.async_wait([&](const boost::system::error_code& error, int) {
      if (error) return;
      if (!options.reopen_log) {
        spdlog::info("SIGUSR1: the log goes to stderr; there is no log file to reopen");
      } else if (const std::string problem = options.reopen_log(); !problem.empty()) {
        spdlog::error("SIGUSR1: {}; still writing to the old file", problem);
      } else {
        spdlog::info("SIGUSR1: log file reopened");
      }
      await_reopen();
    });
  };
  await_reopen();
  auto media_work = asio::make_work_guard(media_io);
  std::thread media_thread([&] {
    OwnerThread owner(media_io);
    media_io.run();
  });
  {
    OwnerThread owner(control_io);
    control_io.run();
  }
  media_io.stop();
  media_thread.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace sluice
