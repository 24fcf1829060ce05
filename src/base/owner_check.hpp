#pragma once
// Debug check of the threading rules (docs/design.md, "Threads"): an object
// owned by one executor is only touched from the thread that runs it.
//
// `sluice serve` claims each io_context for the thread that runs it
// (OwnerThread). SLUICE_ASSERT_ON_OWNER(executor) then aborts when called on
// another thread. Until a context is claimed (start-up wiring, unit tests
// that drive objects directly) there is nothing to check against.
//
// Active in Debug and in the sanitizer builds (SLUICE_OWNER_CHECKS, set by
// CMake); compiled out otherwise, so release builds pay nothing.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

namespace sluice {

// Marks the calling thread as the one that runs `context`, for its lifetime.
class OwnerThread {
 public:
  explicit OwnerThread(boost::asio::io_context& context);
  ~OwnerThread();
  OwnerThread(const OwnerThread&) = delete;
  OwnerThread& operator=(const OwnerThread&) = delete;

 private:
  boost::asio::io_context& context_;
};

// False only when `executor`'s context is claimed by another thread.
bool on_owner_thread(const boost::asio::any_io_executor& executor);
[[noreturn]] void owner_check_failed(const char* file, int line);

}  // namespace sluice

#ifdef SLUICE_OWNER_CHECKS
#define SLUICE_ASSERT_ON_OWNER(executor)                                                        \
  do {                                                                                          \
    if (!::sluice::on_owner_thread(executor)) ::sluice::owner_check_failed(__FILE__, __LINE__); \
  } while (false)
#else
#define SLUICE_ASSERT_ON_OWNER(executor) \
  do {                                   \
  } while (false)
#endif
