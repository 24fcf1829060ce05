#pragma once
// The log's view of the lifecycle events: one info line per publish and play
// start and end and per refusal, so sessions no longer log them themselves.
//   rtmp 127.0.0.1:40000 __defaultVhost__/live/demo publishing (publish 7)
//   rtmp 127.0.0.1:40000 __defaultVhost__/live/demo unpublished (normal) after 12.480 s, 3145728
//   bytes in http-flv 127.0.0.1:40002 __defaultVhost__/live/demo play ended (viewer left)
//   after 9.731 s, 2097152 bytes out rtmp 127.0.0.1:40004 __defaultVhost__/live/demo publish
//   refused (duplicate): stream ... is already being published
#include <string>

#include "manage/lifecycle_events.hpp"

namespace sluice::manage {

// The line for one event (without the logger's prefix).
std::string describe(const LifecycleEvent& event);

class EventLog {
 public:
  explicit EventLog(LifecycleEvents& events);

 private:
  EventSubscription subscription_;
};

}  // namespace sluice::manage
