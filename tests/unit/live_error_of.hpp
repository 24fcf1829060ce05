#pragma once
// The LiveError a call throws (a test failure if it throws none).
#include <gtest/gtest.h>

#include "sluice/live_service.hpp"

namespace sluice::sdk_test {

template <class F>
LiveError error_of(F&& f) {
  try {
    f();
  } catch (const LiveError& e) {
    return e;
  }
  ADD_FAILURE() << "no LiveError";
  return LiveError(LiveError::Kind::kResponse, "none");
}

}  // namespace sluice::sdk_test
