#include "manage/event_log.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace sluice::manage {
namespace {

std::string who(const Party& p, std::string_view name) {
  return fmt::format("{} {} {}", to_string(p.protocol), p.client_address, name);
}

std::string who(const Party& p) {
  return who(p, p.key.to_string());
}

std::string_view kind_name(Refusal::Kind kind) {
  switch (kind) {
    case Refusal::Kind::kBadName:
      return "bad name";
    case Refusal::Kind::kDuplicate:
      return "duplicate";
    case Refusal::Kind::kForbidden:
      return "forbidden";
    case Refusal::Kind::kDenied:
      return "denied";
    case Refusal::Kind::kUnavailable:
      return "unavailable";
  }
  return "denied";
}

double seconds_between(WallTime from, WallTime to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

struct Line {
  std::string operator()(const PublishStarted& e) const {
    return fmt::format("{} publishing (publish {})", who(e.party), e.publish_id);
  }
  std::string operator()(const PublishEnded& e) const {
    return fmt::format("{} unpublished ({}) after {:.3f} s, {} bytes in", who(e.party),
                       store::to_string(e.reason), seconds_between(e.started, e.ended), e.bytes_in);
  }
  std::string operator()(const PlayStarted& e) const {
    return fmt::format("{} playing{}", who(e.party),
                       e.publisher_live ? "" : " (waiting for the publisher)");
  }
  std::string operator()(const PlayEnded& e) const {
    return fmt::format("{} play ended ({}) after {:.3f} s, {} bytes out", who(e.party),
                       to_string(e.reason), std::chrono::duration<double>(e.duration).count(),
                       e.bytes_out);
  }
  std::string operator()(const AccessRefused& e) const {
    return fmt::format("{} {} refused ({}): {}", who(e.party, e.name),
                       e.action == AccessAction::kPublish ? "publish" : "play",
                       kind_name(e.refusal.kind), e.refusal.reason);
  }
};

}  // namespace

std::string describe(const LifecycleEvent& event) {
  return std::visit(Line{}, event);
}

EventLog::EventLog(LifecycleEvents& events)
    : subscription_(events.subscribe(
          [](const LifecycleEvent& event) { spdlog::info("{}", describe(event)); })) {}

}  // namespace sluice::manage
