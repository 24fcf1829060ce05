// The push/push_end callback messages: which receivers, which fields, and
// that no secret of the publish URL gets into them.
#include "manage/callback_payloads.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace sluice::manage {
namespace {

namespace json = boost::json;

constexpr int64_t kStartMs = 1'700'000'000'250;

store::OpenPublish publish() {
  store::OpenPublish p;
  p.vhost = "vh";
  p.domain = "push.example.com";
  p.app = "live";
  p.stream = "cam";
  p.client_address = "203.0.113.7:50000";
  p.start_time = from_unix_ms(kStartMs);
  p.last_seen = p.start_time;
  p.url_params = "room=7";
  return p;
}

store::ClosedStream closed(store::EndReason reason) {
  store::ClosedStream c;
  c.id = 42;
  c.vhost = "vh";
  c.domain = "";
  c.app = "live";
  c.stream = "cam";
  c.client_address = "2001:db8::1:41000";  // how sessions write an IPv6 peer
  c.start_time = from_unix_ms(kStartMs);
  c.end_time = from_unix_ms(kStartMs + 90'500);
  c.reason = reason;
  c.bytes_in = 123456;
  c.url_params = "room=7";
  return c;
}

config::Config config_with_urls() {
  config::Config c;
  config::VhostConfig v;
  v.name = "vh";
  v.push_callback_urls = {"http://127.0.0.1:9/a", "http://127.0.0.1:9/b"};
  v.push_end_callback_urls = {"http://127.0.0.1:9/end"};
  c.vhosts.push_back(v);
  return c;
}

TEST(CallbackPayloads, UrlParamsLeaveOutEverySecretAndAreEncoded) {
  const std::map<std::string, std::string> params{
      {"volcSecret", "0123456789abcdef0123456789abcdef"},
      {"volcTime", "1700000600"},
      {"Token", "t"},
      {"app_signature", "s"},
      {"mySECRETkey", "k"},
      {"room", "a b&c=d"},
      {"user", "ü"}};
  EXPECT_EQ(callback_url_params(params), "room=a%20b%26c%3Dd&user=%C3%BC&volcTime=1700000600");
  EXPECT_EQ(callback_url_params({}), "");
}

TEST(CallbackPayloads, PushStartHasVolcengineFields) {
  const auto v = json::parse(push_start_payload(publish(), 17)).as_object();
  EXPECT_EQ(v.at("vhost"), "vh");
  EXPECT_EQ(v.at("domain"), "push.example.com");
  EXPECT_EQ(v.at("app"), "live");
  EXPECT_EQ(v.at("stream"), "cam");
  EXPECT_EQ(v.at("event_type"), "push_start");
  EXPECT_EQ(v.at("time").as_int64(), kStartMs / 1000);
  EXPECT_EQ(v.at("time_ms").as_int64(), kStartMs);
  EXPECT_EQ(v.at("transcoded"), false);
  EXPECT_EQ(v.at("fp_client_ip"), "203.0.113.7");
  EXPECT_EQ(v.at("fp_user_url"), "room=7");
  EXPECT_EQ(v.at("session_id"), "17");
  // Added at send time, never stored.
  EXPECT_FALSE(v.contains("t"));
  EXPECT_FALSE(v.contains("sign"));
  EXPECT_FALSE(v.contains("event_id"));
  EXPECT_FALSE(v.contains("reason"));
}

TEST(CallbackPayloads, PushEndHasReasonAndDuration) {
  const auto v = json::parse(push_end_payload(closed(store::EndReason::kKilled))).as_object();
  EXPECT_EQ(v.at("event_type"), "push_end");
  EXPECT_EQ(v.at("domain"), "vh");  // none named: the vhost
  EXPECT_EQ(v.at("time_ms").as_int64(), kStartMs + 90'500);
  EXPECT_EQ(v.at("time").as_int64(), (kStartMs + 90'500) / 1000);
  EXPECT_EQ(v.at("reason"), "killed");
  EXPECT_EQ(v.at("duration").as_int64(), 90);
  EXPECT_EQ(v.at("duration_ms").as_int64(), 90'500);
  EXPECT_EQ(v.at("start_time_ms").as_int64(), kStartMs);
  EXPECT_EQ(v.at("bytes_in").to_number<uint64_t>(), 123456u);
  EXPECT_EQ(v.at("fp_client_ip"), "2001:db8::1");
  EXPECT_EQ(v.at("fp_user_url"), "room=7");
  EXPECT_EQ(v.at("session_id"), "42");
}

TEST(CallbackPayloads, EveryEndReasonHasItsOwnName) {
  std::set<std::string> names;
  for (auto r :
       {store::EndReason::kNormal, store::EndReason::kKilled, store::EndReason::kForbidden,
        store::EndReason::kError, store::EndReason::kTimeout, store::EndReason::kInterrupted}) {
    names.insert(std::string(callback_end_reason(r)));
  }
  EXPECT_EQ(names, (std::set<std::string>{"finished", "killed", "forbidden", "error", "timeout",
                                          "interrupted"}));
}

TEST(CallbackPayloads, OneMessagePerUrlOfTheVhostOrderedByStream) {
  const auto now = from_unix_ms(kStartMs + 5);
  const auto starts = push_start_callbacks(config_with_urls(), publish(), 17, now);
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[0].url, "http://127.0.0.1:9/a");
  EXPECT_EQ(starts[1].url, "http://127.0.0.1:9/b");
  for (const auto& m : starts) {
    EXPECT_EQ(m.order_key, "vh/live/cam");
    EXPECT_EQ(m.payload, push_start_payload(publish(), 17));
    EXPECT_EQ(m.created, now);
    EXPECT_EQ(m.next_attempt, now);
    EXPECT_EQ(m.attempts, 0u);
    EXPECT_FALSE(m.failed);
  }
  const auto ends = push_end_callbacks(config_with_urls(), closed(store::EndReason::kNormal), now);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].url, "http://127.0.0.1:9/end");
  EXPECT_EQ(ends[0].order_key, "vh/live/cam");
  EXPECT_NE(ends[0].payload.find("\"reason\":\"finished\""), std::string::npos);
}

TEST(CallbackPayloads, AVhostWithoutUrlsOrWithoutATableQueuesNothing) {
  auto config = config_with_urls();
  auto other = publish();
  other.vhost = "unlisted";
  EXPECT_TRUE(push_start_callbacks(config, other, 1, from_unix_ms(kStartMs)).empty());
  config.vhosts[0].push_end_callback_urls.clear();
  EXPECT_TRUE(push_end_callbacks(config, closed(store::EndReason::kNormal), from_unix_ms(kStartMs))
                  .empty());
}

}  // namespace
}  // namespace sluice::manage
