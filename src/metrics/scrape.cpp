#include "metrics/scrape.hpp"

#include <algorithm>

namespace sluice::metrics {
namespace {

void write_counts(Exposition& out, std::string_view name, std::string_view type,
                  std::string_view help, const std::vector<std::string_view>& label_names,
                  const LabelledCounts& counts) {
  out.family(name, type, help);
  for (const auto& [values, count] : counts) {
    Labels labels;
    for (size_t i = 0; i < label_names.size() && i < values.size(); ++i)
      labels.emplace_back(label_names[i], values[i]);
    out.sample(name, labels, count);
  }
}

void write_process(Exposition& out, const ProcessStats& p) {
  out.family("sluice_process_cpu_seconds_total", "counter", "User and system CPU time spent.");
  out.sample("sluice_process_cpu_seconds_total", {}, p.cpu_seconds);
  out.family("sluice_process_resident_memory_bytes", "gauge", "Resident memory size.");
  out.sample("sluice_process_resident_memory_bytes", {}, p.resident_bytes);
  out.family("sluice_process_open_fds", "gauge", "Open file descriptors.");
  out.sample("sluice_process_open_fds", {}, p.open_fds);
  out.family("sluice_process_start_time_seconds", "gauge",
             "Start time of the process since the Unix epoch.");
  out.sample("sluice_process_start_time_seconds", {}, p.start_time_seconds);
  out.family("sluice_build_info", "gauge", "Always 1; the version of the running build.");
  out.sample("sluice_build_info", {{"version", SLUICE_VERSION}}, uint64_t{1});
}

void write_listeners(Exposition& out, const std::vector<ListenerCounts>& listeners) {
  out.family("sluice_connections_open", "gauge", "Media connections open, by listener protocol.");
  for (const auto& l : listeners)
    out.sample("sluice_connections_open", {{"protocol", l.protocol}}, uint64_t{l.open});
  out.family("sluice_accept_failures_total", "counter",
             "Accepts that failed (descriptors, memory), by listener protocol.");
  for (const auto& l : listeners)
    out.sample("sluice_accept_failures_total", {{"protocol", l.protocol}}, l.accept_failures);
}

void write_streams(Exposition& out, const std::vector<manage::OnlineStream>& online,
                   const std::map<media::StreamKey, StreamPlays>& plays_open, size_t max_labels) {
  out.family("sluice_streams_online", "gauge", "Streams being published now.");
  out.sample("sluice_streams_online", {}, uint64_t{online.size()});
  struct Row {
    const manage::OnlineStream* stream;
    StreamPlays viewers;
  };
  std::vector<Row> rows;
  rows.reserve(online.size());
  for (const auto& s : online) {
    const auto at = plays_open.find({s.vhost, s.app, s.stream});
    rows.push_back({&s, at == plays_open.end() ? StreamPlays{} : at->second});
  }
  // The most watched streams get their own series; ties by name, so the
  // set is stable between scrapes.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.viewers.total() != b.viewers.total()) return a.viewers.total() > b.viewers.total();
    return std::tie(a.stream->vhost, a.stream->app, a.stream->stream) <
           std::tie(b.stream->vhost, b.stream->app, b.stream->stream);
  });
  const size_t labelled = std::min(rows.size(), max_labels);
  const bool has_other = labelled < rows.size();
  StreamPlays other_viewers;
  uint64_t other_bytes = 0;
  uint64_t other_sent = 0;
  for (size_t i = labelled; i < rows.size(); ++i) {
    other_viewers.rtmp += rows[i].viewers.rtmp;
    other_viewers.http_flv += rows[i].viewers.http_flv;
    other_viewers.hls += rows[i].viewers.hls;
    other_bytes += rows[i].stream->bytes_in;
    other_sent += rows[i].stream->bytes_out;
  }
  auto stream_labels = [](const manage::OnlineStream& s) -> Labels {
    return {{"vhost", s.vhost}, {"app", s.app}, {"stream", s.stream}};
  };
  const Labels other_labels{{"vhost", ""}, {"app", ""}, {"stream", kOtherStreams}};
  // Every protocol always (0 included), so a series does not come and go
  // with a stream's last viewer of one kind.
  auto write_viewers = [&](Labels labels, const StreamPlays& viewers) {
    labels.emplace_back("protocol", "rtmp");
    out.sample("sluice_stream_viewers", labels, viewers.rtmp);
    labels.back().second = "http_flv";
    out.sample("sluice_stream_viewers", labels, viewers.http_flv);
    labels.back().second = "hls";
    out.sample("sluice_stream_viewers", labels, viewers.hls);
  };
  out.family("sluice_stream_viewers", "gauge",
             "Viewers of a live stream, by protocol (rtmp, http_flv, hls); streams beyond "
             "metrics.max_stream_labels are summed as stream=\"__other__\".");
  for (size_t i = 0; i < labelled; ++i)
    write_viewers(stream_labels(*rows[i].stream), rows[i].viewers);
  if (has_other) write_viewers(other_labels, other_viewers);
  out.family("sluice_stream_ingest_bytes_total", "counter",
             "Bytes received from a live stream's current publisher.");
  for (size_t i = 0; i < labelled; ++i)
    out.sample("sluice_stream_ingest_bytes_total", stream_labels(*rows[i].stream),
               rows[i].stream->bytes_in);
  if (has_other) out.sample("sluice_stream_ingest_bytes_total", other_labels, other_bytes);
  out.family("sluice_stream_sent_bytes_total", "counter",
             "Bytes a live stream's viewers were sent (RTMP, HTTP-FLV and HLS together).");
  for (size_t i = 0; i < labelled; ++i)
    out.sample("sluice_stream_sent_bytes_total", stream_labels(*rows[i].stream),
               rows[i].stream->bytes_out);
  if (has_other) out.sample("sluice_stream_sent_bytes_total", other_labels, other_sent);
}

void write_callbacks(Exposition& out, const CallbackNumbers& c) {
  out.family("sluice_callback_deliveries_total", "counter",
             "Callbacks (push, push_end) a receiver answered with 2xx.");
  out.sample("sluice_callback_deliveries_total", {}, c.delivered);
  out.family("sluice_callback_retries_total", "counter",
             "Callback tries that failed and were scheduled again.");
  out.sample("sluice_callback_retries_total", {}, c.retries);
  out.family("sluice_callback_failures_total", "counter",
             "Callbacks given up (no 2xx within 10 minutes of the event).");
  out.sample("sluice_callback_failures_total", {}, c.failures);
  out.family("sluice_callback_queue_depth", "gauge",
             "Callbacks waiting in the outbox (not delivered, not given up).");
  out.sample("sluice_callback_queue_depth", {}, c.queue_depth);
}

}  // namespace

std::string render(const ScrapeInput& input) {
  Exposition out;
  write_process(out, input.process);
  write_listeners(out, input.media.listeners);
  const auto& c = input.media.counts;
  write_counts(out, "sluice_publishes_started_total", "counter", "Publishes admitted.",
               {"protocol"}, c.publishes_started);
  write_counts(out, "sluice_publishes_ended_total", "counter", "Publishes ended, by reason.",
               {"protocol", "reason"}, c.publishes_ended);
  write_counts(out, "sluice_plays_started_total", "counter", "Plays admitted.", {"protocol"},
               c.plays_started);
  write_counts(out, "sluice_plays_ended_total", "counter", "Plays ended, by reason.",
               {"protocol", "reason"}, c.plays_ended);
  write_counts(out, "sluice_plays_open", "gauge",
               "Plays admitted and not ended (including viewers waiting for a publisher).",
               {"protocol"}, c.plays_open);
  write_counts(out, "sluice_play_sent_bytes_total", "counter", "Bytes sent by plays that ended.",
               {"protocol"}, c.play_bytes);
  write_counts(out, "sluice_refusals_total", "counter",
               "Publishes and plays refused, by action and kind.", {"action", "kind"}, c.refusals);
  // Ended publishes plus the live ones, copied in the same media step: a
  // publish is in exactly one of the two, so the sum never goes back.
  uint64_t ingest = c.ended_publish_bytes;
  for (const auto& s : input.media.streams) ingest += s.bytes_in;
  out.family("sluice_ingest_bytes_total", "counter", "Bytes received from publishers.");
  out.sample("sluice_ingest_bytes_total", {}, ingest);
  write_streams(out, input.media.streams, c.stream_plays_open, input.max_stream_labels);
  if (input.api) input.api->write(out);
  if (input.callbacks) write_callbacks(out, *input.callbacks);
  if (input.store) input.store->write(out);
  return out.text();
}

}  // namespace sluice::metrics
