// The cost of the signed-URL check per publish or play (README, "Benchmarks",
// "Signed-URL check"): the pure verifier over the two configured keys, and
// the whole rule as the access gate runs it (config lookup, parameters,
// verdict). Run: build/bench/sluice-microbench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include "config/config.hpp"
#include "manage/push_auth_check.hpp"
#include "manage/url_signature.hpp"
#include "sign/url_signature.hpp"

namespace sluice {
namespace {

constexpr int64_t kExpiry = 1700003600;
constexpr int64_t kNow = 1700000000;

std::map<std::string, std::string> signed_params(const std::string& key) {
  return {{"volcTime", std::to_string(kExpiry)},
          {"volcSecret", sign::url_signature("live", "cam1", key, kExpiry)}};
}

void VerifyValid(benchmark::State& state) {
  const auto params = signed_params("primary-key");
  const std::vector<std::string> keys{"primary-key", "secondary-key"};
  for (auto _ : state) {
    auto check = manage::verify_url_signature(params, "live", "cam1", keys, kNow);
    benchmark::DoNotOptimize(check);
  }
}
BENCHMARK(VerifyValid);

void VerifyMismatch(benchmark::State& state) {
  const auto params = signed_params("someone-elses-key");
  const std::vector<std::string> keys{"primary-key", "secondary-key"};
  for (auto _ : state) {
    auto check = manage::verify_url_signature(params, "live", "cam1", keys, kNow);
    benchmark::DoNotOptimize(check);
  }
}
BENCHMARK(VerifyMismatch);

// The gate's rule for a signed play on a vhost with a play key.
void GatePlayCheck(benchmark::State& state) {
  const auto config = config::load_string(
      "[[vhost]]\nname = \"__defaultVhost__\"\nplay_key = \"play-key\"\n"
      "play_key_secondary = \"old-play-key\"\n");
  manage::AccessRequest request;
  request.action = manage::AccessAction::kPlay;
  request.protocol = manage::AccessProtocol::kHttpFlv;
  request.key = {"__defaultVhost__", "live", "cam1"};
  request.client_address = "192.0.2.7:50000";
  request.params = signed_params("play-key");
  for (auto _ : state) {
    auto refusal = manage::check_url_signature(config, request, kNow);
    benchmark::DoNotOptimize(refusal);
  }
}
BENCHMARK(GatePlayCheck);

// The same play on a vhost without a play key: what the rule costs when off.
void GatePlayCheckNoKey(benchmark::State& state) {
  const auto config = config::load_string("");
  manage::AccessRequest request;
  request.action = manage::AccessAction::kPlay;
  request.key = {"__defaultVhost__", "live", "cam1"};
  request.client_address = "192.0.2.7:50000";
  for (auto _ : state) {
    auto refusal = manage::check_url_signature(config, request, kNow);
    benchmark::DoNotOptimize(refusal);
  }
}
BENCHMARK(GatePlayCheckNoKey);

}  // namespace
}  // namespace sluice

BENCHMARK_MAIN();
