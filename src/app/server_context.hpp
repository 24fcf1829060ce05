#pragma once
// What every protocol server of one sluice process shares. Passed by
// reference from `sluice serve`; there are no process-wide singletons.
#include <atomic>
#include <cstdint>

#include "config/config.hpp"
#include "manage/stream_manager.hpp"
#include "media/registry.hpp"

namespace sluice {

struct ServerContext {
  const config::Config& config;
  media::Registry& registry;
  manage::StreamManager& manager;
  std::atomic<uint64_t> next_session_id{1};
};

}  // namespace sluice
