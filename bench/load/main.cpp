// sluice-load: the project's load tool. `play` runs N RTMP or HTTP-FLV
// viewers against a loopback server and measures delivery, startup and the
// server's CPU and memory over a fixed window; `publish` feeds a stream
// from an FLV file at real time. See bench/README.md.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>

#include "api_command.hpp"
#include "commands.hpp"

namespace sluice::load {

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void set_hard_deadline(double seconds) {
  alarm(static_cast<unsigned>(std::ceil(std::max(1.0, seconds))));  // SIGALRM ends the process
}

}  // namespace sluice::load

int main(int argc, char** argv) {
  using namespace sluice::load;
  CLI::App app{"sluice-load: loopback load tool for sluice (and peers such as nginx-rtmp)"};
  app.require_subcommand(1);

  PlayOptions play;
  auto* p = app.add_subcommand("play", "N viewers; measures delivery, startup, server CPU/RSS");
  p->add_option("url", play.url,
                "rtmp://127.0.0.1:PORT/app/stream, http://127.0.0.1:PORT/app/stream.flv or .m3u8")
      ->required();
  p->add_option("-n,--sessions", play.sessions, "viewers (default 1)");
  p->add_option("--ramp", play.ramp_s, "seconds over which viewers start (default max(1, N/200))");
  p->add_option("--warmup", play.warmup_s, "seconds after the ramp before the window (default 5)");
  p->add_option("--duration", play.duration_s, "measured window, seconds (default 20)");
  p->add_option("--stall", play.stall_s, "media gap counted as a stall, seconds (default 1)");
  p->add_option("--source-kbps", play.source_kbps,
                "source bitrate for the 90% test (default: the median viewer's)");
  p->add_option("--server-pid", play.server_pids, "server process(es) to sample CPU/RSS from");
  p->add_flag("--json", play.json, "print one JSON object");
  p->add_option("--dump", play.dump, "write per-session results as JSON lines here");
  p->add_option("--threads", play.threads, "io_context threads on the client side (default 1)");
  std::string hls_flavour = "ts";
  p->add_option("--hls", hls_flavour,
                "for .m3u8 URLs: ts (classic HLS, timed reloads, MPEG-TS segments; default) or ll "
                "(LL-HLS: blocking reloads, fMP4 parts)")
      ->check(CLI::IsMember({"ts", "ll"}));

  PublishOptions publish;
  auto* q = app.add_subcommand("publish", "M publishers replaying an FLV file at real time");
  q->add_option("url", publish.url, "rtmp://127.0.0.1:PORT/app/stream")->required();
  q->add_option("--file", publish.file, "source FLV")->required();
  q->add_option("-m,--publishers", publish.publishers,
                "publishers; M > 1 appends -1, -2 ... to the name");
  q->add_flag("--loop", publish.loop, "loop the file with continuous timestamps");
  q->add_option("--duration", publish.duration_s, "seconds (required with --loop)");
  q->add_flag("--json", publish.json, "print JSON");
  q->add_flag("--stamp-wallclock", publish.stamp_wallclock,
              "put the sending time in an SEI NAL of every H.264 frame (latency, HLS viewers)");

  ChurnOptions churn;
  auto* c = app.add_subcommand("churn", "a churning viewer population for soak runs (JSON lines)");
  c->add_option("url", churn.urls, "one or more play URLs; viewer slots take them in turn")
      ->required();
  c->add_option("-n,--viewers", churn.viewers, "viewers kept alive at any time (default 50)");
  c->add_option("--slow", churn.slow, "of them, viewers that stop reading (default 0)");
  c->add_option("--min-life", churn.min_life_s, "shortest viewer life, seconds (default 5)");
  c->add_option("--max-life", churn.max_life_s, "longest viewer life, seconds (default 60)");
  c->add_option("--slow-after", churn.slow_after_s,
                "a slow viewer reads this long before it stops (default 3)");
  c->add_option("--duration", churn.duration_s, "seconds (default 60)");
  c->add_option("--report-every", churn.report_every_s,
                "seconds between progress lines (default 10)");
  c->add_option("--seed", churn.seed, "random seed (default 1)");

  ApiOptions api;
  auto* a = app.add_subcommand("api", "signed management-API requests at a fixed concurrency");
  a->add_option("url", api.url, "http://127.0.0.1:PORT (the API listener)")->required();
  a->add_option("--ak", api.access_key, "access key")->required();
  a->add_option("--sk", api.secret_key, "secret key")->required();
  a->add_option("--region", api.region, "region to sign for (default cn-north-1)");
  a->add_option("--action", api.action, "action (default DescribeLiveStreamState)");
  a->add_option("-p,--param", api.params, "query parameter Key=Value (repeatable)");
  a->add_option("-c,--connections", api.connections,
                "concurrent keep-alive connections (default 1)");
  a->add_option("--warmup", api.warmup_s, "seconds before the window (default 1)");
  a->add_option("--duration", api.duration_s, "measured window, seconds (default 10)");
  a->add_option("--server-pid", api.server_pids, "server process to sample CPU from");
  a->add_flag("--json", api.json, "print one JSON object");

  SeedOptions seed;
  auto* s = app.add_subcommand("seed-history",
                               "bulk synthetic history rows into a data dir's SQLite store");
  s->add_option("--data-dir", seed.data_dir, "the server's data directory")->required();
  s->add_option("--rows", seed.rows, "rows (default 1000000)");
  s->add_option("--days", seed.days, "spread end times over this many past days (default 30)");

  CLI11_PARSE(app, argc, argv);
  if (p->parsed()) {
    play.low_latency_hls = hls_flavour == "ll";
    return run_play(play);
  }
  if (a->parsed()) return run_api(api);
  if (s->parsed()) return run_seed(seed);
  if (c->parsed()) return run_churn(churn);
  return run_publish(publish);
}
