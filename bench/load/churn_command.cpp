// `sluice-load churn`: N viewer slots, each playing one viewer after another
// for a random life, so the server sees a steady population whose members
// keep joining and leaving. Progress goes to stdout as one JSON line every
// --report-every seconds (cumulative counters), then a final line.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "commands.hpp"
#include "player.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

// A stalled player's socket buffer: small, as on a constrained link, so the
// server's own queue limits decide (README "Slow viewers"), not the kernel's.
constexpr int kSlowViewerReceiveBuffer = 64 * 1024;

Clock::duration secs(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Everything the slots share; one io_context thread touches it.
struct Population {
  uint64_t started = 0;
  uint64_t lived = 0;       // ran their whole life
  uint64_t with_video = 0;  // got at least one video frame
  uint64_t finished_bytes = 0;
  std::map<std::string, uint64_t> ended_early;  // by reason
  std::set<const SessionStats*> active;
  std::vector<double> first_video_ms;  // of viewers started since the last report
};

asio::awaitable<void> play_once(const Target& target, SessionStats& stats,
                                const PlayerBehaviour& behaviour) {
  if (target.scheme == Target::Scheme::kRtmp) {
    co_await run_rtmp_player(target, stats, behaviour);
  } else if (target.scheme == Target::Scheme::kHls) {
    co_await run_hls_player(target, stats);  // reads on; slow HLS viewers are not modelled
  } else {
    co_await run_http_flv_player(target, stats, behaviour);
  }
}

asio::awaitable<void> run_slot(const Target& target, bool slow, Clock::time_point first_start,
                               Clock::time_point end, const ChurnOptions& o, unsigned seed,
                               Population& population) {
  auto executor = co_await asio::this_coro::executor;
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> life_of(o.min_life_s, o.max_life_s);
  std::uniform_real_distribution<double> pause_of(0.0, 0.5);
  asio::steady_timer wait(executor, first_start);
  co_await wait.async_wait(asio::use_awaitable);
  while (Clock::now() + secs(1) < end) {
    // A slow viewer lives its longest, so the server gets the time to drop it.
    const auto now = Clock::now();
    const auto death = std::min(end, now + secs(slow ? o.max_life_s : life_of(random)));
    SessionStats stats(1.0);
    PlayerBehaviour behaviour;
    if (slow) {
      behaviour.stop_reading_at = now + secs(o.slow_after_s);
      behaviour.receive_buffer_bytes = kSlowViewerReceiveBuffer;
    }
    ++population.started;
    population.active.insert(&stats);
    asio::steady_timer life(executor, death);
    auto outcome =
        co_await (play_once(target, stats, behaviour) || life.async_wait(asio::use_awaitable));
    population.active.erase(&stats);
    population.finished_bytes += stats.bytes();
    const auto result = stats.result();
    if (result.ms[static_cast<size_t>(Milestone::kFirstVideo)]) {
      ++population.with_video;
      population.first_video_ms.push_back(*result.ms[static_cast<size_t>(Milestone::kFirstVideo)]);
    }
    bool failed_early = false;
    if (outcome.index() == 1) {
      ++population.lived;
    } else {
      // Reasons are the players' own short strings ("closed_by_server",
      // "conn:" + errno text), so they make bounded keys.
      ++population.ended_early[result.error.empty() ? "ended" : result.error];
      failed_early = !result.ms[static_cast<size_t>(Milestone::kFirstVideo)];
    }
    // A viewer that never played (stream absent, refused) retries after a
    // second rather than in a tight loop; the others are replaced at once.
    wait.expires_after(secs(failed_early ? 1.0 : pause_of(random)));
    co_await wait.async_wait(asio::use_awaitable);
  }
}

boost::json::object progress(const Population& p, double started_at) {
  uint64_t bytes = p.finished_bytes;
  for (const auto* s : p.active) bytes += s->bytes();
  boost::json::object reasons;
  for (const auto& [reason, count] : p.ended_early) reasons[reason] = count;
  auto first = p.first_video_ms;
  std::sort(first.begin(), first.end());
  boost::json::object line{{"t", unix_now()},           {"elapsed_s", unix_now() - started_at},
                           {"active", p.active.size()}, {"started", p.started},
                           {"lived", p.lived},          {"with_video", p.with_video},
                           {"ended_early", reasons},    {"bytes", bytes}};
  if (!first.empty()) {
    line["first_video_ms_p50"] = first[first.size() / 2];
    line["first_video_ms_max"] = first.back();
  }
  return line;
}

asio::awaitable<void> report_every(double seconds, Clock::time_point end, double started_at,
                                   Population& population) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (auto next = Clock::now() + secs(seconds); next < end; next += secs(seconds)) {
    timer.expires_at(next);
    co_await timer.async_wait(asio::use_awaitable);
    std::cout << boost::json::serialize(progress(population, started_at)) << std::endl;
    population.first_video_ms.clear();
  }
}

}  // namespace

int run_churn(const ChurnOptions& o) {
  std::vector<Target> targets;
  for (const auto& url : o.urls) {
    std::string error;
    auto target = parse_target(url, error);
    if (!target) {
      std::cerr << "sluice-load: " << error << "\n";
      return 2;
    }
    targets.push_back(*target);
  }
  if (targets.empty() || o.viewers < 1 || o.slow < 0 || o.slow > o.viewers || o.min_life_s <= 0 ||
      o.max_life_s < o.min_life_s || o.duration_s <= 0 || o.report_every_s <= 0) {
    std::cerr << "sluice-load: churn needs a URL, 1 <= slow <= viewers... see --help\n";
    return 2;
  }
  set_hard_deadline(o.duration_s + o.max_life_s + 30);
  raise_open_file_limit();

  const double started_at = unix_now();
  const auto t0 = Clock::now();
  const auto end = t0 + secs(o.duration_s);
  Population population;
  asio::io_context context(1);
  asio::signal_set signals(context, SIGINT, SIGTERM);  // end early, still with a final line
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) context.stop();
  });
  int running = o.viewers;
  auto slot_done = [&](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        ++population.ended_early[std::string("exception:") + x.what()];
      }
    }
    if (--running == 0) context.stop();
  };
  // Slots start evenly over the shortest life, then stay out of step.
  for (int i = 0; i < o.viewers; ++i) {
    const bool slow = i < o.slow;
    const auto first_start = t0 + secs(o.min_life_s * i / o.viewers);
    asio::co_spawn(
        context,
        run_slot(targets[i % targets.size()], slow, first_start, end, o, o.seed + i, population),
        slot_done);
  }
  asio::co_spawn(context, report_every(o.report_every_s, end, started_at, population),
                 asio::detached);
  context.run();

  auto last = progress(population, started_at);
  last["final"] = true;
  last["viewers"] = o.viewers;
  last["slow"] = o.slow;
  std::cout << boost::json::serialize(last) << std::endl;
  return population.with_video > 0 ? 0 : 1;
}

}  // namespace sluice::load
