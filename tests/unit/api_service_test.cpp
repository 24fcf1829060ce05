// The management API end to end below HTTP: signing, the envelope, every
// error code of the contract, parameter validation and the actions'
// semantics over a real registry and a real SQLite store.
#include "api/api_service.hpp"
#include "base/coroutine_warnings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "base/rfc3339.hpp"
#include "base/sha256.hpp"
#include "manage/url_signature.hpp"
#include "sdk/response_parser.hpp"
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

std::string message_of(const Reply& r) {
  return std::string(r.body.at("ResponseMetadata").at("Error").at("Message").as_string());
}

class ApiServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.api.keys = {{kAk, kSk}};
    config_.vhosts.resize(2);
    config_.vhosts[0].name = "vh1";
    config_.vhosts[0].push_domains = {"push.one.example"};
    config_.vhosts[0].play_domains = {"play.one.example"};
    config_.vhosts[1].name = "vh2";
    config_.vhosts[1].push_domains = {"push.two.example"};
    store_ = store::SqliteStore::open(dir_ / "sluice.db");
    registry_ = std::make_unique<media::Registry>(io_.get_executor(), config_.media);
    // One io_context stands in for both the media and the control executor.
    gate_ = std::make_unique<manage::AccessGate>(io_.get_executor(), config_, *registry_);
    control_ =
        std::make_unique<manage::ControlService>(io_.get_executor(), config_, *store_, *gate_);
    gate_->set_records(*control_);
    keys_ = std::make_unique<KeyStore>(config_.api.keys);
    service_ = std::make_unique<ApiService>(*control_, *keys_, config_);
  }
  void TearDown() override {
    service_.reset();
    control_.reset();
    gate_.reset();
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A request signed like the Python SDK (host, content-type when POST).
  ApiRequest signed_request(const std::string& method, const std::string& action,
                            sign::Params params, const std::string& body = "",
                            const std::string& secret = kSk, WallTime when = wall_now()) {
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

  // Runs `task` on the test's io_context until it is done.
  template <typename T>
  T run(boost::asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(io_, std::move(task), [&](std::exception_ptr e, T value) {
      error = e;
      if (!e) out = std::move(value);
      done = true;
    });
    io_.restart();
    while (!done) io_.run_one();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
  }
  ApiResponse handle(const ApiRequest& request, WallTime now) {
    return run(service_->handle(request, now));
  }

  Reply send(const ApiRequest& request) {
    auto response = handle(request, wall_now());
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
    manage::AccessRequest request;
    request.action = manage::AccessAction::kPublish;
    request.key = key;
    request.domain = domain;
    request.client_address = "127.0.0.1:5000";
    auto decision = run(gate_->admit_publish(request));
    EXPECT_TRUE(decision.allowed()) << decision.refusal->reason;
    auto ticket = *decision.ticket;
    auto stream = decision.stream;
    media::PublisherInfo info;
    info.publish_id = ticket.id;
    info.domain = domain;
    info.started_at = ticket.start_time;
    // A weak reference: the stream keeps this callback, and a strong one would
    // keep a publish the test never ends alive for ever (LeakSanitizer says so).
    info.disconnect = [this, weak = std::weak_ptr(stream), ticket,
                       disconnects](media::DisconnectCause cause) {
      ++*disconnects;
      if (auto stream = weak.lock()) stream->end_publish();
      gate_->publish_ended(ticket,
                           cause == media::DisconnectCause::kKilled ? store::EndReason::kKilled
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
  std::unique_ptr<manage::AccessGate> gate_;
  std::unique_ptr<manage::ControlService> control_;
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

  auto stale =
      send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk, wall_now() - 20min));
  EXPECT_EQ(stale.status, 400u);
  EXPECT_EQ(stale.code(), "InvalidTimestamp");
  auto future =
      send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk, wall_now() + 20min));
  EXPECT_EQ(future.code(), "InvalidTimestamp");
  auto near =
      send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk, wall_now() - 10min));
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
  const std::string x_date = sign::format_x_date(wall_now());
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
  const auto now = wall_now();
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
  auto history =
      get("DescribeClosedStreamInfoByPage", {{"PageNum", "1"},
                                             {"PageSize", "10"},
                                             {"EndTimeFrom", format_rfc3339_s(wall_now() - 1h)},
                                             {"EndTimeTo", format_rfc3339_s(wall_now() + 1h)}});
  ASSERT_EQ(history.result().at("RoughCount").as_int64(), 1);
  const auto& closed = history.result().at("StreamInfoList").as_array()[0].as_object();
  EXPECT_EQ(closed.at("Stream").as_string(), "cam-1");
  EXPECT_EQ(closed.at("EndReason").as_string(), "killed");
  EXPECT_EQ(closed.at("EndTime").as_string().size(), 20u);  // seconds

  // Forbidding a live stream disconnects it and refuses the next publish.
  auto forbid = post("ForbidStream", {{"Vhost", "vh2"}, {"App", "live"}, {"Stream", "other"}});
  EXPECT_EQ(forbid.status, 200u);
  EXPECT_EQ(disconnects, 2);
  manage::AccessRequest again;
  again.action = manage::AccessAction::kPublish;
  again.key = {"vh2", "live", "other"};
  again.domain = "push.two.example";
  again.client_address = "127.0.0.1:1";
  auto refused = run(gate_->admit_publish(again));
  ASSERT_FALSE(refused.allowed());
  EXPECT_EQ(refused.refusal->kind, manage::Refusal::Kind::kForbidden);
  EXPECT_NE(refused.refusal->reason.find("forbidden"), std::string::npos);
}

// --- times across years 0001-9999 ---

TEST_F(ApiServiceTest, HistoryAcceptsTheWholeRfc3339Range) {
  auto closed = [&](const std::string& from, const std::string& to) {
    return get("DescribeClosedStreamInfoByPage",
               {{"PageNum", "1"}, {"PageSize", "10"}, {"EndTimeFrom", from}, {"EndTimeTo", to}});
  };
  int disconnects = 0;
  publish({"vh1", "live", "cam"}, "push.one.example", &disconnects);
  ASSERT_EQ(post("KillStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "cam"}}).status,
            200u);
  // A nanosecond clock wraps 9999 into the past and calls this range reversed.
  auto to_9999 = closed("2024-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
  ASSERT_EQ(to_9999.status, 200u) << json::serialize(to_9999.body);
  EXPECT_EQ(to_9999.result().at("RoughCount").as_int64(), 1);
  auto everything = closed("0001-01-01T00:00:00Z", "9999-12-31T23:59:60Z");
  ASSERT_EQ(everything.status, 200u) << json::serialize(everything.body);
  EXPECT_EQ(everything.result().at("RoughCount").as_int64(), 1);
  EXPECT_EQ(
      closed("2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z").result().at("RoughCount").as_int64(),
      0);
  auto year_10000 = closed("2024-01-01T00:00:00Z", "10000-01-01T00:00:00Z");
  EXPECT_EQ(year_10000.code(), "InvalidParam.EndTimeTo");
  EXPECT_NE(
      std::string(year_10000.body.at("ResponseMetadata").at("Error").at("Message").as_string())
          .find("9999-12-31T23:59:59Z"),
      std::string::npos);
  EXPECT_EQ(closed("0000-12-31T00:00:00Z", "2024-01-01T00:00:00Z").code(),
            "InvalidParam.EndTimeFrom");
}

TEST_F(ApiServiceTest, FarFutureForbidIsRefusedByTheNinetyDayRule) {
  for (const char* end : {"2611-06-24T00:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z"}) {
    auto r = post("ForbidStream",
                  {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}, {"EndTime", end}});
    EXPECT_EQ(r.status, 400u) << end << ": " << json::serialize(r.body);
    EXPECT_EQ(r.code(), "InvalidParam.EndTime") << end;
    const std::string message(r.body.at("ResponseMetadata").at("Error").at("Message").as_string());
    EXPECT_NE(message.find("at most 90 days ahead"), std::string::npos) << message;
  }
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}})
                .result()
                .at("stream_state")
                .as_string(),
            "offline");
  EXPECT_EQ(get("DescribeForbiddenStreamInfoByPage", {{"PageNum", "1"}, {"PageSize", "10"}})
                .result()
                .at("RoughCount")
                .as_int64(),
            0);
}

TEST_F(ApiServiceTest, XDateFarFromNowIsAnInvalidTimestamp) {
  sign::Params p{{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}};
  // 2^64 ns after now: a 64-bit nanosecond clock wraps it to exactly now.
  const WallTime wraps_to_now = wall_now() + std::chrono::milliseconds(18'446'744'073'710);
  auto wrapped = send(signed_request("GET", "DescribeLiveStreamState", p, "", kSk, wraps_to_now));
  EXPECT_EQ(wrapped.code(), "InvalidTimestamp") << format_x_date(wraps_to_now);
  for (const char* x_date : {"26110622T232649Z", "22620412T000000Z", "99991231T235959Z"}) {
    auto r = send(
        signed_request("GET", "DescribeLiveStreamState", p, "", kSk, parse_x_date(x_date).value()));
    EXPECT_EQ(r.status, 400u) << x_date;
    EXPECT_EQ(r.code(), "InvalidTimestamp") << x_date;
  }
  auto year_0 = signed_request("GET", "DescribeLiveStreamState", p);
  for (auto& [k, v] : year_0.headers) {
    if (k == "X-Date") v = "00001231T235959Z";
  }
  EXPECT_EQ(send(year_0).code(), "InvalidTimestamp");
}

// --- replay-safe writes ---

TEST_F(ApiServiceTest, ReplayedForbidGetsTheFirstAnswerAndDoesNotUndoAResume) {
  const std::string body = R"({"Vhost":"vh1","App":"live","Stream":"s"})";
  const ApiRequest forbid = signed_request("POST", "ForbidStream", {}, body);
  const ApiResponse first = handle(forbid, wall_now());
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(post("ResumeStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}}).status,
            200u);

  const ApiResponse replayed = handle(forbid, wall_now() + 1s);
  EXPECT_EQ(replayed.status, first.status);
  EXPECT_EQ(replayed.body, first.body);  // the same bytes, RequestId included
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}})
                .result()
                .at("stream_state")
                .as_string(),
            "offline");
}

TEST_F(ApiServiceTest, RetriedKillIsAnsweredNotRunAgain) {
  int disconnects = 0;
  publish({"vh1", "live", "cam"}, "push.one.example", &disconnects);
  const ApiRequest kill =
      signed_request("POST", "KillStream", {}, R"({"Vhost":"vh1","App":"live","Stream":"cam"})");
  const ApiResponse first = handle(kill, wall_now());
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(disconnects, 1);
  // The publisher is back; the retry must not kill it again.
  publish({"vh1", "live", "cam"}, "push.one.example", &disconnects);
  const ApiResponse retry = handle(kill, wall_now());
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(disconnects, 1);
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "cam"}})
                .result()
                .at("stream_state")
                .as_string(),
            "online");
}

TEST_F(ApiServiceTest, ErrorAnswersOfWritesAreReplayedToo) {
  const ApiRequest resume =
      signed_request("POST", "ResumeStream", {}, R"({"Vhost":"vh1","App":"live","Stream":"s"})");
  const ApiResponse first = handle(resume, wall_now());
  ASSERT_EQ(first.code, "NotFound.ForbiddenStream");
  ASSERT_EQ(post("ForbidStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}}).status,
            200u);
  const ApiResponse again = handle(resume, wall_now());
  EXPECT_EQ(again.status, 404u);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}})
                .result()
                .at("stream_state")
                .as_string(),
            "forbidden");
}

TEST_F(ApiServiceTest, ReadsAreNotCached) {
  const ApiRequest state = signed_request("GET", "DescribeLiveStreamState",
                                          {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  const ApiResponse before = handle(state, wall_now());
  ASSERT_EQ(post("ForbidStream", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}}).status,
            200u);
  const ApiResponse after = handle(state, wall_now());
  EXPECT_NE(before.body, after.body);
  EXPECT_NE(after.body.find("forbidden"), std::string::npos) << after.body;
  EXPECT_EQ(service_->replay_cache().size(), 1u);  // the ForbidStream only
}

TEST_F(ApiServiceTest, FullReplayCacheRefusesNewWritesUntilAnswersExpire) {
  config_.api.replay_cache_max_entries = 2;
  service_ = std::make_unique<ApiService>(*control_, *keys_, config_);
  const WallTime t0 = wall_now();
  auto forbid = [&](const std::string& stream, WallTime when) {
    return signed_request("POST", "ForbidStream", {},
                          R"({"Vhost":"vh1","App":"live","Stream":")" + stream + R"("})", kSk,
                          when);
  };
  const ApiRequest a = forbid("a", t0);
  ASSERT_EQ(handle(a, t0).status, 200u);
  ASSERT_EQ(handle(forbid("b", t0), t0).status, 200u);
  const ApiResponse full = handle(forbid("c", t0), t0);
  EXPECT_EQ(full.status, 429u) << full.body;
  EXPECT_EQ(full.code, "FlowLimitExceeded");
  EXPECT_EQ(get("DescribeLiveStreamState", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "c"}})
                .result()
                .at("stream_state")
                .as_string(),
            "offline");
  // A repeat of a remembered request is still answered.
  EXPECT_EQ(handle(a, t0).status, 200u);
  // Once the first two can no longer be replayed (X-Date + skew has passed),
  // they are forgotten and writes are taken again.
  const WallTime later = t0 + config_.api.max_clock_skew + 2s;
  EXPECT_EQ(handle(forbid("c", later), later).status, 200u);
  EXPECT_EQ(service_->replay_cache().size(), 1u);
}

TEST_F(ApiServiceTest, WritesSignedBeforeTheServerStartedAreRefused) {
  // The cache of the process before a restart is gone: such a write may have
  // run there already.
  sign::Params target{{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}};
  const std::string body = R"({"Vhost":"vh1","App":"live","Stream":"s"})";
  const WallTime before_start = wall_now() - 5min;
  auto write = send(signed_request("POST", "ForbidStream", {}, body, kSk, before_start));
  EXPECT_EQ(write.status, 400u);
  EXPECT_EQ(write.code(), "InvalidTimestamp");
  EXPECT_NE(message_of(write).find("before the server started"), std::string::npos)
      << message_of(write);
  auto read = send(signed_request("GET", "DescribeLiveStreamState", target, "", kSk, before_start));
  ASSERT_EQ(read.status, 200u);
  EXPECT_EQ(read.result().at("stream_state").as_string(), "offline");
}

// --- bad input is echoed short and escaped ---

bool has_control_characters(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

TEST_F(ApiServiceTest, HugeUnknownAccessKeyIsNotEchoed) {
  std::string ak(15'000, 'A');
  ak[3] = '\x01';
  ak[4] = '\x1b';
  auto r = signed_request("GET", "DescribeLiveStreamState",
                          {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s"}});
  for (auto& [k, v] : r.headers) {
    if (k == "Authorization") v.replace(v.find(kAk), sizeof(kAk) - 1, ak);
  }
  auto reply = send(r);
  EXPECT_EQ(reply.code(), "InvalidAccessKey");
  const std::string message = message_of(reply);
  EXPECT_LT(message.size(), 200u) << message;
  EXPECT_FALSE(has_control_characters(message)) << message;
  EXPECT_NE(message.find("AAA\\x01\\x1bAAA"), std::string::npos) << message;
}

TEST_F(ApiServiceTest, HugeOrControlCharacterParametersAreNotEchoed) {
  // An unknown action: message and ResponseMetadata.Action.
  std::string action = "Kill\nStream" + std::string(15'000, 'x');
  auto unknown = get(action, {});
  EXPECT_EQ(unknown.code(), "InvalidActionOrVersion");
  EXPECT_LT(message_of(unknown).size(), 300u);
  EXPECT_FALSE(has_control_characters(message_of(unknown)));
  const std::string echoed(unknown.body.at("ResponseMetadata").at("Action").as_string());
  EXPECT_LT(echoed.size(), 100u);
  EXPECT_EQ(echoed.substr(0, 12), "Kill\\x0aStre");

  // A JSON key of the wrong type becomes the field of InvalidParam.<Field>.
  std::string key = "\x1b[31m" + std::string(15'000, 'k');
  auto bad_key = post("ForbidStream", {{"Vhost", "vh1"}, {key, json::array{}}});
  EXPECT_EQ(bad_key.status, 400u);
  EXPECT_LT(bad_key.code().size(), 120u);
  EXPECT_EQ(bad_key.code().substr(0, 17), "InvalidParam.\\x1b");
  EXPECT_LT(message_of(bad_key).size(), 200u);
  EXPECT_FALSE(has_control_characters(message_of(bad_key)));

  // Vhost and Domain that do not belong together.
  std::string vhost = "v\x07" + std::string(250, 'h');
  auto mismatch =
      get("DescribeLiveStreamState",
          {{"Vhost", vhost}, {"Domain", "push.two.example"}, {"App", "live"}, {"Stream", "s"}});
  EXPECT_EQ(mismatch.code(), "InvalidParam.Domain");
  EXPECT_LT(message_of(mismatch).size(), 250u) << message_of(mismatch);
  EXPECT_FALSE(has_control_characters(message_of(mismatch)));

  auto not_online = post("KillStream", {{"Vhost", vhost}, {"App", "live"}, {"Stream", "s"}});
  EXPECT_EQ(not_online.code(), "NotFound.Stream");
  EXPECT_LT(message_of(not_online).size(), 200u) << message_of(not_online);
  EXPECT_FALSE(has_control_characters(message_of(not_online)));
}

// The query parameters of a URL, decoded enough for ours (no escapes).
std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  const auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string rest = url.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return out;
}

TEST_F(ApiServiceTest, GeneratePushUrlSignsWithTheVhostsPushKey) {
  config_.vhosts[0].push_key = "push-key-one";
  const int64_t before = to_unix_ms(wall_now()) / 1000;
  auto r = post("GeneratePushURL",
                {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s1"}, {"ValidDuration", 3600}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  const auto& list = r.result().at("PushURLList").as_array();
  ASSERT_EQ(list.size(), 1u);
  const std::string url(list[0].as_string());
  // No Domain: the host the client reached the API at, the RTMP port.
  EXPECT_EQ(url.rfind("rtmp://127.0.0.1/live/s1?volcTime=", 0), 0u) << url;
  const auto params = query_of(url);
  EXPECT_EQ(params.at("vhost"), "vh1");
  const int64_t expiry = std::stoll(params.at("volcTime"));
  EXPECT_GE(expiry, before + 3600);
  EXPECT_LE(expiry, before + 3601);
  // The server's own check admits it under the push key, not the play key.
  EXPECT_EQ(manage::verify_url_signature(params, "live", "s1", {"push-key-one"}, before).verdict,
            manage::SignatureVerdict::kValid);
  EXPECT_EQ(manage::verify_url_signature(params, "live", "s2", {"push-key-one"}, before).verdict,
            manage::SignatureVerdict::kMismatch);
  const auto& detail = r.result().at("PushURLListDetail").as_array()[0].as_object();
  EXPECT_EQ(detail.at("URL").as_string(), url);
  EXPECT_EQ(detail.at("DomainApp").as_string(), "rtmp://127.0.0.1/live/");
  EXPECT_EQ(std::string(detail.at("DomainApp").as_string()) +
                std::string(detail.at("StreamSign").as_string()),
            url);
  EXPECT_TRUE(r.result().at("RtmpOverSrtURLList").as_array().empty());
  // The C++ SDK reads the server's own answer.
  const auto typed = sdk::parse_generate_push_url(200, json::serialize(r.body));
  ASSERT_EQ(typed.push_url_list.size(), 1u);
  EXPECT_EQ(typed.push_url_list[0], url);
  ASSERT_EQ(typed.push_url_list_detail.size(), 1u);
  EXPECT_EQ(typed.push_url_list_detail[0].domain_app, "rtmp://127.0.0.1/live/");
}

TEST_F(ApiServiceTest, GeneratePushUrlWithADomainPointsThere) {
  config_.vhosts[0].push_key = "push-key-one";
  auto r =
      post("GeneratePushURL", {{"Domain", "push.one.example"}, {"App", "live"}, {"Stream", "s"}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  const std::string url(r.result().at("PushURLList").as_array()[0].as_string());
  EXPECT_EQ(url.rfind("rtmp://push.one.example/live/s?volcTime=", 0), 0u) << url;
  const auto params = query_of(url);
  EXPECT_EQ(params.at("domain"), "push.one.example");
  // Default lifetime: 7 days.
  const int64_t now = to_unix_ms(wall_now()) / 1000;
  EXPECT_NEAR(static_cast<double>(std::stoll(params.at("volcTime"))), now + 7 * 86400.0, 2.0);
}

TEST_F(ApiServiceTest, GeneratePlayUrlSignsWithThePlayKeyAndListsEachProtocol) {
  config_.vhosts[0].push_key = "push-key-one";
  config_.vhosts[0].play_key = "play-key-one";
  config_.hls.enabled = true;
  const auto expired = wall_now() + 2h;
  const int64_t expiry = to_unix_ms(expired) / 1000;
  // ExpiredTime wins over ValidDuration (Volcengine's rule).
  auto r = post("GeneratePlayURL", {{"Vhost", "vh1"},
                                    {"App", "live"},
                                    {"Stream", "s1"},
                                    {"ValidDuration", 60},
                                    {"ExpiredTime", format_rfc3339_s(expired)}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  const auto& list = r.result().at("URLList").as_array();
  ASSERT_EQ(list.size(), 3u);
  std::vector<std::string> protocols;
  for (const auto& item : list) {
    const auto& o = item.as_object();
    protocols.emplace_back(o.at("Protocol").as_string());
    EXPECT_EQ(o.at("CDN").as_string(), "fcdn");
    EXPECT_EQ(o.at("Type").as_string(), "pull");
    const auto params = query_of(std::string(o.at("URL").as_string()));
    EXPECT_EQ(std::stoll(params.at("volcTime")), expiry);
    EXPECT_EQ(manage::verify_url_signature(params, "live", "s1", {"play-key-one"}, expiry).verdict,
              manage::SignatureVerdict::kValid);
  }
  EXPECT_EQ(protocols, (std::vector<std::string>{"rtmp", "flv", "hls"}));
  const auto typed = sdk::parse_generate_play_url(200, json::serialize(r.body));
  ASSERT_EQ(typed.url_list.size(), 3u);
  EXPECT_EQ(typed.url_list[2].protocol, "hls");
  EXPECT_EQ(typed.url_list[2].url, list[2].at("URL").as_string());
  EXPECT_EQ(
      std::string(list[1].at("URL").as_string()).rfind("http://127.0.0.1:8080/live/s1.flv?", 0),
      0u);
  EXPECT_EQ(
      std::string(list[2].at("URL").as_string()).rfind("http://127.0.0.1:8080/live/s1.m3u8?", 0),
      0u);
  config_.hls.enabled = false;
  auto without_hls = post("GeneratePlayURL", {{"Vhost", "vh1"}, {"App", "live"}, {"Stream", "s1"}});
  EXPECT_EQ(without_hls.result().at("URLList").as_array().size(), 2u);
}

TEST_F(ApiServiceTest, AnIpv6DomainIsBracketedInTheUrl) {
  auto r = post("GeneratePushURL", {{"Domain", "2001:db8::1"}, {"App", "live"}, {"Stream", "s"}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  EXPECT_EQ(r.result().at("PushURLList").as_array()[0].as_string(),
            "rtmp://[2001:db8::1]/live/s?domain=2001:db8::1");
}

TEST_F(ApiServiceTest, GeneratedUrlsUseTheSecondaryKeyWhenThereIsNoPrimary) {
  config_.vhosts[1].play_key_secondary = "play-key-two-b";
  auto r = post("GeneratePlayURL", {{"Vhost", "vh2"}, {"App", "live"}, {"Stream", "s"}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  const auto params =
      query_of(std::string(r.result().at("URLList").as_array()[0].at("URL").as_string()));
  EXPECT_EQ(manage::verify_url_signature(params, "live", "s", {"play-key-two-b"},
                                         std::stoll(params.at("volcTime")))
                .verdict,
            manage::SignatureVerdict::kValid);
}

TEST_F(ApiServiceTest, GeneratedUrlsOfAVhostWithoutKeysAreUnsigned) {
  auto r = post("GeneratePlayURL", {{"Vhost", "vh2"}, {"App", "live"}, {"Stream", "s"}});
  ASSERT_EQ(r.status, 200u) << json::serialize(r.body);
  EXPECT_EQ(r.result().at("URLList").as_array()[0].at("URL").as_string(),
            "rtmp://127.0.0.1/live/s?vhost=vh2");
}

TEST_F(ApiServiceTest, GenerateUrlParametersAreValidated) {
  const auto now = wall_now();
  auto push = [&](json::object body) {
    body.emplace("Vhost", "vh1");
    if (!body.contains("App")) body.emplace("App", "live");
    if (!body.contains("Stream")) body.emplace("Stream", "s");
    return post("GeneratePushURL", body);
  };
  EXPECT_EQ(push({{"ValidDuration", 0}}).code(), "InvalidParam.ValidDuration");
  EXPECT_EQ(push({{"ValidDuration", -5}}).code(), "InvalidParam.ValidDuration");
  EXPECT_EQ(push({{"ValidDuration", 3650LL * 86400 + 1}}).code(), "InvalidParam.ValidDuration");
  EXPECT_EQ(push({{"ValidDuration", "soon"}}).code(), "InvalidParam.ValidDuration");
  EXPECT_EQ(push({{"ExpiredTime", "tomorrow"}}).code(), "InvalidParam.ExpiredTime");
  EXPECT_EQ(push({{"ExpiredTime", format_rfc3339_s(now - 1h)}}).code(), "InvalidParam.ExpiredTime");
  EXPECT_EQ(push({{"ExpiredTime", format_rfc3339_s(now + 24h * 3651)}}).code(),
            "InvalidParam.ExpiredTime");
  EXPECT_EQ(push({{"App", "a/b"}}).code(), "InvalidParam.App");
  EXPECT_EQ(post("GeneratePushURL", {{"Vhost", "vh1"}, {"Stream", "s"}}).code(),
            "InvalidParam.App");
  EXPECT_EQ(post("GeneratePushURL", {{"Vhost", "vh1"}, {"App", "live"}}).code(),
            "InvalidParam.Stream");
  EXPECT_EQ(post("GeneratePushURL", {{"App", "live"}, {"Stream", "s"}}).code(),
            "InvalidParam.Vhost");
  const auto bad = push({{"ValidDuration", 0}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("ResponseMetadata").at("Error").at("CodeN").as_int64(), 400001);
  auto play = [&](json::object body) {
    body.emplace("Vhost", "vh1");
    body.emplace("App", "live");
    body.emplace("Stream", "s");
    return post("GeneratePlayURL", body);
  };
  EXPECT_EQ(play({{"Suffix", "_hd"}}).code(), "InvalidParam.Suffix");
  EXPECT_EQ(play({{"StreamType", "abr"}}).code(), "InvalidParam.StreamType");
  EXPECT_EQ(play({{"Type", "other"}}).code(), "InvalidParam.Type");
  EXPECT_EQ(play({{"Type", "3rd"}}).result().at("URLList").as_array()[0].at("CDN").as_string(),
            "3rd");
}

}  // namespace
}  // namespace sluice::api
