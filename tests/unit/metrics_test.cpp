// The Prometheus exposition text: escaping, values, histogram buckets, the
// lifecycle counters, the per-stream cap and the metrics config keys.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>

#include "config/config.hpp"
#include "metrics/api_metrics.hpp"
#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"
#include "metrics/lifecycle_counters.hpp"
#include "metrics/process_stats.hpp"
#include "metrics/scrape.hpp"
#include "metrics/store_metrics.hpp"

namespace sluice::metrics {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Exposition, EscapesBackslashQuoteAndNewlineInLabelValues) {
  EXPECT_EQ(escape_label_value(R"(a\b"c)"
                               "\nd"),
            R"(a\\b\"c\nd)");
  Exposition out;
  out.family("x_total", "counter", "Help with \\ and\nnewline.");
  out.sample("x_total", {{"stream", "we\"ird\n"}}, uint64_t{3});
  EXPECT_EQ(out.text(),
            "# HELP x_total Help with \\\\ and\\nnewline.\n"
            "# TYPE x_total counter\n"
            "x_total{stream=\"we\\\"ird\\n\"} 3\n");
}

TEST(Exposition, FormatsValuesAsPrometheusReadsThem) {
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(1e20), "1e+20");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  Exposition out;
  out.sample("a", {}, uint64_t{18446744073709551615ULL});
  out.sample("b", {{"x", "1"}, {"y", "2"}}, 1.5);
  EXPECT_EQ(out.text(), "a 18446744073709551615\nb{x=\"1\",y=\"2\"} 1.5\n");
}

TEST(Histogram, BucketsAreCumulativeWithInfSumAndCount) {
  Histogram h({0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // on a bound: counted in it (le is "less or equal")
  h.observe(0.5);
  h.observe(7);
  Exposition out;
  h.write(out, "d_seconds", {{"action", "A"}});
  EXPECT_EQ(out.text(),
            "d_seconds_bucket{action=\"A\",le=\"0.1\"} 2\n"
            "d_seconds_bucket{action=\"A\",le=\"1\"} 3\n"
            "d_seconds_bucket{action=\"A\",le=\"+Inf\"} 4\n"
            "d_seconds_sum{action=\"A\"} 7.65\n"
            "d_seconds_count{action=\"A\"} 4\n");
}

TEST(ApiMetrics, CountsByActionAndCodeWithALatencyHistogram) {
  ApiMetrics api;
  api.record("KillStream", "", std::chrono::milliseconds(2));
  api.record("KillStream", "", std::chrono::milliseconds(3));
  api.record("unknown", "InvalidAction", std::chrono::microseconds(100));
  Exposition out;
  api.write(out);
  const std::string& text = out.text();
  EXPECT_TRUE(contains(text, "sluice_api_requests_total{action=\"KillStream\",code=\"ok\"} 2\n"));
  EXPECT_TRUE(
      contains(text, "sluice_api_requests_total{action=\"unknown\",code=\"InvalidAction\"} 1\n"));
  EXPECT_TRUE(contains(
      text, "sluice_api_request_duration_seconds_bucket{action=\"KillStream\",le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(contains(
      text, "sluice_api_request_duration_seconds_bucket{action=\"KillStream\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(contains(text, "sluice_api_request_duration_seconds_count{action=\"unknown\"} 1\n"));
}

TEST(ApiMetrics, DistinctCodesPastTheCapAreCountedAsOther) {
  ApiMetrics api;
  for (size_t i = 0; i < ApiMetrics::kMaxSeries + 5; ++i)
    api.record("unknown", "Code" + std::to_string(i), std::chrono::milliseconds(1));
  Exposition out;
  api.write(out);
  EXPECT_TRUE(contains(out.text(), "{action=\"unknown\",code=\"other\"} 5\n"));
  EXPECT_FALSE(contains(out.text(), "Code" + std::to_string(ApiMetrics::kMaxSeries)));
}

manage::Party party(manage::AccessProtocol protocol) {
  return {protocol, {"__defaultVhost__", "live", "cam"}, "", "127.0.0.1:5000"};
}

TEST(LifecycleCounters, CountTheGatesEvents) {
  boost::asio::io_context io;
  manage::LifecycleEvents events(io.get_executor());
  LifecycleCounters counters(events);
  const auto http = manage::AccessProtocol::kHttpFlv;
  events.emit(manage::PublishStarted{1, party(manage::AccessProtocol::kRtmp), wall_now()});
  {
    auto ticket = events.start_play({7, party(http), wall_now(), true});
    EXPECT_EQ(counters.counts().plays_open.at({"http_flv"}), 1u);
    ticket.finish(manage::PlayEnd::kViewerLeft, 1000);
  }
  manage::PublishEnded ended;
  ended.party = party(manage::AccessProtocol::kRtmp);
  ended.reason = store::EndReason::kKilled;
  ended.bytes_in = 500;
  events.emit(ended);
  manage::AccessRefused refused;
  refused.action = manage::AccessAction::kPublish;
  refused.refusal.kind = manage::Refusal::Kind::kDuplicate;
  events.emit(refused);

  const auto& c = counters.counts();
  EXPECT_EQ(c.publishes_started.at({"rtmp"}), 1u);
  EXPECT_EQ(c.publishes_ended.at({"rtmp", "killed"}), 1u);
  EXPECT_EQ(c.plays_started.at({"http_flv"}), 1u);
  EXPECT_EQ(c.plays_started.at({"rtmp"}), 0u);
  EXPECT_EQ(c.plays_ended.at({"http_flv", "viewer_left"}), 1u);
  EXPECT_EQ(c.plays_open.at({"http_flv"}), 0u);
  EXPECT_EQ(c.play_bytes.at({"http_flv"}), 1000u);
  EXPECT_EQ(c.refusals.at({"publish", "duplicate"}), 1u);
  EXPECT_EQ(c.ended_publish_bytes, 500u);
}

manage::OnlineStream online(std::string name, uint64_t bytes) {
  manage::OnlineStream s;
  s.vhost = "v";
  s.app = "live";
  s.stream = std::move(name);
  s.bytes_in = bytes;
  s.bytes_out = 2 * bytes;  // as if two viewers had had it all
  return s;
}

void watch(ScrapeInput& input, const std::string& name, uint64_t rtmp, uint64_t http_flv) {
  input.media.counts.stream_plays_open[{"v", "live", name}] = {rtmp, http_flv};
}

TEST(LifecycleCounters, CountViewersPerStreamByProtocol) {
  boost::asio::io_context io;
  manage::LifecycleEvents events(io.get_executor());
  LifecycleCounters counters(events);
  const media::StreamKey cam{"__defaultVhost__", "live", "cam"};
  auto rtmp_1 = events.start_play({1, party(manage::AccessProtocol::kRtmp), wall_now(), true});
  auto rtmp_2 = events.start_play({2, party(manage::AccessProtocol::kRtmp), wall_now(), true});
  auto flv = events.start_play({3, party(manage::AccessProtocol::kHttpFlv), wall_now(), true});
  auto hls = events.start_play({4, party(manage::AccessProtocol::kHls), wall_now(), true});
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).rtmp, 2u);
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).http_flv, 1u);
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).hls, 1u);
  hls.finish(manage::PlayEnd::kViewerLeft, 0);
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).hls, 0u);
  rtmp_1.finish(manage::PlayEnd::kViewerLeft, 0);
  flv.finish(manage::PlayEnd::kViewerLeft, 0);
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).rtmp, 1u);
  EXPECT_EQ(counters.counts().stream_plays_open.at(cam).http_flv, 0u);
  rtmp_2.finish(manage::PlayEnd::kStreamEnded, 0);
  // The last viewer gone, the stream leaves the map (it cannot grow without bound).
  EXPECT_TRUE(counters.counts().stream_plays_open.empty());
}

TEST(Scrape, TheMostWatchedStreamsGetLabelsAndTheRestAreSummed) {
  ScrapeInput input;
  input.media.streams = {online("a", 10), online("b", 20), online("c", 40), online("d", 80)};
  watch(input, "a", 1, 0);
  watch(input, "b", 2, 3);
  watch(input, "c", 0, 2);
  watch(input, "d", 1, 1);
  watch(input, "gone", 9, 9);  // plays of a stream not live (waiting): not shown
  input.max_stream_labels = 2;
  input.media.counts.ended_publish_bytes = 1000;
  const std::string text = render(input);
  EXPECT_TRUE(contains(text, "sluice_ingest_bytes_total 1150\n"));  // ended + every live one
  EXPECT_TRUE(contains(text, "sluice_streams_online 4\n"));
  EXPECT_TRUE(contains(
      text, "sluice_stream_viewers{vhost=\"v\",app=\"live\",stream=\"b\",protocol=\"rtmp\"} 2\n"));
  EXPECT_TRUE(contains(
      text,
      "sluice_stream_viewers{vhost=\"v\",app=\"live\",stream=\"b\",protocol=\"http_flv\"} 3\n"));
  // c and d tie at 2 viewers: the name decides, so the set is stable.
  EXPECT_TRUE(contains(
      text, "sluice_stream_viewers{vhost=\"v\",app=\"live\",stream=\"c\",protocol=\"rtmp\"} 0\n"));
  EXPECT_TRUE(contains(
      text,
      "sluice_stream_viewers{vhost=\"v\",app=\"live\",stream=\"c\",protocol=\"http_flv\"} 2\n"));
  EXPECT_FALSE(contains(text, "stream=\"d\""));
  EXPECT_FALSE(contains(text, "stream=\"a\""));
  EXPECT_FALSE(contains(text, "stream=\"gone\""));
  EXPECT_TRUE(contains(
      text,
      "sluice_stream_viewers{vhost=\"\",app=\"\",stream=\"__other__\",protocol=\"rtmp\"} 2\n"));
  EXPECT_TRUE(contains(
      text,
      "sluice_stream_viewers{vhost=\"\",app=\"\",stream=\"__other__\",protocol=\"http_flv\"} "
      "1\n"));
  EXPECT_TRUE(contains(
      text, "sluice_stream_ingest_bytes_total{vhost=\"\",app=\"\",stream=\"__other__\"} 90\n"));
  EXPECT_TRUE(contains(
      text, "sluice_stream_sent_bytes_total{vhost=\"\",app=\"\",stream=\"__other__\"} 180\n"));
}

TEST(Scrape, NoOtherSeriesWhenEveryStreamFits) {
  ScrapeInput input;
  input.media.streams = {online("a", 10)};
  const std::string text = render(input);
  EXPECT_TRUE(contains(
      text, "sluice_stream_ingest_bytes_total{vhost=\"v\",app=\"live\",stream=\"a\"} 10\n"));
  EXPECT_TRUE(
      contains(text, "sluice_stream_sent_bytes_total{vhost=\"v\",app=\"live\",stream=\"a\"} 20\n"));
  // An unwatched live stream still has both series, at 0.
  EXPECT_TRUE(contains(
      text,
      "sluice_stream_viewers{vhost=\"v\",app=\"live\",stream=\"a\",protocol=\"http_flv\"} 0\n"));
  EXPECT_FALSE(contains(text, "stream=\"__other__\"}"));
  EXPECT_TRUE(contains(text, "# TYPE sluice_stream_viewers gauge\n"));
}

TEST(Scrape, CallbackSeriesOnlyWhenDeliveryIsWired) {
  ScrapeInput input;
  EXPECT_EQ(render(input).find("sluice_callback_"), std::string::npos);
  input.callbacks = CallbackNumbers{7, 3, 1, 42};
  const std::string text = render(input);
  EXPECT_NE(text.find("\nsluice_callback_deliveries_total 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nsluice_callback_retries_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("\nsluice_callback_failures_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE sluice_callback_queue_depth gauge\nsluice_callback_queue_depth 42\n"),
            std::string::npos);
}

TEST(Scrape, StoreLatencyIsInTheScrapeWhenGiven) {
  StoreMetrics store;
  store.record("close_publish", std::chrono::milliseconds(3));
  ScrapeInput input;
  EXPECT_FALSE(contains(render(input), "sluice_store_query_seconds"));
  input.store = &store;
  const std::string text = render(input);
  EXPECT_TRUE(contains(
      text, "sluice_store_query_seconds_bucket{operation=\"close_publish\",le=\"0.0025\"} 0\n"));
  EXPECT_TRUE(contains(
      text, "sluice_store_query_seconds_bucket{operation=\"close_publish\",le=\"0.005\"} 1\n"));
}

TEST(ProcessStats, ParsesStatEvenWithParenthesesInTheCommandName) {
  // Fields 14 (utime), 15 (stime) and 22 (starttime) of proc(5).
  const std::string stat =
      "42 (a) b (c) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0 98765 1000 200 rest\n";
  const auto fields = parse_stat(stat);
  ASSERT_TRUE(fields.ok);
  EXPECT_EQ(fields.utime_ticks, 150u);
  EXPECT_EQ(fields.stime_ticks, 25u);
  EXPECT_EQ(fields.start_ticks, 98765u);
  EXPECT_FALSE(parse_stat("42 (short) S 1 2").ok);
}

TEST(ProcessStats, ReadsThisProcess) {
  const auto stats = read_process_stats();
  EXPECT_GT(stats.resident_bytes, 0u);
  EXPECT_GT(stats.open_fds, 2u);  // stdin, stdout, stderr at least
  EXPECT_GT(stats.start_time_seconds, 1.6e9);
  EXPECT_LE(stats.start_time_seconds, static_cast<double>(std::time(nullptr)) + 1);
}

TEST(MetricsConfig, ListenKeyAndFlagTurnOffWithEmptyOrOff) {
  using config::load_string;
  const auto defaults = load_string("");
  EXPECT_TRUE(defaults.metrics.enabled);
  EXPECT_EQ(defaults.metrics.listen.to_string(), "127.0.0.1:9385");
  EXPECT_EQ(defaults.metrics.max_stream_labels, 100u);
  const auto set = load_string("[metrics]\nlisten = \":9999\"\nmax_stream_labels = 5\n");
  EXPECT_EQ(set.metrics.listen.to_string(), "0.0.0.0:9999");
  EXPECT_EQ(set.metrics.max_stream_labels, 5u);
  EXPECT_FALSE(load_string("[metrics]\nlisten = \"off\"\n").metrics.enabled);
  EXPECT_FALSE(load_string("[metrics]\nlisten = \"\"\n").metrics.enabled);
  config::MetricsConfig flag = defaults.metrics;
  config::parse_metrics_listen("off", "--metrics-listen", flag);
  EXPECT_FALSE(flag.enabled);
  config::parse_metrics_listen("127.0.0.1:0", "--metrics-listen", flag);
  EXPECT_TRUE(flag.enabled);
  EXPECT_THROW(load_string("[metrics]\nlisten = \"nope\"\n"), config::ConfigError);
  EXPECT_THROW(load_string("[metrics]\nmax_stream_labels = -1\n"), config::ConfigError);
  EXPECT_THROW(load_string("[metrics]\ncolour = 1\n"), config::ConfigError);
}

}  // namespace
}  // namespace sluice::metrics
