// `sluice-load play`: N viewers started over a ramp, a warmup, then a
// measured window; the server's CPU and RSS are read over that same window.
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "player.hpp"
#include "proc_stats.hpp"
#include "report.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;

asio::awaitable<void> start_player(const Target& target, SessionStats& stats, Clock::time_point at,
                                   HlsMode hls_mode) {
  asio::steady_timer timer(co_await asio::this_coro::executor, at);
  co_await timer.async_wait(asio::use_awaitable);
  if (target.scheme == Target::Scheme::kRtmp) {
    co_await run_rtmp_player(target, stats);
  } else if (target.scheme == Target::Scheme::kHls) {
    co_await run_hls_player(target, stats, hls_mode);
  } else {
    co_await run_http_flv_player(target, stats);
  }
}

// Runs `f(session index)` for every session of io_context `k` on that
// context's thread, for all contexts, and waits until all are done.
template <typename F>
void on_every_session(std::vector<std::unique_ptr<asio::io_context>>& contexts, int sessions, F f) {
  const int k = static_cast<int>(contexts.size());
  std::vector<std::future<void>> done;
  for (int c = 0; c < k; ++c) {
    auto task = std::make_shared<std::packaged_task<void()>>([=] {
      for (int i = c; i < sessions; i += k) f(i);
    });
    done.push_back(task->get_future());
    asio::post(*contexts[c], [task] { (*task)(); });
  }
  for (auto& d : done) d.get();
}

}  // namespace

int run_play(const PlayOptions& o) {
  std::string error;
  auto target = parse_target(o.url, error);
  if (!target) {
    std::cerr << "sluice-load: " << error << "\n";
    return 2;
  }
  const int n = std::max(1, o.sessions);
  const int threads = std::clamp(o.threads, 1, 64);
  const auto hls_mode = o.low_latency_hls ? HlsMode::kLowLatency : HlsMode::kClassic;
  const double ramp = o.ramp_s ? *o.ramp_s : std::max(1.0, n / 200.0);
  set_hard_deadline(ramp + o.warmup_s + o.duration_s + 30);
  raise_open_file_limit();

  PlayRun run;
  run.url = o.url;
  run.sessions = n;
  run.threads = threads;
  run.ramp_s = ramp;
  run.warmup_s = o.warmup_s;
  run.window_s = o.duration_s;
  run.stall_s = o.stall_s;
  run.source_kbps = o.source_kbps;
  run.server_pids = o.server_pids;
  if (!o.server_pids.empty()) {
    run.server_before = sample_processes(o.server_pids, error);  // before any player connects
    if (!run.server_before) {
      std::cerr << "sluice-load: " << error << "\n";
      return 2;
    }
  }

  using std::chrono::duration_cast;
  auto secs = [](double s) {
    return duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  const auto t0 = Clock::now() + std::chrono::milliseconds(200);
  const auto window_start = t0 + secs(ramp + o.warmup_s);
  const auto window_end = window_start + secs(o.duration_s);

  // Declared before the contexts: coroutine frames referring to the stats are
  // destroyed with the contexts, first.
  std::vector<std::unique_ptr<SessionStats>> stats;
  for (int i = 0; i < n; ++i) stats.push_back(std::make_unique<SessionStats>(o.stall_s));
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int c = 0; c < threads; ++c) contexts.push_back(std::make_unique<asio::io_context>(1));
  for (int i = 0; i < n; ++i) {
    const auto at = t0 + secs(ramp * i / n);
    SessionStats& s = *stats[i];
    asio::co_spawn(*contexts[i % threads], start_player(*target, s, at, hls_mode),
                   [&s](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& x) {
                       s.fail(std::string("exception:") + x.what());
                     }
                   });
  }
  std::vector<std::thread> workers;
  for (auto& c : contexts) {
    workers.emplace_back([&ctx = *c] {
      auto guard = asio::make_work_guard(ctx);
      ctx.run();
    });
  }

  std::this_thread::sleep_until(window_start);
  on_every_session(contexts, n, [&](int i) { stats[i]->open_window(Clock::now()); });
  if (!o.server_pids.empty()) run.server_start = sample_processes(o.server_pids, error);
  const auto server_t0 = Clock::now();
  const double tool0 = own_cpu_seconds();
  const double system0 = system_busy_seconds();

  std::this_thread::sleep_until(window_end);
  on_every_session(contexts, n, [&](int i) { stats[i]->close_window(Clock::now()); });
  if (!o.server_pids.empty()) run.server_end = sample_processes(o.server_pids, error);
  run.server_span_s = std::chrono::duration<double>(Clock::now() - server_t0).count();
  run.tool_cpu_s = own_cpu_seconds() - tool0;
  run.system_cpu_s = system_busy_seconds() - system0;
  if (!o.server_pids.empty() && (!run.server_start || !run.server_end)) {
    std::cerr << "sluice-load: server sample failed: " << error << "\n";
  }

  for (auto& c : contexts) c->stop();
  for (auto& w : workers) w.join();
  for (const auto& s : stats) run.results.push_back(s->result());
  contexts.clear();  // closes every socket

  const auto summary = summarize(run);
  if (o.json) {
    std::cout << boost::json::serialize(summary) << "\n";
  } else {
    std::cout << human_summary(summary);
  }
  if (!o.dump.empty()) {
    std::ofstream dump(o.dump);
    for (const auto& r : run.results) dump << boost::json::serialize(session_json(r)) << "\n";
  }
  return summary.at("ok").as_uint64() > 0 ? 0 : 1;
}

}  // namespace sluice::load
