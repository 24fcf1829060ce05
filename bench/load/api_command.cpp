#include "api_command.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <map>

#include <boost/url/parse.hpp>
#include "commands.hpp"
#include "proc_stats.hpp"
#include "sign/request_signer.hpp"

namespace sluice::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

struct ApiRun {
  const ApiOptions& options;
  sign::Params query;
  std::string host;
  std::string port;
  Clock::time_point window_start;
  Clock::time_point window_end;
  std::vector<double> latencies_ms;   // in the window
  std::map<unsigned, long> statuses;  // in the window
  long errors = 0;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

asio::awaitable<void> client(ApiRun& run) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  try {
    co_await stream.async_connect(
        co_await resolver.async_resolve(run.host, run.port, asio::use_awaitable),
        asio::use_awaitable);
    beast::flat_buffer buffer;
    const sign::Credentials credentials{.access_key = run.options.access_key,
                                        .secret_key = run.options.secret_key,
                                        .region = run.options.region};
    const std::string target = "/?" + sign::encode_query(run.query);
    while (Clock::now() < run.window_end) {
      // Each request is signed afresh, as a real client does.
      const sign::ClientRequest c{.method = "GET", .path = "/", .query = run.query};
      auto headers = sign::signed_headers(c, credentials, sign::format_x_date(wall_now()));
      http::request<http::empty_body> req{http::verb::get, target, 11};
      req.set(http::field::host, run.host + ":" + run.port);
      for (const auto& [k, v] : headers) req.set(k, v);
      const auto sent = Clock::now();
      co_await http::async_write(stream, req, asio::use_awaitable);
      http::response<http::string_body> res;
      co_await http::async_read(stream, buffer, res, asio::use_awaitable);
      const auto done = Clock::now();
      if (sent >= run.window_start && done <= run.window_end) {
        run.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - sent).count());
        ++run.statuses[res.result_int()];
      }
    }
  } catch (const std::exception&) {
    ++run.errors;
  }
}

}  // namespace

int run_api(const ApiOptions& o) {
  // Loopback only, like every load this tool makes.
  auto url = boost::urls::parse_uri(o.url);
  if (!url || url->scheme() != "http" ||
      (url->host() != "127.0.0.1" && url->host() != "localhost")) {
    std::fprintf(stderr, "sluice-load api: only http://127.0.0.1:PORT is allowed, got %s\n",
                 o.url.c_str());
    return 2;
  }
  ApiRun run{o,
             {{"Action", o.action}, {"Version", "2023-01-01"}},
             "127.0.0.1",
             url->has_port() ? std::string(url->port()) : "80",
             {},
             {},
             {},
             {},
             0};
  for (const auto& kv : o.params) {
    auto eq = kv.find('=');
    run.query.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  set_hard_deadline(o.warmup_s + o.duration_s + 30);
  asio::io_context io(1);
  run.window_start = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.warmup_s));
  run.window_end = run.window_start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(o.duration_s));
  for (int i = 0; i < o.connections; ++i) asio::co_spawn(io, client(run), asio::detached);

  // Server CPU over exactly the window.
  std::string error;
  std::optional<ProcSample> before, after;
  asio::steady_timer edge(io);
  auto sample_at = [&](Clock::time_point when,
                       std::optional<ProcSample>& into) -> asio::awaitable<void> {
    edge.expires_at(when);
    co_await edge.async_wait(asio::use_awaitable);
    if (!o.server_pids.empty()) into = sample_processes(o.server_pids, error);
  };
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await sample_at(run.window_start, before);
        co_await sample_at(run.window_end, after);
      },
      asio::detached);
  const double own_before = own_cpu_seconds();
  io.run();
  const double own_cpu = own_cpu_seconds() - own_before;

  long ok = 0, total = 0;
  for (const auto& [status, count] : run.statuses) {
    total += count;
    if (status == 200) ok += count;
  }
  const double rate = static_cast<double>(total) / o.duration_s;
  auto lat = run.latencies_ms;
  const double p50 = percentile(lat, 0.50), p90 = percentile(lat, 0.90),
               p99 = percentile(lat, 0.99);
  double server_cpu = before && after ? after->cpu_s - before->cpu_s : -1;
  if (o.json) {
    std::printf(
        "{\"action\":\"%s\",\"connections\":%d,\"requests\":%ld,\"ok\":%ld,\"errors\":%ld,\"rps\":%"
        ".1f,"
        "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"server_cpu_s\":%.3f,\"server_cpu_per_"
        "s\":%.3f,"
        "\"rps_per_server_core\":%.1f,\"tool_cpu_s\":%.3f}\n",
        o.action.c_str(), o.connections, total, ok, run.errors, rate, p50, p90, p99, server_cpu,
        server_cpu / o.duration_s, server_cpu > 0 ? static_cast<double>(total) / server_cpu : 0.0,
        own_cpu);
  } else {
    std::printf(
        "%s x%d: %ld requests (%ld ok, %ld connection errors), %.0f req/s, latency p50 %.2f p90 "
        "%.2f p99 %.2f ms\n",
        o.action.c_str(), o.connections, total, ok, run.errors, rate, p50, p90, p99);
    if (server_cpu >= 0) {
      std::printf(
          "  server CPU %.2f s in %.1f s window (%.2f cores): %.0f requests per server CPU-second; "
          "tool CPU %.2f s\n",
          server_cpu, o.duration_s, server_cpu / o.duration_s,
          server_cpu > 0 ? static_cast<double>(total) / server_cpu : 0.0, own_cpu);
    }
  }
  return ok == total && total > 0 ? 0 : 1;
}

}  // namespace sluice::load
