#include "base/owner_check.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace sluice {
namespace {

namespace asio = boost::asio;

// Per io_context, not process-wide: an asio service lives and dies with its
// context, so two servers in one process (tests) do not see each other.
class OwnerService : public asio::execution_context::service {
 public:
  using key_type = OwnerService;
  static inline asio::execution_context::id id;
  explicit OwnerService(asio::execution_context& context)
      : asio::execution_context::service(context) {}
  void shutdown() override {}

  std::atomic<std::thread::id> owner{};
};

}  // namespace

OwnerThread::OwnerThread(asio::io_context& context) : context_(context) {
  asio::use_service<OwnerService>(context_).owner.store(std::this_thread::get_id());
}

OwnerThread::~OwnerThread() {
  asio::use_service<OwnerService>(context_).owner.store(std::thread::id{});
}

bool on_owner_thread(const asio::any_io_executor& executor) {
  auto& context = asio::query(executor, asio::execution::context);
  if (!asio::has_service<OwnerService>(context)) return true;
  const auto owner = asio::use_service<OwnerService>(context).owner.load();
  return owner == std::thread::id{} || owner == std::this_thread::get_id();
}

void owner_check_failed(const char* file, int line) {
  std::fprintf(stderr, "%s:%d: called off its owning executor's thread (docs/design.md, Threads)\n",
               file, line);
  std::abort();
}

}  // namespace sluice
