// The management API end to end below HTTP: signing, the envelope, every
// error code of the contract, parameter validation and the actions'
// semantics over a real registry and a real SQLite store.
#include "api/api_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "base/sha256.hpp"
#include "sign/request_signer.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sluice::api {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr char kAk[] = "AKLTtestaccesskey";
constexpr char kSk[] = "test-secret-key-0123456789";

struct Reply {
  unsigned status;
  json::object body;
  std::string code() const {
    const auto& meta = body.at("ResponseMetadata").as_object();
    return meta.contains("Error") ? std::string(meta.at("Error").at("Code").as_string()) : "";
  }
  const json::object& result() const { return body.at("Result").as_object(); }
};

class ApiServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.api.keys = {{kAk, kSk}};
    config_.vhosts = {{"vh1", {"push.one.example"}, {"play.one.example"}},
                      {"vh2", {"push.two.example"}, {}}};
    store_ = store::SqliteStore::open(dir_ / "sluice.db");
    registry_ = std::make_unique<media::Registry>(io_.get_executor(), config_.media);
    manager_ =
        std::make_unique<manage::StreamManager>(io_.get_executor(), config_, *registry_, *store_);
    keys_ = std::make_unique<KeyStore>(config_.api.keys);
    service_ = std::make_unique<ApiService>(*manager_, *keys_, config_);
  }
  void TearDown() override {
    service_.reset();
    manager_.reset();
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A request signed like the Python SDK (host, content-type when POST).
  ApiRequest signed_request(const std::string& method, const std::string& action,
                            sign::Params params, const std::string& body = "",
                            const std::string& secret = kSk,
                            SystemTime when = std::chrono::system_clock::now()) {
    sign::ClientRequest c;
    c.method = method;
    c.query = {{"Action", action}, {"Version", "2023-01-01"}};
    c.query.insert(c.query.end(), params.begin(), params.end());
    c.host = "127.0.0.1:1985";
    if (method == "POST") c.content_type = "application/json";
    c.body = body;
    ApiRequest r{method, "/", c.query, {{"Host", c.host}}, body};
    if (!c.content_type.empty()) r.headers.emplace_back("Content-Type", c.content_type);
    auto extra = sign::signed_headers(c, {.access_key = kAk, .secret_key = secret},
                                      sign::format_x_date(when));
    r.headers.insert(r.headers.end(), extra.begin(), extra.end());
    return r;
  }

  Reply send(const ApiRequest& request) {
    auto response = service_->handle(request, std::chrono::system_clock::now());
    return {response.status, json::parse(response.body).as_object()};
  }
  Reply get(const std::string& action, sign::Params params) {
    return send(signed_request("GET", action, params));
  }
  Reply post(const std::string& action, const json::object& body) {
    return send(signed_request("POST", action, {}, json::serialize(body)));
  }

  // Starts a publish the way an RTMP session does; returns the stream.
  std::shared_ptr<media::Stream> publish(const media::StreamKey& key, const std::string& domain,
                                         int* disconnects) {
    auto ticket =
        std::get<manage::PublishTicket>(manager_->admit_publish(key, domain, "127.0.0.1:5000"));
    auto stream = registry_->stream_for_publisher(key);
    media::PublisherInfo info;
    info.publish_id = ticket.id;
    info.domain = domain;
    info.started_at = ticket.start_time;
    info.disconnect = [this, stream, ticket, disconnects](media::DisconnectCause cause) {
      ++*disconnects;
      stream->end_publish();
      manager_->publish_ended(ticket,
                              cause == media::DisconnectCause::kKilled
                                  ? store::EndReason::kKilled
                                  : store::EndReason::kForbidden,
                              0);
    };
    stream->begin_publish(info);
    return stream;
  }

  std::filesystem::path dir_;
  boost::asio::io_context io_;
  config::Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<media::Registry> registry_;
  std::unique_ptr<manage::StreamManager> manager_;
  std::unique_ptr<KeyStore> keys_;
  std::unique_ptr<ApiService> service_;
};

TEST_F(ApiServiceTest, SuccessEnvelopeHasMetadataAndResult) {
  auto r = get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s1"}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  const auto& meta = r.body.at("ResponseMetadata").as_object();
  EXPECT_FALSE(meta.at("RequestId").as_string().empty());
  EXPECT_EQ(meta.at("Action").as_string(), "DescribeLiveStreamState");
  EXPECT_EQ(meta.at("Version").as_string(), "2023-01-01");
  EXPECT_EQ(meta.at("Service").as_string(), "live");
  EXPECT_EQ(meta.at("Region").as_string(), "cn-north-1");
  EXPECT_FALSE(meta.contains("Error"));
  EXPECT_EQ(r.result().at("stream_state").as_string(), "offline");
  EXPECT_EQ(r.result().at("type").as_string(), "push");
}

TEST_F(ApiServiceTest, ErrorEnvelopeHasNonZeroCodeNAndNoResult) {
  auto request = signed_request("GET", "DescribeLiveStreamState",
                                {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  std::erase_if(request.headers, [](const auto& h) { return h.first == "Authorization"; });
  auto r = send(request);
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.code(), "MissingAuthenticationToken");
  const auto& error = r.body.at("ResponseMetadata").at("Error").as_object();
  EXPECT_EQ(error.at("CodeN").as_int64(), 100003);
  EXPECT_FALSE(error.at("Message").as_string().empty());
  EXPECT_FALSE(r.body.contains("Result"));
}

TEST_F(ApiServiceTest, AuthenticationFailures) {
  sign::Params p{{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}};
  auto without = [&](const char* header) {
    auto r = signed_request("GET", "DescribeLiveStreamState", p);
    std::erase_if(r.headers, [&](const auto& h) { return h.first == header; });
    return send(r);
  };
  EXPECT_EQ(without("X-Date").code(), "MissingRequestInfo");
  EXPECT_EQ(without("X-Date").status, 400u);

  auto stale = send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk,
                                   std::chrono::system_clock::now() - 20min));
  EXPECT_EQ(stale.status, 400u);
  EXPECT_EQ(stale.code(), "InvalidTimestamp");
  auto future = send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk,
                                    std::chrono::system_clock::now() + 20min));
  EXPECT_EQ(future.code(), "InvalidTimestamp");
  auto near = send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk,
                                  std::chrono::system_clock::now() - 10min));
  EXPECT_EQ(near.status, 200u);

  auto wrong_secret =
      send(signed_request("GET", "DescribeLiveStreamState", p, "", "another-secret-0123456"));
  EXPECT_EQ(wrong_secret.status, 401u);
  EXPECT_EQ(wrong_secret.code(), "SignatureDoesNotMatch");

  auto tampered = signed_request("GET", "DescribeLiveStreamState", p);
  tampered.query.back().second = "other";
  EXPECT_EQ(send(tampered).code(), "SignatureDoesNotMatch");

  auto unknown_ak = signed_request("GET", "DescribeLiveStreamState", p);
  for (auto& [k, v] : unknown_ak.headers) {
    if (k == "Authorization") v.replace(v.find(kAk), sizeof(kAk) - 1, "AKLTnobody");
  }
  EXPECT_EQ(send(unknown_ak).code(), "InvalidAccessKey");

  auto sts = signed_request("GET", "DescribeLiveStreamState", p);
  sts.headers.emplace_back("X-Security-Token", "token");
  auto sts_reply = send(sts);
  EXPECT_EQ(sts_reply.code(), "InvalidAccessKey");
  EXPECT_NE(std::string(sts_reply.body.at("ResponseMetadata").at("Error").at("Message").as_string())
                .find("STS"),
            std::string::npos);

  auto bad_date = signed_request("GET", "DescribeLiveStreamState", p);
  for (auto& [k, v] : bad_date.headers) {
    if (k == "X-Date") v = "2024-01-01T00:00:00Z";
  }
  EXPECT_EQ(send(bad_date).code(), "InvalidTimestamp");
}

TEST_F(ApiServiceTest, BodyHashMismatchIsRefused) {
  auto r = signed_request("POST", "KillStream", {}, R"({"Vhost":"vh1","App":"live","Stream":"s"})");
  r.body = R"({"Vhost":"vh1","App":"live","Stream":"t"})";  // hash header no longer matches
  auto reply = send(r);
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(reply.code(), "SignatureDoesNotMatch");
}

TEST_F(ApiServiceTest, UnsignedDateHeaderIsRefused) {
  // Sign without x-date in SignedHeaders: craft by hand.
  sign::Params q{{"Action", "DescribeLiveStreamState"},
                 {"Version", "2023-01-01"},
                 {"Vhost", "vh1"},
                 {"App", "live"},
                 {"Stream", "s"}};
  const std::string x_date = sign::format_x_date(std::chrono::system_clock::now());
  sign::Scope scope{x_date.substr(0, 8), "cn-north-1", "live"};
  ApiRequest r{"GET", "/", q, {{"Host", "h"}, {"X-Date", x_date}}, ""};
  sign::CanonicalInput in{"GET", "/", q, r.headers, {"host"}, sha256_hex("")};
  r.headers.emplace_back(
      "Authorization",
      sign::authorization(kAk, scope, {"host"}, sign::signature(kSk, x_date, scope, in)));
  EXPECT_EQ(send(r).code(), "SignatureDoesNotMatch");
}

TEST_F(ApiServiceTest, ActionAndVersionChecks) {
  ApiRequest no_action{"GET", "/", {{"Version", "2023-01-01"}}, {}, ""};
  auto r = send(no_action);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.code(), "MissingParameter");
  auto unknown = get("DescribeEverything", {});
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.code(), "InvalidActionOrVersion");
  auto request = signed_request("GET", "DescribeLiveStreamState", {});
  request.query[1].second = "2020-01-01";
  EXPECT_EQ(send(request).code(), "InvalidActionOrVersion");
}

TEST_F(ApiServiceTest, PagingParametersAreValidated) {
  auto list = [&](sign::Params p) { return get("DescribeLiveStreamInfoByPage", p); };
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "0"}}).code(), "InvalidParam.PageSize");
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "1001"}}).code(), "InvalidParam.PageSize");
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "ten"}}).code(), "InvalidParam.PageSize");
  EXPECT_EQ(list({{"PageSize", "10"}}).code(), "InvalidParam.PageNum");
  EXPECT_EQ(list({{"PageNum", "0"}, {"PageSize", "10"}}).code(), "InvalidParam.PageNum");
  auto bad = list({{"PageNum", "1"}, {"PageSize", "1001"}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("ResponseMetadata").at("Error").at("CodeN").as_int64(), 400001);
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "1000"}}).status, 200u);
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "10"}, {"QueryType", "loose"}}).code(),
            "InvalidParam.QueryType");
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "10"}, {"StreamType", "x"}}).code(),
            "InvalidParam.StreamType");
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "10"}, {"SourceType", "x"}}).code(),
            "InvalidParam.SourceType");
  // Empty values mean "not given".
  EXPECT_EQ(list({{"PageNum", "1"}, {"PageSize", "10"}, {"Vhost", ""}, {"QueryType", ""}}).status,
            200u);
}

TEST_F(ApiServiceTest, HistoryTimesAreValidated) {
  auto closed = [&](sign::Params p) {
    p.insert(p.begin(), {{"PageNum", "1"}, {"PageSize", "10"}});
    return get("DescribeClosedStreamInfoByPage", p);
  };
  EXPECT_EQ(closed({{"EndTimeTo", "2024-01-02T00:00:00Z"}}).code(), "InvalidParam.EndTimeFrom");
  EXPECT_EQ(closed({{"EndTimeFrom", "yesterday"}, {"EndTimeTo", "2024-01-02T00:00:00Z"}}).code(),
            "InvalidParam.EndTimeFrom");
  EXPECT_EQ(closed({{"EndTimeFrom", "2024-01-02T00:00:00Z"}, {"EndTimeTo", "2024-01-01T00:00:00Z"}})
                .code(),
            "InvalidParam.EndTimeTo");
  EXPECT_EQ(closed({{"EndTimeFrom", "2024-01-01T00:00:00Z"},
                    {"EndTimeTo", "2024-01-02T00:00:00+08:00"},
                    {"Sort", "up"}})
                .code(),
            "InvalidParam.Sort");
  auto ok =
      closed({{"EndTimeFrom", "2024-01-01T00:00:00Z"}, {"EndTimeTo", "2024-01-02T00:00:00+08:00"}});
  ASSERT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.result().at("RoughCount").as_int64(), 0);
  EXPECT_TRUE(ok.result().at("StreamInfoList").as_array().empty());
}

TEST_F(ApiServiceTest, VhostAndDomainExactlyOneOf) {
  auto state = [&](sign::Params p) {
    p.insert(p.end(), {{"App", "live"}, {"Stream", "s"}});
    return get("DescribeLiveStreamState", p);
  };
  EXPECT_EQ(state({}).code(), "InvalidParam.Vhost");
  EXPECT_EQ(state({{"Domain", "push.one.example"}}).status, 200u);
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"Domain", "play.one.example"}}).status, 200u);
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"Domain", "push.two.example"}}).code(),
            "InvalidParam.Domain");
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"Stream", "s"}}).code(),
            "InvalidParam.App");
  EXPECT_EQ(
      get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "bad name!"}, {"Stream", "s"}})
          .code(),
      "InvalidParam.App");
  EXPECT_EQ(get("DescribeLiveStreamState",
                {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", std::string(101, 's')}})
                .code(),
            "InvalidParam.Stream");
}

TEST_F(ApiServiceTest, DotNamesAndNonDomainsAreRefused) {
  auto state = [&](sign::Params p) { return get("DescribeLiveStreamState", p); };
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"App", ".."}, {"Stream", "s"}}).code(), "InvalidParam.App");
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"App", "."}, {"Stream", "s"}}).code(), "InvalidParam.App");
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"App", "live"}, {"Stream", ".."}}).code(),
            "InvalidParam.Stream");
  EXPECT_EQ(state({{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "..."}}).status, 200u);
  EXPECT_EQ(state({{"Domain", "bad\ndomain"}, {"App", "live"}, {"Stream", "s"}}).code(),
            "InvalidParam.Domain");
  EXPECT_EQ(state({{"Domain", "192.0.2.7"}, {"App", "live"}, {"Stream", "s"}}).status, 200u);
  EXPECT_EQ(post("ForbidStream", {{"Domain", "<b>x</b>"}, {"App", "live"}, {"Stream", "s"}}).code(),
            "InvalidParam.Domain");
}

TEST_F(ApiServiceTest, WritesAnswerWithoutResult) {
  auto kill_offline = post("KillStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  EXPECT_EQ(kill_offline.status, 404u);
  EXPECT_EQ(kill_offline.code(), "NotFound.Stream");
  EXPECT_EQ(kill_offline.body.at("ResponseMetadata").at("Error").at("CodeN").as_int64(), 404001);

  auto forbid = post("ForbidStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  ASSERT_EQ(forbid.status, 200u) << json::serialize(forbid.body);
  EXPECT_FALSE(forbid.body.contains("Result"));
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}})
                .result()
                .at("stream_state")
                .as_string(),
            "forbidden");

  auto resume =
      post("ResumeStream", {{"Domain", "push.one.example"}, {"App", "live"}, {"Stream", "s"}});
  EXPECT_EQ(resume.status, 200u);
  EXPECT_FALSE(resume.body.contains("Result"));
  auto again = post("ResumeStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  EXPECT_EQ(again.status, 404u);
  EXPECT_EQ(again.code(), "NotFound.ForbiddenStream");
}

TEST_F(ApiServiceTest, ForbidEndTimeRules) {
  auto forbid_until = [&](const std::string& end) {
    return post("ForbidStream",
                {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}, {"EndTime", end}});
  };
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(forbid_until(format_rfc3339_s(now - 1h)).code(), "InvalidParam.EndTime");
  EXPECT_EQ(forbid_until(format_rfc3339_s(now + 24h * 91)).code(), "InvalidParam.EndTime");
  EXPECT_EQ(forbid_until("soon").code(), "InvalidParam.EndTime");
  EXPECT_EQ(forbid_until(format_rfc3339_s(now + 2h)).status, 200u);
  // Forbidding again updates the end time.
  EXPECT_EQ(forbid_until(format_rfc3339_s(now + 48h)).status, 200u);
  auto list = get("DescribeForbiddenStreamInfoByPage", {{"PageNum", "1"}, {"PageSize", "10"}});
  ASSERT_EQ(list.result().at("RoughCount").as_int64(), 1);
  const auto& item = list.result().at("StreamInfoList").as_array()[0].as_object();
  EXPECT_EQ(item.at("EndTime").as_string(), format_rfc3339_s(now + 48h));
  EXPECT_EQ(item.at("Status").as_bool(), true);
  EXPECT_EQ(item.at("Vhost").as_string(), "vh1");
  // Numbers in a JSON body are not strings: Priority is accepted and ignored.
  auto with_priority =
      post("ForbidStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}, {"Priority", 1}});
  EXPECT_EQ(with_priority.status, 200u);
  auto bad_body = send(signed_request("POST", "ForbidStream", {}, "not json"));
  EXPECT_EQ(bad_body.code(), "InvalidParam.Body");
}

TEST_F(ApiServiceTest, OnlineListKillAndHistory) {
  int disconnects = 0;
  publish({"vh1", "live", "cam-1"}, "push.one.example", &disconnects);
  publish({"vh1", "live", "cam-2"}, "push.one.example", &disconnects);
  publish({"vh2", "live", "other"}, "push.two.example", &disconnects);

  auto all = get("DescribeLiveStreamInfoByPage", {{"PageNum", "1"}, {"PageSize", "10"}});
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(all.result().at("RoughCount").as_int64(), 3);
  const auto& first = all.result().at("StreamInfoList").as_array()[0].as_object();
  EXPECT_EQ(first.at("Stream").as_string(), "cam-1");
  EXPECT_EQ(first.at("Domain").as_string(), "push.one.example");
  EXPECT_EQ(first.at("SourceType").as_string(), "push");
  EXPECT_LT(first.at("ID").as_int64(), int64_t{1} << 53);
  EXPECT_TRUE(first.at("SessionStartTime").as_string().ends_with("Z"));
  EXPECT_EQ(first.at("SessionStartTime").as_string().size(), 24u);  // milliseconds

  auto fuzzy = get("DescribeLiveStreamInfoByPage", {{"PageNum", "2"},
                                                    {"PageSize", "1"},
                                                    {"Domain", "play.one.example"},
                                                    {"Stream", "cam"},
                                                    {"QueryType", "fuzzy"}});
  EXPECT_EQ(fuzzy.result().at("RoughCount").as_int64(), 2);
  ASSERT_EQ(fuzzy.result().at("StreamInfoList").as_array().size(), 1u);
  EXPECT_EQ(fuzzy.result().at("StreamInfoList").as_array()[0].at("Stream").as_string(), "cam-2");
  auto strict = get("DescribeLiveStreamInfoByPage",
                    {{"PageNum", "1"}, {"PageSize", "10"}, {"Stream", "cam"}});
  EXPECT_EQ(strict.result().at("RoughCount").as_int64(), 0);
  auto trans = get("DescribeLiveStreamInfoByPage",
                   {{"PageNum", "1"}, {"PageSize", "10"}, {"StreamType", "trans"}});
  EXPECT_EQ(trans.result().at("RoughCount").as_int64(), 0);

  auto kill = post("KillStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "cam-1"}});
  EXPECT_EQ(kill.status, 200u);
  EXPECT_EQ(disconnects, 1);
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "cam-1"}})
                .result()
                .at("stream_state")
                .as_string(),
            "offline");
  auto history = get("DescribeClosedStreamInfoByPage",
                     {{"PageNum", "1"},
                      {"PageSize", "10"},
                      {"EndTimeFrom", format_rfc3339_s(std::chrono::system_clock::now() - 1h)},
                      {"EndTimeTo", format_rfc3339_s(std::chrono::system_clock::now() + 1h)}});
  ASSERT_EQ(history.result().at("RoughCount").as_int64(), 1);
  const auto& closed = history.result().at("StreamInfoList").as_array()[0].as_object();
  EXPECT_EQ(closed.at("Stream").as_string(), "cam-1");
  EXPECT_EQ(closed.at("EndReason").as_string(), "killed");
  EXPECT_EQ(closed.at("EndTime").as_string().size(), 20u);  // seconds

  // Forbidding a live stream disconnects it and refuses the next publish.
  auto forbid = post("ForbidStream", {{"Vhost", "vh2"}, {"App", "live"}, {"Stream", "other"}});
  EXPECT_EQ(forbid.status, 200u);
  EXPECT_EQ(disconnects, 2);
  auto refused =
      manager_->admit_publish({"vh2", "live", "other"}, "push.two.example", "127.0.0.1:1");
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("forbidden"), std::string::npos);
}

}  // namespace
}  // namespace sluice::api
