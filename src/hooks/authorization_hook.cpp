#include "hooks/authorization_hook.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "base/coroutine_warnings.hpp"
#include "base/untrusted_text.hpp"
#include "manage/secret_params.hpp"

namespace sluice::hooks {
namespace {

namespace json = boost::json;
using manage::AccessAction;
using manage::Refusal;

// Query values are client bytes, percent-decoded: any byte may come. A JSON
// string must be UTF-8, so a value that is not is sent escaped.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += extra + 1;
  }
  return true;
}

json::string_view json_text(const std::string& text, std::string& scratch) {
  if (valid_utf8(text)) return text;
  scratch = printable(text, text.size() + 1);
  return scratch;
}

// "ADDR:PORT" or "[v6]:PORT" (as sessions write client_address) without the port.
std::string ip_of(const std::string& client_address) {
  const auto colon = client_address.rfind(':');
  std::string host = colon == std::string::npos ? client_address : client_address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return host;
}

std::string_view hook_name(AccessAction action) {
  return action == AccessAction::kPublish ? "on_publish" : "on_play";
}

// Unique per request and per process, so a receiver can tell retries apart
// from new requests and match its log to sluice's.
class RequestIds {
 public:
  RequestIds() : random_(std::random_device{}()) {}
  std::string next() {
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random_()),
                  static_cast<unsigned long long>(++count_));
    return text;
  }

 private:
  std::mt19937_64 random_;
  uint64_t count_ = 0;
};

boost::asio::awaitable<std::optional<Refusal>> admit_now() {
  co_return std::nullopt;
}

struct HookCall {
  AccessAction action = AccessAction::kPlay;
  std::string what;  // "__defaultVhost__/live/cam1", for the log
  std::string url;
  std::string body;
  std::string request_id;
  config::HooksConfig settings;
};

boost::asio::awaitable<std::optional<Refusal>> ask(boost::asio::any_io_executor executor,
                                                   HookCall call) {
  PostOptions options;
  options.timeout = call.settings.timeout;
  options.max_response_bytes = kHookAnswerMaxBytes;
  options.headers.emplace_back("X-Request-Id", call.request_id);
  const auto started = std::chrono::steady_clock::now();
  auto posting = post(executor, call.url, call.body, std::move(options));
  const PostResult answer = co_await std::move(posting);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  auto verdict = hook_verdict(call.action, answer, call.settings);
  if (!verdict.failure.empty() && !verdict.refusal) {
    spdlog::warn("{} hook for {} (request {}): {}; admitted because hooks.fail_open is true",
                 hook_name(call.action), call.what, call.request_id, verdict.failure);
  } else {
    spdlog::debug("{} hook for {} (request {}): {} ({} ms)", hook_name(call.action), call.what,
                  call.request_id,
                  answer.status ? "HTTP " + std::to_string(*answer.status) : verdict.failure,
                  took.count());
  }
  co_return verdict.refusal;
}

}  // namespace

std::string hook_request_body(const manage::AccessRequest& request, const std::string& request_id) {
  std::string scratch;
  json::object query;
  for (const auto& [name, value] : request.params) {
    if (manage::is_secret_param(name)) continue;
    std::string name_scratch;
    query[json_text(name, name_scratch)] = json_text(value, scratch);
  }
  json::object body;
  body["action"] = request.action == AccessAction::kPublish ? "publish" : "play";
  body["vhost"] = json_text(request.key.vhost, scratch);
  body["domain"] = json_text(request.domain, scratch);
  body["app"] = json_text(request.key.app, scratch);
  body["stream"] = json_text(request.key.stream, scratch);
  body["ip"] = json_text(ip_of(request.client_address), scratch);
  body["client_address"] = json_text(request.client_address, scratch);
  body["protocol"] = manage::to_string(request.protocol);
  body["query"] = std::move(query);
  body["request_id"] = request_id;
  return json::serialize(body);
}

std::string answer_message(const std::string& body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    for (const char* field : {"message", "msg", "reason"}) {
      if (const auto* value = parsed.as_object().if_contains(field); value && value->is_string())
        return printable(std::string_view(value->as_string()), kHookMessageMax);
    }
  }
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = body.find_last_not_of(" \t\r\n");
  return printable(std::string_view(body).substr(first, last - first + 1), kHookMessageMax);
}

HookVerdict hook_verdict(AccessAction action, const PostResult& answer,
                         const config::HooksConfig& hooks) {
  const std::string hook(hook_name(action));
  HookVerdict verdict;
  if (answer.status && !answer.succeeded()) {
    // The receiver said no; what it said after that (a long body) is moot.
    const std::string message = answer_message(answer.body);
    verdict.refusal = Refusal{Refusal::Kind::kDenied, hook + " hook refused (HTTP " +
                                                          std::to_string(*answer.status) + ")" +
                                                          (message.empty() ? "" : ": " + message)};
    return verdict;
  }
  if (answer.succeeded() && answer.error.empty()) return verdict;
  if (answer.timed_out) {
    verdict.failure = "no answer within " + std::to_string(hooks.timeout.count()) + " ms";
  } else if (answer.succeeded()) {
    verdict.failure = "HTTP " + std::to_string(*answer.status) + " with a broken answer (" +
                      printable(answer.error, kHookMessageMax) + ")";
  } else {
    verdict.failure =
        answer.error.empty() ? std::string("no answer") : printable(answer.error, kHookMessageMax);
  }
  if (!hooks.fail_open)
    verdict.refusal =
        Refusal{Refusal::Kind::kUnavailable, hook + " hook failed: " + verdict.failure};
  return verdict;
}

manage::AccessCheck authorization_hook_check(boost::asio::any_io_executor executor,
                                             const config::Config& config) {
  return [executor, &config,
          ids = std::make_shared<RequestIds>()](const manage::AccessRequest& request) {
    // Everything is copied out before the coroutine starts: a reload may
    // change the config while the receiver thinks.
    const auto* vhost = config.find_vhost(request.key.vhost);
    const bool publish = request.action == AccessAction::kPublish;
    const std::string url = !vhost ? "" : publish ? vhost->on_publish : vhost->on_play;
    if (url.empty()) return admit_now();
    HookCall call;
    call.action = request.action;
    call.what = request.key.to_string();
    call.url = url;
    call.request_id = ids->next();
    call.body = hook_request_body(request, call.request_id);
    call.settings = config.hooks;
    return ask(executor, std::move(call));
  };
}

}  // namespace sluice::hooks
