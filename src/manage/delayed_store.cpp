#include "manage/delayed_store.hpp"

#include <thread>

#include "base/owner_check.hpp"

namespace sluice::manage {

void DelayedStore::around(std::string_view, const std::function<void()>& call) {
  SLUICE_ASSERT_ON_OWNER(owner_);
  std::this_thread::sleep_for(delay_);
  call();
}

}  // namespace sluice::manage
