#include "manage/access_gate.hpp"

#include <spdlog/spdlog.h>

#include "base/coroutine_warnings.hpp"
#include "base/owner_check.hpp"
#include "base/rfc3339.hpp"
#include "manage/callback_payloads.hpp"
#include "media/stream_name.hpp"

namespace sluice::manage {
namespace {

Refusal refusal(Refusal::Kind kind, std::string reason) {
  return {kind, std::move(reason)};
}

AccessDecision refused(Refusal r) {
  AccessDecision d;
  d.refusal = std::move(r);
  return d;
}

Party party_of(const AccessRequest& r) {
  return {r.protocol, r.key, r.domain, r.client_address};
}

}  // namespace

AccessGate::AccessGate(boost::asio::any_io_executor executor, const config::Config& config,
                       media::Registry& registry)
    : executor_(executor), config_(config), registry_(registry), events_(executor) {}

void AccessGate::add_check(AccessCheck check) {
  checks_.push_back(std::move(check));
}

std::optional<Refusal> AccessGate::built_in_rules(const AccessRequest& r) const {
  // Sessions resolve names before they ask; this keeps the rule behind the
  // gate for every caller. The names passed resolve(), so they are printable.
  if (!media::valid_app_name(r.key.app) || !media::valid_stream_name(r.key.stream)) {
    return refusal(Refusal::Kind::kBadName, "invalid name " + r.key.to_string());
  }
  return std::nullopt;
}

std::optional<Refusal> AccessGate::publish_rules(const AccessRequest& r) const {
  const auto live = registry_.find(r.key);
  if ((live && live->publishing()) || reserved_.contains(r.key)) {
    return refusal(Refusal::Kind::kDuplicate,
                   "stream " + r.key.to_string() + " is already being published");
  }
  if (auto until = forbids_.until(r.key, wall_now())) {
    return refusal(
        Refusal::Kind::kForbidden,
        "stream " + r.key.to_string() + " is forbidden until " + format_rfc3339_s(*until));
  }
  return std::nullopt;
}

boost::asio::awaitable<std::optional<Refusal>> AccessGate::run_checks(const AccessRequest& r) {
  for (const auto& check : checks_) {
    // Named, not a temporary of the co_await: GCC 12 mishandles temporaries
    // with destructors inside co_await expressions (docs/design.md, Threads).
    auto task = check(r);
    if (auto no = co_await std::move(task)) co_return no;
  }
  co_return std::nullopt;
}

boost::asio::awaitable<AccessDecision> AccessGate::admit_publish(AccessRequest r) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto deciding = decide_publish(r);
  auto decision = co_await std::move(deciding);
  if (!decision.allowed()) {
    report_refusal(r, *decision.refusal);
  } else {
    events_.emit(PublishStarted{decision.ticket->id, party_of(r), decision.ticket->start_time});
  }
  co_return decision;
}

boost::asio::awaitable<AccessDecision> AccessGate::admit_play(AccessRequest r) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto deciding = decide_play(r);
  auto decision = co_await std::move(deciding);
  if (!decision.allowed()) {
    report_refusal(r, *decision.refusal);
    co_return decision;
  }
  decision.play = events_.start_play(
      PlayStarted{next_play_id_++, party_of(r), wall_now(), decision.stream->publishing()});
  co_return decision;
}

void AccessGate::report_refusal(const AccessRequest& r, const Refusal& refusal) {
  events_.emit(AccessRefused{r.action, party_of(r), r.key.to_string(), refusal, wall_now()});
}

void AccessGate::refused_unresolved(AccessAction action, AccessProtocol protocol,
                                    std::string client_address, std::string name, Refusal refusal) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  Party party;
  party.protocol = protocol;
  party.client_address = std::move(client_address);
  events_.emit(
      AccessRefused{action, std::move(party), std::move(name), std::move(refusal), wall_now()});
}

boost::asio::awaitable<AccessDecision> AccessGate::decide_publish(const AccessRequest& r) {
  if (auto no = built_in_rules(r)) co_return refused(std::move(*no));
  if (auto no = publish_rules(r)) co_return refused(std::move(*no));
  if (!checks_.empty()) {
    auto checks = run_checks(r);
    if (auto no = co_await std::move(checks)) co_return refused(std::move(*no));
    // The world moved on while the checks awaited: another publisher may
    // have been admitted, or the stream forbidden.
    if (auto no = publish_rules(r)) co_return refused(std::move(*no));
  }
  if (!records_) co_return refused(refusal(Refusal::Kind::kUnavailable, "server not ready"));

  const auto now = wall_now();
  store::OpenPublish open;
  open.vhost = r.key.vhost;
  open.domain = r.domain;
  open.app = r.key.app;
  open.stream = r.key.stream;
  open.client_address = r.client_address;
  open.url_params = callback_url_params(r.params);
  open.start_time = now;
  open.last_seen = now;
  // Reserved while the control side writes the open record, so a second
  // publisher arriving meanwhile is refused as a duplicate.
  reserved_.insert(r.key);
  int64_t id = 0;
  try {
    auto task = records_->open(open);
    id = co_await std::move(task);
  } catch (const std::exception& e) {
    reserved_.erase(r.key);
    spdlog::error("store: cannot record the start of {}: {}", r.key.to_string(), e.what());
    co_return refused(refusal(Refusal::Kind::kUnavailable, "the server cannot record the publish"));
  }
  reserved_.erase(r.key);
  PublishTicket ticket{id, r.protocol, r.key, r.domain, r.client_address, now, open.url_params};
  // A forbid may have arrived while the record was written.
  if (auto until = forbids_.until(r.key, wall_now())) {
    records_->closed(closed_record(ticket, store::EndReason::kForbidden, 0));
    co_return refused(
        refusal(Refusal::Kind::kForbidden,
                "stream " + r.key.to_string() + " is forbidden until " + format_rfc3339_s(*until)));
  }
  auto stream = registry_.stream_for_publisher(r.key);
  if (!stream) {  // cannot happen while the name was reserved; never trust it blindly
    records_->closed(closed_record(ticket, store::EndReason::kError, 0));
    co_return refused(refusal(Refusal::Kind::kDuplicate,
                              "stream " + r.key.to_string() + " is already being published"));
  }
  AccessDecision d;
  d.stream = std::move(stream);
  d.ticket = std::move(ticket);
  co_return d;
}

boost::asio::awaitable<AccessDecision> AccessGate::decide_play(const AccessRequest& r) {
  if (auto no = built_in_rules(r)) co_return refused(std::move(*no));
  auto checks = run_checks(r);
  if (auto no = co_await std::move(checks)) co_return refused(std::move(*no));
  AccessDecision d;
  d.stream = registry_.stream_for_viewer(r.key);
  co_return d;
}

store::ClosedStream AccessGate::closed_record(const PublishTicket& t, store::EndReason reason,
                                              uint64_t bytes_in) const {
  store::ClosedStream closed;
  closed.id = t.id;
  closed.vhost = t.key.vhost;
  closed.domain = t.domain;
  closed.app = t.key.app;
  closed.stream = t.key.stream;
  closed.client_address = t.client_address;
  closed.start_time = t.start_time;
  closed.end_time = wall_now();
  closed.reason = reason;
  closed.bytes_in = bytes_in;
  closed.url_params = t.url_params;
  return closed;
}

void AccessGate::publish_ended(const PublishTicket& t, store::EndReason reason, uint64_t bytes_in) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto record = closed_record(t, reason, bytes_in);
  events_.emit(PublishEnded{t.id, Party{t.protocol, t.key, t.domain, t.client_address},
                            t.start_time, record.end_time, reason, bytes_in});
  if (taking_) {
    *taking_ = std::move(record);
    return;
  }
  if (records_) records_->closed(std::move(record));
}

AccessGate::Disconnected AccessGate::disconnect(const media::StreamKey& key,
                                                media::DisconnectCause cause) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  Disconnected out;
  auto stream = registry_.find(key);
  if (!stream || !stream->publishing()) return out;
  out.was_publishing = true;
  // A copy: disconnecting ends the publish, which destroys the stream's
  // PublisherInfo and with it the original function while it runs.
  auto disconnect = stream->publisher()->disconnect;
  taking_ = &out.record;
  if (disconnect) disconnect(cause);
  taking_ = nullptr;
  return out;
}

void AccessGate::replace_forbids(const std::vector<store::Forbid>& forbids) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  forbids_.replace_all(forbids);
}

void AccessGate::forbid_added(const store::Forbid& forbid) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  forbids_.put(forbid);
}

void AccessGate::forbid_removed(const media::StreamKey& key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  forbids_.remove(key);
}

std::vector<OnlineStream> AccessGate::online_streams() const {
  SLUICE_ASSERT_ON_OWNER(executor_);
  std::vector<OnlineStream> all;
  for (const auto& s : registry_.publishing_streams()) {
    const auto* p = s->publisher();
    all.push_back({p->publish_id, s->key().vhost, p->domain, s->key().app, s->key().stream,
                   p->source_type, std::chrono::floor<std::chrono::milliseconds>(p->started_at),
                   p->client_address, s->stats().bytes_in, s->stats().bytes_out,
                   s->viewer_count()});
  }
  return all;
}

std::vector<std::pair<int64_t, uint64_t>> AccessGate::live_publishes() const {
  SLUICE_ASSERT_ON_OWNER(executor_);
  std::vector<std::pair<int64_t, uint64_t>> live;
  for (const auto& s : registry_.publishing_streams())
    live.emplace_back(s->publisher()->publish_id, s->stats().bytes_in);
  return live;
}

}  // namespace sluice::manage
