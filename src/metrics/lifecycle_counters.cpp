#include "metrics/lifecycle_counters.hpp"

#include <algorithm>

namespace sluice::metrics {
namespace {

std::string snake_case(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), ' ', '_');
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

}  // namespace

std::string protocol_label(manage::AccessProtocol protocol) {
  return snake_case(std::string(manage::to_string(protocol)));
}

std::string refusal_label(manage::Refusal::Kind kind) {
  switch (kind) {
    case manage::Refusal::Kind::kBadName:
      return "bad_name";
    case manage::Refusal::Kind::kDuplicate:
      return "duplicate";
    case manage::Refusal::Kind::kForbidden:
      return "forbidden";
    case manage::Refusal::Kind::kDenied:
      return "denied";
    case manage::Refusal::Kind::kUnavailable:
      return "unavailable";
  }
  return "denied";
}

std::string play_end_label(manage::PlayEnd end) {
  return snake_case(manage::to_string(end));
}

LifecycleCounters::LifecycleCounters(manage::LifecycleEvents& events) {
  // Series that exist from the start (at 0), so a rate over the first
  // event is not lost to a series that appears with it.
  for (auto protocol : {manage::AccessProtocol::kRtmp, manage::AccessProtocol::kHttpFlv,
                        manage::AccessProtocol::kHls}) {
    const std::vector<std::string> labels{protocol_label(protocol)};
    counts_.plays_started[labels] = 0;
    counts_.plays_open[labels] = 0;
    counts_.play_bytes[labels] = 0;
  }
  counts_.publishes_started[{protocol_label(manage::AccessProtocol::kRtmp)}] = 0;
  subscription_ = events.subscribe([this](const manage::LifecycleEvent& event) { count(event); });
}

void LifecycleCounters::count(const manage::LifecycleEvent& event) {
  struct Counter {
    LifecycleCounts& c;
    void operator()(const manage::PublishStarted& e) const {
      ++c.publishes_started[{protocol_label(e.party.protocol)}];
    }
    void operator()(const manage::PublishEnded& e) const {
      ++c.publishes_ended[{protocol_label(e.party.protocol),
                           snake_case(store::to_string(e.reason))}];
      c.ended_publish_bytes += e.bytes_in;
    }
    void operator()(const manage::PlayStarted& e) const {
      ++c.plays_started[{protocol_label(e.party.protocol)}];
      ++c.plays_open[{protocol_label(e.party.protocol)}];
      ++of(c.stream_plays_open[e.party.key], e.party.protocol);
    }
    void operator()(const manage::PlayEnded& e) const {
      const std::string protocol = protocol_label(e.party.protocol);
      ++c.plays_ended[{protocol, play_end_label(e.reason)}];
      auto& open = c.plays_open[{protocol}];
      if (open > 0) --open;
      c.play_bytes[{protocol}] += e.bytes_out;
      if (auto at = c.stream_plays_open.find(e.party.key); at != c.stream_plays_open.end()) {
        auto& on_stream = of(at->second, e.party.protocol);
        if (on_stream > 0) --on_stream;
        if (at->second.total() == 0) c.stream_plays_open.erase(at);
      }
    }
    static uint64_t& of(StreamPlays& plays, manage::AccessProtocol protocol) {
      switch (protocol) {
        case manage::AccessProtocol::kRtmp:
          return plays.rtmp;
        case manage::AccessProtocol::kHttpFlv:
          return plays.http_flv;
        case manage::AccessProtocol::kHls:
          return plays.hls;
      }
      return plays.rtmp;
    }
    void operator()(const manage::AccessRefused& e) const {
      const std::string action = e.action == manage::AccessAction::kPublish ? "publish" : "play";
      ++c.refusals[{action, refusal_label(e.refusal.kind)}];
    }
  };
  std::visit(Counter{counts_}, event);
}

}  // namespace sluice::metrics
