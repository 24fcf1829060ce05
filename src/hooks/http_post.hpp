#pragma once
// One HTTP POST of a JSON body to a receiver (an authorization hook, a
// callback), bounded in every way a receiver could hold sluice up: one
// deadline covers resolving, connecting, writing and reading, and the
// answer's body is cut at a size limit. Network failures are results, not
// exceptions, so a dead receiver is an ordinary outcome for the caller.
//
// http:// only for now (README, "Callbacks"); a new connection per post.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::hooks {

struct PostOptions {
  std::chrono::milliseconds timeout{4000};  // for the whole exchange
  size_t max_response_bytes = 64 * 1024;    // a longer body is an error
  // Extra request headers (Content-Type: application/json is always sent).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct PostResult {
  // The receiver's status line, when it answered one.
  std::optional<unsigned> status;
  std::string body;   // the answer's body (untrusted: escape before logging)
  std::string error;  // why there is no answer ("timed out", "connection refused", ...)
  bool timed_out = false;

  bool succeeded() const { return status && *status >= 200 && *status < 300; }
};

// Runs on `executor`. Never throws for network or protocol failures.
boost::asio::awaitable<PostResult> post(boost::asio::any_io_executor executor, std::string url,
                                        std::string json_body, PostOptions options);

}  // namespace sluice::hooks
