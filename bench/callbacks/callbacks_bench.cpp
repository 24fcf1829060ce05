// sluice-callbacks-bench: how fast the durable callbacks drain. The real
// delivery worker (hooks::CallbackDelivery) on a real SqliteStore in a
// temporary directory, posting to a real HTTP receiver on 127.0.0.1 (its
// own thread, answering 200 to every POST).
//
//   sluice-callbacks-bench [--backlog N] [--rate R --seconds S] [--streams K]
//                          [--max-in-flight M] [--json]
//
// --backlog N     queue N messages before the worker starts (a receiver that
//                 was down, a restart): measures the drain rate.
// --rate R        meanwhile queue R messages/s for S seconds (10 ms ticks, one
//                 store transaction per tick, as ControlService does per event):
//                 shows whether delivery keeps up and the queue stays short.
// --streams K     order keys the messages are spread over (default 1000).
// Reports events/s, the peak queue depth, the store's delivered-write calls
// (fsyncs) and this process's peak RSS.
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "hooks/callback_delivery.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace sluice;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  long backlog = 10000;
  long rate = 0;
  long seconds = 0;
  long streams = 1000;
  long max_in_flight = 32;
  bool json = false;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: sluice-callbacks-bench [--backlog N] [--rate R --seconds S] "
               "[--streams K] [--max-in-flight M] [--json]\n");
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto number = [&] {
      if (i + 1 >= argc) usage();
      char* end = nullptr;
      const long v = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || v < 0) usage();
      return v;
    };
    if (arg == "--backlog")
      o.backlog = number();
    else if (arg == "--rate")
      o.rate = number();
    else if (arg == "--seconds")
      o.seconds = number();
    else if (arg == "--streams")
      o.streams = std::max(1L, number());
    else if (arg == "--max-in-flight")
      o.max_in_flight = std::max(1L, number());
    else if (arg == "--json")
      o.json = true;
    else
      usage();
  }
  return o;
}

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0)
      return std::strtol(line.c_str() + std::strlen(field), nullptr, 10);
  }
  return 0;
}

// Answers 200 to every POST, one connection per request (as hooks::post sends).
class Receiver {
 public:
  Receiver() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Receiver() {
    io_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/cb";
  }
  uint64_t requests() const { return requests_.load(); }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket socket) {
    try {
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      co_await bhttp::async_read(socket, buffer, request, asio::use_awaitable);
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
      response.keep_alive(false);
      response.body() = "{}";
      response.prepare_payload();
      co_await bhttp::async_write(socket, response, asio::use_awaitable);
      ++requests_;
    } catch (const std::exception&) {
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<uint64_t> requests_{0};
};

std::vector<store::CallbackMessage> make_messages(long count, long& next, long streams,
                                                  const std::string& url) {
  std::vector<store::CallbackMessage> out;
  out.reserve(count);
  const WallTime now = wall_now();
  for (long i = 0; i < count; ++i, ++next) {
    store::CallbackMessage& m = out.emplace_back();
    const long stream = next % streams;
    m.order_key = "__defaultVhost__/live/s" + std::to_string(stream);
    m.url = url;
    m.payload = R"({"event_type":")" + std::string(next / streams % 2 ? "push_end" : "push_start") +
                R"(","vhost":"__defaultVhost__","app":"live","stream":"s)" +
                std::to_string(stream) + R"(","seq":)" + std::to_string(next) + "}";
    m.created = m.next_attempt = now;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  spdlog::set_level(spdlog::level::warn);
  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "sluice-callbacks-bench-XXXXXX").string();
  if (!mkdtemp(dir_pattern.data())) return 1;
  const std::filesystem::path dir = dir_pattern;
  int rc = 0;
  {
    Receiver receiver;
    auto store = store::SqliteStore::open(dir / "sluice.db");
    config::Config config;
    config.callbacks.max_in_flight = static_cast<uint32_t>(options.max_in_flight);
    long next = 0;
    if (options.backlog > 0) {
      store->queue_callbacks(make_messages(options.backlog, next, options.streams, receiver.url()));
    }
    const long total = options.backlog + options.rate * options.seconds;

    asio::io_context control(1);
    auto delivery = hooks::CallbackDelivery::create(control.get_executor(), config, *store);
    uint64_t peak_depth = store->pending_callbacks();
    size_t peak_in_flight = 0;
    const auto started = Clock::now();
    Clock::time_point finished{};
    bool done = false;

    // The producer: R/100 messages every 10 ms for S seconds.
    asio::steady_timer produce(control);
    long produced_ticks = 0;
    const long ticks = options.seconds * 100;
    std::function<void()> tick = [&] {
      if (produced_ticks >= ticks) return;
      const long due =
          options.rate * (produced_ticks + 1) / 100 - options.rate * produced_ticks / 100;
      ++produced_ticks;
      store->queue_callbacks(make_messages(due, next, options.streams, receiver.url()));
      delivery->wake();
      produce.expires_at(started + std::chrono::milliseconds(10 * produced_ticks));
      produce.async_wait([&](boost::system::error_code ec) {
        if (!ec) tick();
      });
    };
    if (options.rate > 0 && options.seconds > 0) tick();

    asio::steady_timer sample(control);
    const auto deadline = started + std::chrono::seconds(120 + options.seconds);
    std::function<void()> watch = [&] {
      peak_depth = std::max(peak_depth, store->pending_callbacks());
      peak_in_flight = std::max(peak_in_flight, delivery->in_flight());
      if (delivery->counts().delivered >= static_cast<uint64_t>(total) || Clock::now() > deadline) {
        finished = Clock::now();
        done = delivery->counts().delivered >= static_cast<uint64_t>(total);
        delivery->stop();
        produce.cancel();
        control.stop();
        return;
      }
      sample.expires_after(std::chrono::milliseconds(50));
      sample.async_wait([&](boost::system::error_code ec) {
        if (!ec) watch();
      });
    };
    delivery->start();
    watch();
    control.run();

    const double seconds = std::chrono::duration<double>(finished - started).count();
    const auto& c = delivery->counts();
    const double rate = static_cast<double>(c.delivered) / seconds;
    const long hwm = status_kib("VmHWM:");
    if (options.json) {
      std::printf(
          "{\"messages\":%ld,\"delivered\":%llu,\"seconds\":%.3f,\"events_per_s\":%.0f,"
          "\"delivered_writes\":%llu,\"retries\":%llu,\"peak_queue_depth\":%llu,"
          "\"peak_in_flight\":%zu,\"receiver_requests\":%llu,\"peak_rss_kib\":%ld}\n",
          total, static_cast<unsigned long long>(c.delivered), seconds, rate,
          static_cast<unsigned long long>(c.delivery_writes),
          static_cast<unsigned long long>(c.retries), static_cast<unsigned long long>(peak_depth),
          peak_in_flight, static_cast<unsigned long long>(receiver.requests()), hwm);
    } else {
      std::printf(
          "messages %ld (backlog %ld, then %ld/s for %ld s) over %ld streams, max_in_flight %ld\n"
          "delivered %llu in %.2f s: %.0f events/s; %llu delivered-writes (%.1f per write), "
          "%llu retries\npeak queue depth %llu, peak in flight %zu, receiver saw %llu, "
          "peak RSS %ld KiB\n",
          total, options.backlog, options.rate, options.seconds, options.streams,
          options.max_in_flight, static_cast<unsigned long long>(c.delivered), seconds, rate,
          static_cast<unsigned long long>(c.delivery_writes),
          c.delivery_writes ? static_cast<double>(c.delivered) / c.delivery_writes : 0.0,
          static_cast<unsigned long long>(c.retries), static_cast<unsigned long long>(peak_depth),
          peak_in_flight, static_cast<unsigned long long>(receiver.requests()), hwm);
    }
    if (!done) {
      std::fprintf(stderr, "not every message was delivered within the deadline\n");
      rc = 1;
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return rc;
}
