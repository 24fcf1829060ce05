// `sluice-load publish`: M publishers replaying one FLV file at real time.
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "commands.hpp"
#include "publisher.hpp"

namespace sluice::load {

int run_publish(const PublishOptions& o) {
  std::string error;
  auto target = parse_target(o.url, error);
  if (!target) {
    std::cerr << "sluice-load: " << error << "\n";
    return 2;
  }
  if (target->scheme != Target::Scheme::kRtmp) {
    std::cerr << "sluice-load: publish needs an rtmp:// URL\n";
    return 2;
  }
  auto file = FlvFile::load(o.file, error);
  if (!file) {
    std::cerr << "sluice-load: " << error << "\n";
    return 2;
  }
  if (o.loop && !o.duration_s) {
    std::cerr << "sluice-load: --loop needs --duration (every run is bounded)\n";
    return 2;
  }
  const double duration = o.duration_s ? *o.duration_s : file->loop_ms() / 1000.0 + 1;
  set_hard_deadline(duration + 30);
  raise_open_file_limit();

  const int m = std::max(1, o.publishers);
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(duration));
  std::vector<Target> targets;
  for (int k = 1; k <= m; ++k) targets.push_back(m == 1 ? *target : target->with_suffix(k));
  std::vector<PublisherResult> results(m);
  boost::asio::io_context context(1);
  // SIGTERM / SIGINT end the run early, still with a report.
  boost::asio::signal_set signals(context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) context.stop();
  });
  int running = m;
  for (int k = 0; k < m; ++k) {
    PublisherResult& r = results[k];
    boost::asio::co_spawn(context,
                          run_publisher(targets[k], *file, o.loop, end, r, o.stamp_wallclock),
                          [&r, &running, &signals](std::exception_ptr e) {
                            if (--running == 0) signals.cancel();
                            if (!e) return;
                            try {
                              std::rethrow_exception(e);
                            } catch (const std::exception& x) {
                              r.error = std::string("exception:") + x.what();
                            }
                          });
  }
  context.run();
  for (auto& r : results) {  // stopped by a signal: count up to now
    if (r.published && r.seconds == 0)
      r.seconds = std::chrono::duration<double>(Clock::now() - r.started).count();
  }

  boost::json::array out;
  int ok = 0;
  for (const auto& r : results) {
    ok += r.published && r.error.empty();
    const double mbps = r.seconds > 0 ? r.bytes_sent * 8 / r.seconds / 1e6 : 0;
    if (o.json) {
      out.push_back(boost::json::object{
          {"stream", r.stream},
          {"published", r.published},
          {"error", r.error.empty() ? boost::json::value(nullptr) : boost::json::value(r.error)},
          {"bytes_sent", r.bytes_sent},
          {"tags_sent", r.tags_sent},
          {"publish_start_ms", r.publish_start_ms},
          {"seconds", r.seconds},
          {"mbps", mbps}});
    } else {
      std::cout << fmt::format("{}: {}, {} bytes sent ({} tags) in {:.1f} s = {:.3f} Mbit/s{}\n",
                               r.stream, r.published ? "published" : "NOT published", r.bytes_sent,
                               r.tags_sent, r.seconds, mbps,
                               r.error.empty() ? "" : ", ended: " + r.error);
    }
  }
  if (o.json) std::cout << boost::json::serialize(boost::json::object{{"publishers", out}}) << "\n";
  return ok == m ? 0 : 1;
}

}  // namespace sluice::load
