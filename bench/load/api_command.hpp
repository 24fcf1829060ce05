#pragma once
// `sluice-load api`: signed management-API requests at a fixed concurrency
// over keep-alive connections, with latency percentiles and the server's CPU.
// `sluice-load seed-history`: bulk history rows straight into a data dir's store.
#include <string>
#include <vector>

namespace sluice::load {

struct ApiOptions {
  std::string url;  // http://127.0.0.1:PORT
  std::string access_key;
  std::string secret_key;
  std::string region = "cn-north-1";
  std::string action = "DescribeLiveStreamState";
  std::vector<std::string> params;  // Key=Value, query parameters of the action
  int connections = 1;
  double warmup_s = 1;
  double duration_s = 10;
  std::vector<int> server_pids;
  bool json = false;
};

struct SeedOptions {
  std::string data_dir;
  long rows = 1'000'000;
  int days = 30;  // end times spread evenly over the last `days` days
};

int run_api(const ApiOptions& options);
int run_seed(const SeedOptions& options);

}  // namespace sluice::load
