#pragma once
// TEST ONLY: a store that sleeps before every call, standing in for a slow
// disk or a heavy query. `sluice serve` wraps its store in one when the
// environment sets SLUICE_TEST_STORE_DELAY_MS (tests/e2e/test_media_isolation.py
// uses it to show media never waits for the control thread). The sleep
// blocks the calling thread, as a slow SQLite call does; it asserts that
// thread is the control executor's.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "store/forwarding_store.hpp"

namespace sluice::manage {

class DelayedStore : public store::ForwardingStore {
 public:
  DelayedStore(std::unique_ptr<store::Store> inner, std::chrono::milliseconds delay,
               boost::asio::any_io_executor owner)
      : ForwardingStore(std::move(inner)), delay_(delay), owner_(std::move(owner)) {}

 protected:
  void around(std::string_view operation, const std::function<void()>& call) override;

 private:
  std::chrono::milliseconds delay_;
  boost::asio::any_io_executor owner_;
};

}  // namespace sluice::manage
