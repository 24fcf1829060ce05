#pragma once
// What every media-side session of one sluice process shares (all of it
// owned by the media executor). Passed by
// reference from `sluice serve`; there are no process-wide singletons.
#include <atomic>
#include <cstdint>

#include "config/config.hpp"
#include "manage/access_gate.hpp"
#include "media/registry.hpp"

namespace sluice {

struct ServerContext {
  const config::Config& config;
  media::Registry& registry;
  // Media side: admission of every publish and play (src/manage/access_gate.hpp).
  manage::AccessGate& gate;
  std::atomic<uint64_t> next_session_id{1};
};

}  // namespace sluice
