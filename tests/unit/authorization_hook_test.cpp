// The authorization hook's pure parts: which query parameters are secrets,
// the JSON body a receiver gets, what its answer (or none) decides, and the
// config check of hook URLs. The exchange itself runs in e2e test_hook.py
// against a real receiver.
#include "hooks/authorization_hook.hpp"
#include "manage/secret_params.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sluice::hooks {
namespace {

namespace json = boost::json;
using manage::AccessAction;
using manage::Refusal;

manage::AccessRequest publish_request() {
  manage::AccessRequest r;
  r.action = AccessAction::kPublish;
  r.protocol = manage::AccessProtocol::kRtmp;
  r.key = {"__defaultVhost__", "live", "cam1"};
  r.domain = "push.example.com";
  r.client_address = "192.0.2.7:50123";
  r.params = {{"volcTime", "1700000000"},
              {"volcSecret", "b0c6129a55c62fa4673ebe27460dbd72"},
              {"room", "42"},
              {"Auth_Token", "t0k3n"},
              {"sign", "s1gn"},
              {"vhost", "__defaultVhost__"}};
  return r;
}

json::object body_of(const manage::AccessRequest& r, const std::string& id = "id-1") {
  const std::string text = hook_request_body(r, id);
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(value.is_object()) << text;
  return value.is_object() ? value.as_object() : json::object{};
}

PostResult answered(unsigned status, std::string body = "", std::string error = "") {
  PostResult r;
  r.status = status;
  r.body = std::move(body);
  r.error = std::move(error);
  return r;
}

PostResult unanswered(std::string error, bool timed_out = false) {
  PostResult r;
  r.error = std::move(error);
  r.timed_out = timed_out;
  return r;
}

TEST(AuthorizationHook, SecretParamsAreRecognisedByName) {
  for (const char* secret : {"volcSecret", "VOLCSECRET", "secret", "client_secret", "token",
                             "access_token", "X-Auth-TOKEN", "sign", "signature", "Signed"}) {
    EXPECT_TRUE(manage::is_secret_param(secret)) << secret;
  }
  for (const char* plain : {"volcTime", "vhost", "room", "user", "key", "tok", "sig", ""}) {
    EXPECT_FALSE(manage::is_secret_param(plain)) << plain;
  }
}

TEST(AuthorizationHook, BodyCarriesTheRequestWithoutItsSecrets) {
  const auto body = body_of(publish_request(), "0123abcd");
  EXPECT_EQ(body.at("action").as_string(), "publish");
  EXPECT_EQ(body.at("vhost").as_string(), "__defaultVhost__");
  EXPECT_EQ(body.at("domain").as_string(), "push.example.com");
  EXPECT_EQ(body.at("app").as_string(), "live");
  EXPECT_EQ(body.at("stream").as_string(), "cam1");
  EXPECT_EQ(body.at("ip").as_string(), "192.0.2.7");
  EXPECT_EQ(body.at("client_address").as_string(), "192.0.2.7:50123");
  EXPECT_EQ(body.at("protocol").as_string(), "rtmp");
  EXPECT_EQ(body.at("request_id").as_string(), "0123abcd");
  const auto& query = body.at("query").as_object();
  EXPECT_EQ(query.size(), 3u) << json::serialize(query);
  EXPECT_EQ(query.at("volcTime").as_string(), "1700000000");
  EXPECT_EQ(query.at("room").as_string(), "42");
  EXPECT_EQ(query.at("vhost").as_string(), "__defaultVhost__");
  const std::string text = hook_request_body(publish_request(), "x");
  for (const char* secret : {"b0c6129a55c62fa4673ebe27460dbd72", "t0k3n", "s1gn", "volcSecret"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
}

TEST(AuthorizationHook, BodyOfAnHttpFlvPlayFromIpv6) {
  auto r = publish_request();
  r.action = AccessAction::kPlay;
  r.protocol = manage::AccessProtocol::kHttpFlv;
  r.client_address = "[2001:db8::1]:8000";
  r.params.clear();
  auto body = body_of(r);
  EXPECT_EQ(body.at("action").as_string(), "play");
  EXPECT_EQ(body.at("protocol").as_string(), "http-flv");
  EXPECT_EQ(body.at("ip").as_string(), "2001:db8::1");
  EXPECT_TRUE(body.at("query").as_object().empty());
  r.client_address = "::1:8000";  // as sessions write some v6 peers
  EXPECT_EQ(body_of(r).at("ip").as_string(), "::1");
}

TEST(AuthorizationHook, QueryBytesThatAreNotUtf8AreSentEscaped) {
  auto r = publish_request();
  r.params = {{"room", "caf\xc3\xa9"}, {"bad", "\xff\xfe\""}, {"\xc0\xaf", "overlong"}};
  const auto body = body_of(r);
  const auto& query = body.at("query").as_object();
  EXPECT_EQ(query.at("room").as_string(), "caf\xc3\xa9");  // valid UTF-8 stays as is
  EXPECT_EQ(query.at("bad").as_string(), "\\xff\\xfe\"");
  EXPECT_EQ(query.at("\\xc0\\xaf").as_string(), "overlong");
}

TEST(AuthorizationHook, AnswerMessageFromJsonOrText) {
  EXPECT_EQ(answer_message(R"({"code": 1, "message": "room closed"})"), "room closed");
  EXPECT_EQ(answer_message(R"({"msg": "banned"})"), "banned");
  EXPECT_EQ(answer_message(R"({"reason": "quota"})"), "quota");
  EXPECT_EQ(answer_message(R"({"message": 5})"), R"({"message": 5})");
  EXPECT_EQ(answer_message("  go away\r\n"), "go away");
  EXPECT_EQ(answer_message(" \n"), "");
  EXPECT_EQ(answer_message("bad\x1b[31m\nline"), "bad\\x1b[31m\\x0aline");
  const std::string message = answer_message(std::string(100000, 'A'));
  EXPECT_EQ(message.rfind(std::string(kHookMessageMax, 'A'), 0), 0u);
  EXPECT_LT(message.size(), kHookMessageMax + 32) << message;
}

TEST(AuthorizationHook, TwoHundredsAdmitAndOtherStatusesRefuseWithTheMessage) {
  const config::HooksConfig hooks;
  EXPECT_FALSE(hook_verdict(AccessAction::kPublish, answered(200), hooks).refusal);
  EXPECT_FALSE(hook_verdict(AccessAction::kPlay, answered(204, "ignored"), hooks).refusal);

  auto no = hook_verdict(AccessAction::kPublish, answered(403, R"({"message":"no"})"), hooks);
  ASSERT_TRUE(no.refusal);
  EXPECT_EQ(no.refusal->kind, Refusal::Kind::kDenied);
  EXPECT_EQ(no.refusal->reason, "on_publish hook refused (HTTP 403): no");
  no = hook_verdict(AccessAction::kPlay, answered(500), hooks);
  ASSERT_TRUE(no.refusal);
  EXPECT_EQ(no.refusal->reason, "on_play hook refused (HTTP 500)");
  no = hook_verdict(AccessAction::kPlay, answered(302, "elsewhere"), hooks);
  ASSERT_TRUE(no.refusal);
  EXPECT_EQ(no.refusal->reason, "on_play hook refused (HTTP 302): elsewhere");
  // A refusal stays one even when its body was too long to read whole.
  no = hook_verdict(AccessAction::kPublish, answered(403, "nope", "answer too long"), hooks);
  ASSERT_TRUE(no.refusal);
  EXPECT_EQ(no.refusal->kind, Refusal::Kind::kDenied);
}

TEST(AuthorizationHook, NoUsableAnswerRefusesUnlessFailOpen) {
  config::HooksConfig hooks;
  hooks.timeout = std::chrono::milliseconds(1500);
  const PostResult cases[] = {unanswered("timed out", true), unanswered("connection refused"),
                              unanswered(""), answered(200, "", "answer longer than 65536 bytes")};
  const char* reasons[] = {"on_publish hook failed: no answer within 1500 ms",
                           "on_publish hook failed: connection refused",
                           "on_publish hook failed: no answer",
                           "on_publish hook failed: HTTP 200 with a broken answer (answer longer "
                           "than 65536 bytes)"};
  for (size_t i = 0; i < std::size(cases); ++i) {
    hooks.fail_open = false;
    const auto closed = hook_verdict(AccessAction::kPublish, cases[i], hooks);
    ASSERT_TRUE(closed.refusal) << i;
    EXPECT_EQ(closed.refusal->kind, Refusal::Kind::kUnavailable);
    EXPECT_EQ(closed.refusal->reason, reasons[i]);
    hooks.fail_open = true;
    const auto open = hook_verdict(AccessAction::kPublish, cases[i], hooks);
    EXPECT_FALSE(open.refusal) << i;
    EXPECT_FALSE(open.failure.empty()) << i;
  }
}

}  // namespace
}  // namespace sluice::hooks
