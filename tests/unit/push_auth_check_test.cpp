// The signed-URL check behind the gate: who may publish without a signature,
// what a present signature must be, play auth only where a play key is set.
// Requests are built as sessions build them (client_address "ADDR:PORT").
// Digests computed independently with Python hashlib at authoring time:
//   md5(b"/live/cam1primary-key1700000000") = b0c6129a55c62fa4673ebe27460dbd72
//   md5(b"/live/cam1play-key1700000000")    = 74c75b885b34022185042877a979cd7a
#include "manage/push_auth_check.hpp"
#include "base/coroutine_warnings.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "base/wall_time.hpp"
#include "manage/url_signature.hpp"

namespace sluice::manage {
namespace {

constexpr int64_t kExpiry = 1700000000;
const std::string kGoodPush = "b0c6129a55c62fa4673ebe27460dbd72";
const std::string kGoodPlay = "74c75b885b34022185042877a979cd7a";

const char* kKeyed = R"(
[[vhost]]
name = "__defaultVhost__"
push_key = "primary-key"
push_key_secondary = "secondary-key"
play_key = "play-key"
)";

AccessRequest request(AccessAction action, std::string client,
                      std::map<std::string, std::string> params = {}) {
  AccessRequest r;
  r.action = action;
  r.key = {"__defaultVhost__", "live", "cam1"};
  r.client_address = std::move(client);
  r.params = std::move(params);
  return r;
}

std::map<std::string, std::string> signed_params(std::string secret,
                                                 std::string time = "1700000000") {
  return {{"volcTime", std::move(time)}, {"volcSecret", std::move(secret)}};
}

std::optional<Refusal> check(const config::Config& c, const AccessRequest& r,
                             int64_t now = kExpiry - 10) {
  return check_url_signature(c, r, now);
}

TEST(PushAuthCheck, ByDefaultLoopbackPublishesAndOthersAreToldThereIsNoKey) {
  const auto c = config::load_string("");
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "127.0.0.1:5000")));
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "127.8.9.1:5000")));
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "::1:5000")));
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "::ffff:127.0.0.1:5000")));
  const auto no = check(c, request(AccessAction::kPublish, "192.0.2.7:5000"));
  ASSERT_TRUE(no);
  EXPECT_EQ(no->kind, Refusal::Kind::kDenied);
  EXPECT_NE(no->reason.find("no push key is configured"), std::string::npos) << no->reason;
  EXPECT_TRUE(check(c, request(AccessAction::kPublish, "::2:5000")));
  EXPECT_TRUE(check(c, request(AccessAction::kPublish, "?")));  // unknown peer: not trusted
  // Play is open when no play key is set.
  EXPECT_FALSE(check(c, request(AccessAction::kPlay, "192.0.2.7:5000")));
}

TEST(PushAuthCheck, TheGeneratedKeySignsForTheDefaultVhostUntilTheConfigHasOne) {
  auto c = config::load_string("");
  const auto r = [](std::string secret) {
    return request(AccessAction::kPublish, "192.0.2.7:5000", signed_params(std::move(secret)));
  };
  EXPECT_FALSE(check_url_signature(c, r(kGoodPush), kExpiry, "primary-key"));
  const auto missing = check_url_signature(c, request(AccessAction::kPublish, "192.0.2.7:5000"),
                                           kExpiry, "primary-key");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, "push signature missing (volcTime and volcSecret)");
  // Another vhost does not get it.
  auto other = r(kGoodPush);
  other.key.vhost = "other";
  EXPECT_TRUE(check_url_signature(c, other, kExpiry, "primary-key"));
  // A configured key replaces it.
  c = config::load_string("[[vhost]]\nname = \"__defaultVhost__\"\npush_key = \"new\"\n");
  EXPECT_TRUE(check_url_signature(c, r(kGoodPush), kExpiry, "primary-key"));
}

TEST(PushAuthCheck, NotRequiredLetsEveryoneWithoutASignaturePublish) {
  const auto c = config::load_string("[push_auth]\nrequired = false\n");
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "192.0.2.7:5000")));
}

TEST(PushAuthCheck, UntrustedPublishersNeedAValidSignature) {
  const auto c = config::load_string(kKeyed);
  const auto missing = check(c, request(AccessAction::kPublish, "192.0.2.7:5000"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, "push signature missing (volcTime and volcSecret)");
  EXPECT_FALSE(
      check(c, request(AccessAction::kPublish, "192.0.2.7:5000", signed_params(kGoodPush))));
  // Other parameters alongside do not matter.
  auto extra = signed_params(kGoodPush);
  extra["vhost"] = "__defaultVhost__";
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "192.0.2.7:5000", extra)));
}

TEST(PushAuthCheck, ExpiryEdges) {
  const auto c = config::load_string(kKeyed);
  const auto r = request(AccessAction::kPublish, "192.0.2.7:5000", signed_params(kGoodPush));
  EXPECT_FALSE(check(c, r, kExpiry - 1));
  EXPECT_FALSE(check(c, r, kExpiry));
  const auto expired = check(c, r, kExpiry + 1);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->reason,
            "push signature expired at 2023-11-14T22:13:20Z (volcTime 1700000000)");
}

TEST(PushAuthCheck, APresentBadSignatureIsRefusedEvenFromTrustedAddresses) {
  const auto c = config::load_string(kKeyed);
  const auto wrong = check(c, request(AccessAction::kPublish, "127.0.0.1:5000",
                                      signed_params("00000000000000000000000000000000")));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->reason, "push signature does not match");
  EXPECT_TRUE(check(c, request(AccessAction::kPublish, "127.0.0.1:5000", signed_params(kGoodPush)),
                    kExpiry + 1));
  // Trusted without any signature is still fine.
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "127.0.0.1:5000")));
}

TEST(PushAuthCheck, MalformedInputGetsAClearRefusalWithoutEchoingIt) {
  const auto c = config::load_string(kKeyed);
  for (const auto& params : std::vector<std::map<std::string, std::string>>{
           signed_params(kGoodPush, std::string(40, '9')),
           signed_params(kGoodPush, "-5"),
           signed_params(kGoodPush, "soon"),
           signed_params("xyz"),
           signed_params(kGoodPush + "00"),
           {{"volcTime", "1700000000"}},
       }) {
    const auto no = check(c, request(AccessAction::kPublish, "127.0.0.1:5000", params));
    ASSERT_TRUE(no);
    EXPECT_EQ(no->kind, Refusal::Kind::kDenied);
    EXPECT_NE(no->reason.find("push signature"), std::string::npos) << no->reason;
    EXPECT_EQ(no->reason.find(kGoodPush), std::string::npos) << no->reason;
  }
}

TEST(PushAuthCheck, ReasonsNeverHoldTheKeyOrTheSecret) {
  const auto c = config::load_string(kKeyed);
  for (int64_t now : {kExpiry, kExpiry + 1}) {
    for (const auto& secret : {kGoodPush, std::string("0123456789abcdef0123456789abcdef")}) {
      const auto no =
          check(c, request(AccessAction::kPublish, "192.0.2.7:1", signed_params(secret)), now);
      if (!no) continue;
      EXPECT_EQ(no->reason.find("primary-key"), std::string::npos);
      EXPECT_EQ(no->reason.find("secondary-key"), std::string::npos);
      EXPECT_EQ(no->reason.find(secret), std::string::npos);
    }
  }
}

TEST(PushAuthCheck, TrustedRangesAreConfigurable) {
  const auto c = config::load_string(std::string(kKeyed) + "[push_auth]\ntrusted = [\"::1\"]\n");
  EXPECT_TRUE(check(c, request(AccessAction::kPublish, "127.0.0.1:5000")));
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "::1:5000")));
  EXPECT_FALSE(check(c, request(AccessAction::kPublish, "[::1]:5000")));
}

TEST(PushAuthCheck, PlayNeedsASignatureOnlyWhereAPlayKeyIsSet) {
  const auto c = config::load_string(kKeyed);
  const auto missing = check(c, request(AccessAction::kPlay, "127.0.0.1:5000"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, "play signature missing (volcTime and volcSecret)");
  EXPECT_FALSE(check(c, request(AccessAction::kPlay, "192.0.2.7:5000", signed_params(kGoodPlay))));
  // The push signature is not a play signature.
  EXPECT_TRUE(check(c, request(AccessAction::kPlay, "192.0.2.7:5000", signed_params(kGoodPush))));
  auto other = request(AccessAction::kPlay, "192.0.2.7:5000");
  other.key.vhost = "other";
  EXPECT_FALSE(check(c, other));
}

TEST(PushAuthCheck, TheGateCheckUsesTheClockAndTheCurrentConfig) {
  auto c = config::load_string(kKeyed);
  auto gate_check = url_signature_check(c);
  auto run = [&](const AccessRequest& r) {
    boost::asio::io_context io;
    std::optional<Refusal> out;
    bool done = false;
    boost::asio::co_spawn(io, gate_check(r), [&](std::exception_ptr e, std::optional<Refusal> no) {
      EXPECT_FALSE(e);
      out = std::move(no);
      done = true;
    });
    io.run();
    EXPECT_TRUE(done);
    return out;
  };
  // volcTime 1700000000 is long past by the wall clock.
  const auto old = request(AccessAction::kPublish, "192.0.2.7:5000", signed_params(kGoodPush));
  const auto expired = run(old);
  ASSERT_TRUE(expired);
  EXPECT_NE(expired->reason.find("expired"), std::string::npos);
  const int64_t later = to_unix_ms(wall_now()) / 1000 + 3600;
  const auto fresh = request(
      AccessAction::kPublish, "192.0.2.7:5000",
      signed_params(url_signature("live", "cam1", "primary-key", later), std::to_string(later)));
  EXPECT_FALSE(run(fresh));
  // A reload replaces the keys in place: the next request sees them.
  c.vhosts[0].push_key = "rotated";
  c.vhosts[0].push_key_secondary.clear();
  EXPECT_TRUE(run(fresh));
}

}  // namespace
}  // namespace sluice::manage
