#pragma once
// The two subcommands of sluice-load, with their options.
#include <optional>
#include <string>
#include <vector>

namespace sluice::load {

struct PlayOptions {
  std::string url;
  int sessions = 1;
  std::optional<double> ramp_s;  // default: max(1, N / 200)
  double warmup_s = 5;
  double duration_s = 20;
  double stall_s = 1;
  std::optional<double> source_kbps;
  std::vector<int> server_pids;
  bool json = false;
  std::string dump;
  int threads = 1;
  bool low_latency_hls = false;  // --hls ll: HLS viewers play LL-HLS parts
};

struct PublishOptions {
  std::string url;
  std::string file;
  int publishers = 1;
  bool loop = false;
  std::optional<double> duration_s;  // default: the file once; required with --loop
  bool json = false;
  bool stamp_wallclock = false;  // SEI wall-clock stamps in every AVC frame
};

// A steady population of viewers, each living a random time and then
// replaced, some of them stopping to read (slow viewers); for soak runs.
struct ChurnOptions {
  std::vector<std::string> urls;  // slot i plays urls[i % size]
  int viewers = 50;               // slots, always refilled
  int slow = 0;                   // of the slots, how many stop reading
  double min_life_s = 5;
  double max_life_s = 60;
  double slow_after_s = 3;  // a slow viewer reads this long, then stops
  double duration_s = 60;
  double report_every_s = 10;
  unsigned seed = 1;
};

int run_play(const PlayOptions& options);
int run_churn(const ChurnOptions& options);
int run_publish(const PublishOptions& options);

// Raises RLIMIT_NOFILE to its hard limit (1000 viewers need 1000 sockets).
void raise_open_file_limit();
// Ends the process with SIGALRM after `seconds`, whatever is happening.
void set_hard_deadline(double seconds);

}  // namespace sluice::load
