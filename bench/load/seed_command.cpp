// `sluice-load seed-history`: fills a data directory's store with synthetic
// closed-stream rows, for history queries at scale (run before the server).
#include <fmt/format.h>
#include <chrono>
#include <cstdio>

#include "api_command.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::load {

int run_seed(const SeedOptions& o) {
  auto store = store::SqliteStore::open(std::filesystem::path(o.data_dir) / "sluice.db");
  const WallTime now = wall_now();
  const auto span = std::chrono::hours(24 * o.days);
  const long batch_size = 20'000;
  const auto started = std::chrono::steady_clock::now();
  std::vector<store::ClosedStream> batch;
  batch.reserve(batch_size);
  for (long i = 0; i < o.rows;) {
    batch.clear();
    for (long j = 0; j < batch_size && i < o.rows; ++j, ++i) {
      store::ClosedStream c;
      // 4 vhosts x 3 apps x 20000 stream names; end times evenly over the span.
      c.vhost = fmt::format("vhost{}.example.com", i % 4);
      c.domain = fmt::format("push{}.example.com", i % 4);
      c.app = fmt::format("app{}", (i / 4) % 3);
      c.stream = fmt::format("stream-{:05}", (i * 7919) % 20000);
      c.end_time = now - span + span * i / o.rows;
      c.start_time = c.end_time - std::chrono::minutes(1 + i % 120);
      c.reason = i % 10 == 0 ? store::EndReason::kKilled : store::EndReason::kNormal;
      c.bytes_in = static_cast<uint64_t>(i) * 1000;
      c.client_address = "192.0.2.1:1935";
      batch.push_back(std::move(c));
    }
    store->append_closed(batch);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %ld history rows into %s/sluice.db in %.1f s\n", o.rows, o.data_dir.c_str(),
              seconds);
  return 0;
}

}  // namespace sluice::load
