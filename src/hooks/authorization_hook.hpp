#pragma once
// The authorization hook (README, "Authorization hook"), as SRS's and
// nginx-rtmp's on_publish/on_play: before a publish or a play is admitted,
// sluice POSTs what it knows of the request to the vhost's hook URL, and the
// receiver's answer decides. A check behind the access gate, added after the
// signed-URL check, so a request with a bad signature never reaches it.
//
// 2xx admits; any other status refuses, with the answer's message as the
// reason. No usable answer (timeout, unreachable, an answer cut short or too
// long) refuses too, unless [hooks] fail_open is set.
#include <boost/asio/any_io_executor.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "hooks/http_post.hpp"
#include "manage/access_request.hpp"

namespace sluice::hooks {

// The largest answer read from a hook; a longer one is no usable answer.
inline constexpr size_t kHookAnswerMaxBytes = 64 * 1024;
// The longest message of a refusing answer kept in the refusal's reason.
inline constexpr size_t kHookMessageMax = 200;

// The JSON body sent for `request`: action, vhost, domain, app, stream, ip,
// client_address, protocol, query and request_id. The query leaves out every
// secret-named parameter (manage::is_secret_param), so a receiver's log
// never holds a credential meant for sluice or for another service.
std::string hook_request_body(const manage::AccessRequest& request, const std::string& request_id);

// The message of a refusing answer: a JSON object's "message", "msg" or
// "reason" string, else the body's text; escaped with printable() and cut to
// kHookMessageMax.
std::string answer_message(const std::string& body);

struct HookVerdict {
  std::optional<manage::Refusal> refusal;  // nullopt admits
  // Why the hook gave no usable answer (empty when it did); set also when
  // fail_open admitted anyway, for the log.
  std::string failure;
};

// What the receiver's answer (or its absence) decides for `action`.
HookVerdict hook_verdict(manage::AccessAction action, const PostResult& answer,
                         const config::HooksConfig& hooks);

// The check to add to the gate. Runs on `executor` (the media one); reads
// `config` (the media side's copy, which must outlive the check) afresh for
// each request, so a reload's URLs and [hooks] apply to the next request.
manage::AccessCheck authorization_hook_check(boost::asio::any_io_executor executor,
                                             const config::Config& config);

}  // namespace sluice::hooks
