#pragma once
// What the access gate answers a session (manage::AccessGate::admit_publish
// and admit_play).
#include <memory>
#include <optional>

#include "manage/access_request.hpp"
#include "manage/lifecycle_events.hpp"
#include "media/stream.hpp"

namespace sluice::manage {

struct AccessDecision {
  std::optional<Refusal> refusal;  // empty: allowed
  // Allowed: the stream to publish to or watch.
  std::shared_ptr<media::Stream> stream;
  // Allowed publish: the open record; the session hands it back at the end
  // (AccessGate::publish_ended).
  std::optional<PublishTicket> ticket;
  // Allowed play: reports the play's end (PlayTicket::finish) to the
  // lifecycle events; the session keeps it as long as it plays.
  PlayTicket play;

  bool allowed() const { return !refusal; }
};

}  // namespace sluice::manage
