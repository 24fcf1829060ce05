#pragma once
// The metrics listener's routes:
//   GET /metrics   Prometheus text exposition 0.0.4 (README, "Metrics")
// The route set runs on the control executor; the media side's numbers are
// copied there in one step (`co_await on(media, ...)`), like every other
// crossing (docs/design.md, "Threads: media and control").
#include <boost/asio/any_io_executor.hpp>
#include <functional>

#include "config/config.hpp"
#include "http/route_set.hpp"
#include "metrics/api_metrics.hpp"
#include "metrics/scrape.hpp"

namespace sluice::metrics {

struct MetricsSources {
  boost::asio::any_io_executor media;
  // Runs on `media`: the copy of everything the media side counts.
  std::function<MediaSnapshot()> snapshot;
  const ApiMetrics* api = nullptr;  // on control, where the route set runs
  // On control too; empty: no callback series.
  std::function<CallbackNumbers()> callbacks;
  const StoreMetrics* store = nullptr;  // on control too
};

// `sources` is copied; what it refers to and `config` must outlive the route set.
http::RouteSet metrics_routes(MetricsSources sources, const config::MetricsConfig& config);

}  // namespace sluice::metrics
