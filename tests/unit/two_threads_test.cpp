// The media/control split for real: the gate and the registry on one
// thread, the control service and the store on another, each claimed
// (OwnerThread) so the owner checks are live in Debug and sanitizer builds.
// A kill answers only after the publisher is gone and the record written.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "base/coroutine_warnings.hpp"
#include "base/owner_check.hpp"
#include "manage/access_gate.hpp"
#include "manage/control_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::manage {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(TwoThreads, KillCrossesToMediaAndWritesTheRecordBeforeAnswering) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("sluice-two-threads-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  config::Config config;
  asio::io_context media_io(1), control_io(1);
  auto store = store::SqliteStore::open(dir / "sluice.db");
  media::Registry registry(media_io.get_executor(), config.media);
  AccessGate gate(media_io.get_executor(), config, registry);
  ControlService control(control_io.get_executor(), config, *store, gate);
  gate.set_records(control);

  auto media_work = asio::make_work_guard(media_io);
  auto control_work = asio::make_work_guard(control_io);
  std::thread media_thread([&] {
    OwnerThread owner(media_io);
    media_io.run();
  });
  std::thread control_thread([&] {
    OwnerThread owner(control_io);
    control_io.run();
  });

  // A publisher admitted and publishing on media, as an RTMP session does.
  const media::StreamKey key{"__defaultVhost__", "live", "cam"};
  std::promise<bool> admitted;
  int disconnects = 0;  // media thread only
  asio::co_spawn(
      media_io,
      [&]() -> asio::awaitable<void> {
        AccessRequest r;
        r.action = AccessAction::kPublish;
        r.key = key;
        r.client_address = "127.0.0.1:1";
        auto admission = gate.admit_publish(r);
        auto d = co_await std::move(admission);
        if (!d.allowed()) {
          admitted.set_value(false);
          co_return;
        }
        media::PublisherInfo info;
        info.publish_id = d.ticket->id;
        auto ticket = *d.ticket;
        std::weak_ptr<media::Stream> weak = d.stream;
        info.disconnect = [&, weak, ticket](media::DisconnectCause) {
          ++disconnects;
          if (auto s = weak.lock()) s->end_publish();
          gate.publish_ended(ticket, store::EndReason::kKilled, 0);
        };
        d.stream->begin_publish(info);
        admitted.set_value(true);
      },
      asio::detached);
  auto admitted_future = admitted.get_future();
  ASSERT_EQ(admitted_future.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(admitted_future.get());

  // Kill from control; once it answers, the history holds the record.
  std::promise<std::pair<bool, uint64_t>> killed;
  std::promise<std::pair<StreamState, StreamState>> states;  // before and after the kill
  asio::co_spawn(
      control_io,
      [&]() -> asio::awaitable<void> {
        // The control side knows what is published without asking media.
        auto asking_before = control.state(key);
        const auto before = (co_await std::move(asking_before)).first;
        auto killing = control.kill(key);
        const bool was_live = co_await std::move(killing);
        auto asking_after = control.state(key);
        const auto after = (co_await std::move(asking_after)).first;
        states.set_value({before, after});
        store::ClosedStreamQuery q;
        q.end_from = wall_now() - 1h;
        q.end_to = wall_now() + 1h;
        auto history = control.history(q);
        auto page = co_await std::move(history);
        killed.set_value({was_live, page.total});
      },
      asio::detached);
  auto killed_future = killed.get_future();
  ASSERT_EQ(killed_future.wait_for(5s), std::future_status::ready);
  const auto [was_live, records] = killed_future.get();
  EXPECT_TRUE(was_live);
  EXPECT_EQ(records, 1u);
  const auto [state_before, state_after] = states.get_future().get();
  EXPECT_EQ(state_before, StreamState::kOnline);
  EXPECT_EQ(state_after, StreamState::kOffline);

  // And the media side agrees: nobody publishes, one disconnect.
  std::promise<std::pair<bool, int>> media_view;
  asio::post(media_io, [&] {
    media_view.set_value({!gate.online_streams().empty(), disconnects});
  });
  auto view = media_view.get_future().get();
  EXPECT_FALSE(view.first);
  EXPECT_EQ(view.second, 1);

  media_io.stop();
  control_io.stop();
  media_thread.join();
  control_thread.join();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::manage
