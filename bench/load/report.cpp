#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <map>
#include <thread>

namespace sluice::load {
namespace json = boost::json;
namespace {

constexpr const char* kMilestoneNames[] = {
    "start_ms",       "tcp_connect_ms", "handshake_ms",      "request_sent_ms", "play_start_ms",
    "first_media_ms", "first_video_ms", "first_keyframe_ms", "first_segment_ms"};
static_assert(std::size(kMilestoneNames) == static_cast<size_t>(Milestone::kCount));

double round_to(double v, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

double nearest_rank(const std::vector<double>& sorted, double q) {
  const auto i = static_cast<size_t>(std::lround(q * static_cast<double>(sorted.size() - 1)));
  return sorted[std::min(sorted.size() - 1, i)];
}

double median(const std::vector<double>& sorted) {
  const size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

json::value dist(std::vector<double> values, int digits = 1) {
  if (values.empty()) return nullptr;
  std::sort(values.begin(), values.end());
  return json::object{{"p50", round_to(median(values), digits)},
                      {"p90", round_to(nearest_rank(values, 0.9), digits)},
                      {"p99", round_to(nearest_rank(values, 0.99), digits)},
                      {"min", round_to(values.front(), digits)},
                      {"max", round_to(values.back(), digits)},
                      {"n", values.size()}};
}

std::optional<double> ms(const SessionResult& r, Milestone m) {
  return r.ms[static_cast<size_t>(m)];
}

std::optional<double> after_request(const SessionResult& r, Milestone m) {
  auto request = ms(r, Milestone::kRequestSent), at = ms(r, m);
  if (!request || !at) return std::nullopt;
  return *at - *request;
}

template <typename F>
std::vector<double> collect(const std::vector<SessionResult>& results, F&& f) {
  std::vector<double> out;
  for (const auto& r : results) {
    if (auto v = f(r)) out.push_back(*v);
  }
  return out;
}

const json::value* path(const json::object& o, std::initializer_list<const char*> keys) {
  const json::value* v = nullptr;
  const json::object* cur = &o;
  for (const char* k : keys) {
    if (!cur) return nullptr;
    v = cur->if_contains(k);
    if (!v) return nullptr;
    cur = v->if_object();
  }
  return v;
}

std::string num(const json::object& o, std::initializer_list<const char*> keys, int digits = 1) {
  const json::value* v = path(o, keys);
  if (!v || v->is_null()) return "-";
  if (v->is_double()) return fmt::format("{:.{}f}", v->get_double(), digits);
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

}  // namespace

json::object session_json(const SessionResult& r) {
  json::object o;
  o["error"] = r.error.empty() ? json::value(nullptr) : json::value(r.error);
  for (size_t i = 1; i < r.ms.size(); ++i) {
    o[kMilestoneNames[i]] = r.ms[i] ? json::value(round_to(*r.ms[i], 1)) : json::value(nullptr);
  }
  o["first_video_after_request_ms"] = nullptr;
  if (auto v = after_request(r, Milestone::kFirstVideo))
    o["first_video_after_request_ms"] = round_to(*v, 1);
  o["first_video_keyframe"] =
      r.first_video_keyframe ? json::value(*r.first_video_keyframe) : json::value(nullptr);
  o["bytes_total"] = r.bytes_total;
  if (r.measured) {
    o["window_s"] = round_to(r.window_s, 3);
    o["window_bytes"] = r.window_bytes;
    o["mbps"] = round_to(r.mbps, 4);
    o["window_media_msgs"] = r.window_media_msgs;
    o["window_video_msgs"] = r.window_video_msgs;
    o["stalls"] = r.stalls;
    o["stall_s"] = round_to(r.stall_s, 3);
    o["max_gap_s"] = round_to(r.max_gap_s, 3);
    o["lag_growth_s"] = round_to(r.lag_growth_s, 3);
    o["media_progress"] = r.media_progress ? json::value(round_to(*r.media_progress, 4)) : nullptr;
    o["window_segments"] = r.window_segments;
    o["window_parts"] = r.window_parts;
    o["latency_ms"] =
        dist(std::vector<double>(r.frame_latency_ms.begin(), r.frame_latency_ms.end()));
  }
  return o;
}

json::object summarize(const PlayRun& run) {
  const auto& results = run.results;
  std::vector<const SessionResult*> ok;
  std::map<std::string, int> reasons;
  int disconnects = 0;
  for (const auto& r : results) {
    if (r.measured) {
      ok.push_back(&r);
      continue;
    }
    std::string key = r.error;
    if (auto colon = key.find(':'); colon != std::string::npos && key.starts_with("protocol")) {
      key.resize(colon);
    }
    ++reasons[key];
    // played before the window, then lost the connection
    if (ms(r, Milestone::kFirstVideo) && (key == "closed_by_server" || key.starts_with("conn:"))) {
      ++disconnects;
    }
  }
  uint64_t window_bytes = 0;
  std::vector<double> rates;
  for (const auto* r : ok) {
    window_bytes += r->window_bytes;
    rates.push_back(r->mbps);
  }
  std::vector<double> sorted_rates = rates;
  std::sort(sorted_rates.begin(), sorted_rates.end());
  const double median_mbps = sorted_rates.empty() ? 0 : median(sorted_rates);
  const double reference_mbps = run.source_kbps ? *run.source_kbps / 1000 : median_mbps;
  int keeping_up = 0, bitrate_ok = 0, with_stall = 0, behind = 0;
  double stall_total = 0, max_gap = 0, max_lag = 0;
  for (const auto* r : ok) {
    const bool rate_ok = r->mbps >= 0.9 * reference_mbps;
    const bool fell_behind = r->lag_growth_s > run.stall_s;
    bitrate_ok += rate_ok;
    with_stall += r->stalls > 0;
    behind += fell_behind;
    keeping_up += rate_ok && r->stalls == 0 && !fell_behind;
    stall_total += r->stall_s;
    max_gap = std::max(max_gap, r->max_gap_s);
    max_lag = std::max(max_lag, r->lag_growth_s);
  }
  const double n = std::max(1, run.sessions);
  const double gbit = static_cast<double>(window_bytes) * 8 / 1e9;
  int first_key = 0, first_known = 0;
  for (const auto& r : results) {
    if (r.first_video_keyframe) {
      ++first_known;
      first_key += *r.first_video_keyframe;
    }
  }

  json::object out;
  out["url"] = run.url;
  out["sessions"] = run.sessions;
  out["threads"] = run.threads;
  out["ramp_s"] = run.ramp_s;
  out["warmup_s"] = run.warmup_s;
  out["window_s"] = run.window_s;
  out["ok"] = ok.size();
  out["failed"] = results.size() - ok.size();
  json::object why;
  for (const auto& [k, v] : reasons) why[k] = v;
  out["failure_reasons"] = std::move(why);
  out["disconnects"] = disconnects;
  out["window_bytes"] = window_bytes;
  out["total_gbit"] = round_to(gbit, 4);
  out["aggregate_mbps"] = round_to(gbit * 1000 / std::max(1e-9, run.window_s), 1);
  out["per_session_mbps"] = dist(rates, 3);
  out["source_kbps"] = run.source_kbps ? json::value(*run.source_kbps) : nullptr;
  out["reference_mbps"] = round_to(reference_mbps, 3);
  out["reference"] = run.source_kbps ? "source_kbps" : "median";
  out["bitrate_ok"] = bitrate_ok;
  out["sessions_with_stall"] = with_stall;
  out["stall_s_total"] = round_to(stall_total, 3);
  out["max_gap_s"] = round_to(max_gap, 3);
  out["sessions_fell_behind"] = behind;
  out["max_lag_growth_s"] = round_to(max_lag, 3);
  out["keeping_up"] = keeping_up;
  out["keeping_up_fraction"] = round_to(keeping_up / n, 4);
  out["first_video_keyframe_fraction"] =
      first_known ? json::value(round_to(double(first_key) / first_known, 4)) : nullptr;
  json::object startup;
  for (auto m : {Milestone::kConnected, Milestone::kHandshake, Milestone::kRequestSent,
                 Milestone::kPlayStart, Milestone::kFirstMedia, Milestone::kFirstVideo,
                 Milestone::kFirstKeyframe, Milestone::kFirstSegment}) {
    startup[kMilestoneNames[static_cast<size_t>(m)]] =
        dist(collect(results, [m](const SessionResult& r) { return ms(r, m); }));
  }
  startup["first_video_after_request_ms"] = dist(collect(
      results, [](const SessionResult& r) { return after_request(r, Milestone::kFirstVideo); }));
  startup["first_segment_after_request_ms"] = dist(collect(
      results, [](const SessionResult& r) { return after_request(r, Milestone::kFirstSegment); }));
  out["startup_ms"] = std::move(startup);
  // Publish -> receive latency of stamped frames, every frame of every
  // viewer that played through the window.
  std::vector<double> frames, segments, viewer_p99;
  uint64_t window_segments = 0, window_parts = 0;
  for (const auto* r : ok) {
    frames.insert(frames.end(), r->frame_latency_ms.begin(), r->frame_latency_ms.end());
    segments.insert(segments.end(), r->segment_latency_ms.begin(), r->segment_latency_ms.end());
    window_segments += r->window_segments;
    window_parts += r->window_parts;
    if (!r->frame_latency_ms.empty()) {
      std::vector<double> own(r->frame_latency_ms.begin(), r->frame_latency_ms.end());
      std::sort(own.begin(), own.end());
      viewer_p99.push_back(nearest_rank(own, 0.99));
    }
  }
  out["latency_ms"] = dist(std::move(frames));
  out["segment_first_frame_latency_ms"] = dist(std::move(segments));
  out["viewer_p99_latency_ms"] = dist(std::move(viewer_p99));
  out["window_segments"] = window_segments;
  out["window_parts"] = window_parts;
  out["media_progress"] =
      dist(collect(results, [](const SessionResult& r) { return r.media_progress; }), 3);
  out["tool_cpu_s_per_s"] = round_to(run.tool_cpu_s / std::max(1e-9, run.window_s), 3);
  out["system_cpu_s_per_s"] = round_to(run.system_cpu_s / std::max(1e-9, run.window_s), 3);
  out["cores"] = std::thread::hardware_concurrency();
  if (run.server_start && run.server_end && run.server_before) {
    const double cpu = run.server_end->cpu_s - run.server_start->cpu_s;
    json::object s;
    json::array pids;
    for (int p : run.server_pids) pids.push_back(p);
    s["pids"] = std::move(pids);
    s["cpu_s"] = round_to(cpu, 2);
    s["cpu_s_per_s"] = round_to(cpu / std::max(1e-9, run.server_span_s), 3);
    // CPU of processes other than the server and this tool: noise in the numbers
    out["other_cpu_s_per_s"] =
        round_to((run.system_cpu_s - cpu - run.tool_cpu_s) / std::max(1e-9, run.window_s), 3);
    s["cpu_s_per_gbit"] = gbit > 0 ? json::value(round_to(cpu / gbit, 4)) : nullptr;
    // The kernel's share bounds what any server could save: on loopback the
    // same TCP work is charged to whichever server sends the bytes.
    const double system = run.server_end->system_s - run.server_start->system_s;
    s["system_cpu_s"] = round_to(system, 2);
    s["system_share"] = cpu > 0 ? json::value(round_to(system / cpu, 3)) : nullptr;
    // From just before the first viewer to the window: every join (and its
    // access checks) happens here, along with the media sent meanwhile.
    s["cpu_s_join"] = round_to(run.server_start->cpu_s - run.server_before->cpu_s, 3);
    s["rss_kib_before_sessions"] = run.server_before->rss_kib;
    s["rss_kib_window_start"] = run.server_start->rss_kib;
    s["rss_kib_window_end"] = run.server_end->rss_kib;
    s["vmhwm_kib"] = run.server_end->hwm_kib;
    s["rss_kib_per_session"] =
        round_to(static_cast<double>(run.server_end->rss_kib - run.server_before->rss_kib) / n, 1);
    out["server"] = std::move(s);
  }
  return out;
}

std::string human_summary(const json::object& s) {
  std::string o;
  o += fmt::format("{}: {} sessions ({} threads), ramp {} s, warmup {} s, window {} s\n",
                   num(s, {"url"}), num(s, {"sessions"}), num(s, {"threads"}), num(s, {"ramp_s"}),
                   num(s, {"warmup_s"}), num(s, {"window_s"}));
  o += fmt::format("  ok {}  failed {} {}  disconnects {}\n", num(s, {"ok"}), num(s, {"failed"}),
                   json::serialize(s.at("failure_reasons")), num(s, {"disconnects"}));
  o += fmt::format(
      "  delivered {} Gbit in the window = {} Mbit/s; per session p50 {} min {} Mbit/s\n",
      num(s, {"total_gbit"}, 3), num(s, {"aggregate_mbps"}), num(s, {"per_session_mbps", "p50"}, 3),
      num(s, {"per_session_mbps", "min"}, 3));
  o += fmt::format(
      "  keeping up {} ({}): bitrate >= 90% of {} Mbit/s ({}) {}, stalled {}, fell behind {}\n",
      num(s, {"keeping_up"}), num(s, {"keeping_up_fraction"}, 4), num(s, {"reference_mbps"}, 3),
      num(s, {"reference"}), num(s, {"bitrate_ok"}), num(s, {"sessions_with_stall"}),
      num(s, {"sessions_fell_behind"}));
  o += fmt::format("  stall time total {} s, max gap {} s, max lag growth {} s\n",
                   num(s, {"stall_s_total"}, 3), num(s, {"max_gap_s"}, 3),
                   num(s, {"max_lag_growth_s"}, 3));
  o += fmt::format(
      "  first video frame from connect: p50 {} p90 {} p99 {} ms; from request: p50 {} p90 {} "
      "p99 {} ms; first was keyframe {}\n",
      num(s, {"startup_ms", "first_video_ms", "p50"}),
      num(s, {"startup_ms", "first_video_ms", "p90"}),
      num(s, {"startup_ms", "first_video_ms", "p99"}),
      num(s, {"startup_ms", "first_video_after_request_ms", "p50"}),
      num(s, {"startup_ms", "first_video_after_request_ms", "p90"}),
      num(s, {"startup_ms", "first_video_after_request_ms", "p99"}),
      num(s, {"first_video_keyframe_fraction"}, 4));
  if (!path(s, {"latency_ms"})->is_null() ||
      !path(s, {"startup_ms", "first_segment_ms"})->is_null()) {
    o += fmt::format(
        "  publish -> receive latency p50 {} p90 {} p99 {} max {} ms; first segment from request "
        "p50 {} p99 {} ms\n",
        num(s, {"latency_ms", "p50"}), num(s, {"latency_ms", "p90"}), num(s, {"latency_ms", "p99"}),
        num(s, {"latency_ms", "max"}),
        num(s, {"startup_ms", "first_segment_after_request_ms", "p50"}),
        num(s, {"startup_ms", "first_segment_after_request_ms", "p99"}));
  }
  o += fmt::format(
      "  load tool CPU {} s/s; whole machine {} s/s of {} cores; other processes {} s/s\n",
      num(s, {"tool_cpu_s_per_s"}, 3), num(s, {"system_cpu_s_per_s"}, 3), num(s, {"cores"}),
      num(s, {"other_cpu_s_per_s"}, 3));
  if (s.contains("server")) {
    o += fmt::format(
        "  server {}: CPU {} s ({} in the kernel) ({} s/s), {} CPU-s per Gbit; RSS {} KiB before "
        "players, {} -> {} KiB over the window, {} KiB per viewer\n",
        num(s, {"server", "pids"}), num(s, {"server", "cpu_s"}, 2),
        num(s, {"server", "system_cpu_s"}, 2), num(s, {"server", "cpu_s_per_s"}, 3),
        num(s, {"server", "cpu_s_per_gbit"}, 4), num(s, {"server", "rss_kib_before_sessions"}),
        num(s, {"server", "rss_kib_window_start"}), num(s, {"server", "rss_kib_window_end"}),
        num(s, {"server", "rss_kib_per_session"}));
  }
  return o;
}

}  // namespace sluice::load
