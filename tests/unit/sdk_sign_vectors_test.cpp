// The SDK's own signing path against the requests Volcengine's SDKs were
// captured sending (tests/fixtures/sign/sign-vectors.json): for a frozen clock the
// Authorization header is the captured one, byte for byte.
//   V1–V3 (Node.js SDK): typed LiveService calls with
//     SignedHeaders::kDateAndBody, as they arrive at a loopback server.
//   V4–V6 (Python SDK): LiveService::prepare with the default coverage (the
//     Python SDK signs Host, so the port must be the captured one).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "sdk_test_support.hpp"
#include "test_clock.hpp"

namespace sluice {
namespace {

using namespace sdk_test;
using test_clock::new_year_2024;

struct Vector {
  std::string name, method, raw_path, body, expected;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct Vectors {
  std::string access_key, secret_key;
  std::map<std::string, Vector> by_id;  // "V1" ... "V6"
};

Vectors load_vectors() {
  const auto doc = boost::json::parse(test::read_fixture_text("sign/sign-vectors.json")).as_object();
  Vectors out;
  out.access_key = doc.at("access_key").as_string();
  out.secret_key = doc.at("secret_key").as_string();
  for (const auto& item : doc.at("vectors").as_array()) {
    const auto& o = item.as_object();
    Vector v;
    v.name = o.at("name").as_string();
    v.method = o.at("method").as_string();
    v.raw_path = o.at("raw_path").as_string();
    v.body = o.at("body").as_string();
    v.expected = o.at("expected").as_string();
    for (const auto& header : o.at("headers").as_array()) {
      v.headers[lower(std::string(header.as_array()[0].as_string()))] =
          header.as_array()[1].as_string();
    }
    out.by_id[v.name.substr(0, v.name.find(' '))] = v;
  }
  return out;
}

sign::Params wire_query(const std::string& raw_path_or_target) {
  return sign::decode_query(raw_path_or_target.substr(raw_path_or_target.find('?') + 1));
}

// Sorted by name: the order the canonical query has, whatever the wire order.
sign::Params sorted(sign::Params p) {
  std::sort(p.begin(), p.end());
  return p;
}

class NodeSdkVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    vectors_ = load_vectors();
    ASSERT_EQ(vectors_.by_id.size(), 6u);
  }

  // A LiveService signing like the Node.js SDK, aimed at `server`.
  LiveService node_style(const FakeServer& server) {
    LiveService live = client(server);
    live.set_credentials(vectors_.access_key, vectors_.secret_key);
    live.set_clock(new_year_2024);
    live.set_signed_headers(SignedHeaders::kDateAndBody);
    return live;
  }

  // The one request `call` sends from a Node-style LiveService (or one with
  // `coverage`) to a loopback server that answers with `result`.
  template <class Call>
  Received sent_by(const std::string& result, Call call,
                   SignedHeaders coverage = SignedHeaders::kDateAndBody) {
    FakeServer server(http_reply(200, ok(result)));
    auto live = node_style(server);
    live.set_signed_headers(coverage);
    call(live);
    auto got = server.received();
    EXPECT_EQ(got.size(), 1u);
    return got.empty() ? Received{} : got[0];
  }

  // What arrived is what the Node.js SDK sent for vector `id`: the same
  // parameters, body, signing headers and Authorization.
  void expect_matches(const std::string& id, const Received& got) {
    const Vector& v = vectors_.by_id.at(id);
    EXPECT_EQ(got.method, v.method) << v.name;
    EXPECT_EQ(sorted(wire_query(got.target)), sorted(wire_query(v.raw_path))) << v.name;
    EXPECT_EQ(got.body, v.body) << v.name;
    EXPECT_EQ(got.headers.at("x-date"), v.headers.at("x-date")) << v.name;
    EXPECT_EQ(got.headers.count("x-content-sha256"), v.headers.count("x-content-sha256")) << v.name;
    if (v.headers.count("x-content-sha256")) {
      EXPECT_EQ(got.headers.at("x-content-sha256"), v.headers.at("x-content-sha256")) << v.name;
    }
    EXPECT_EQ(got.headers.at("authorization"), v.expected) << v.name;
    expect_verifies(got, vectors_.secret_key);
  }

  Vectors vectors_;
};

TEST_F(NodeSdkVectors, V1DescribeLiveStreamState) {
  expect_matches("V1",
                 sent_by(R"({"stream_state":"offline","type":"push"})", [](LiveService& live) {
                   live.describe_live_stream_state(
                       {.vhost = "vhost.example.com", .app = "live", .stream = "test"});
                 }));
}

TEST_F(NodeSdkVectors, V2ForbidStreamWithJsonBody) {
  expect_matches("V2", sent_by("", [](LiveService& live) {
                   live.forbid_stream({.vhost = "vhost.example.com",
                                       .app = "live",
                                       .stream = "test",
                                       .end_time = "2024-03-01T00:00:00.000Z"});
                 }));
}

TEST_F(NodeSdkVectors, V3ListWithSpacePlusStarAndNonAscii) {
  expect_matches("V3", sent_by(R"({"RoughCount":0,"StreamInfoList":[]})", [](LiveService& live) {
                   live.describe_live_stream_info_by_page({.page_num = 1,
                                                           .page_size = 10,
                                                           .app = "live",
                                                           .stream = "my stream+1*\xC3\xA9",
                                                           .query_type = "fuzzy"});
                 }));
}

TEST_F(NodeSdkVectors, DefaultCoverageSignsMoreSoDiffers) {
  // The same request as V1 with the default (Python SDK) coverage signs Host
  // and the body hash too: a different signature, so the option matters.
  Received got = sent_by(R"({"stream_state":"offline","type":"push"})",
                         [](LiveService& live) {
                           live.describe_live_stream_state(
                               {.vhost = "vhost.example.com", .app = "live", .stream = "test"});
                         },
                         SignedHeaders::kAll);
  EXPECT_NE(got.headers.at("authorization"), vectors_.by_id.at("V1").expected);
  EXPECT_NE(got.headers.at("authorization").find("SignedHeaders=host;x-content-sha256;x-date,"),
            std::string::npos);
  expect_verifies(got, vectors_.secret_key);
}

// The Python SDK's captured requests (V4, V5, V6), re-made with the SDK's
// own signing path: same signed headers, same Authorization, byte for byte.
TEST(PythonSdkVectors, PreparedRequestsReproduceV4ToV6) {
  const Vectors vectors = load_vectors();
  int checked = 0;
  for (const char* id : {"V4", "V5", "V6"}) {
    const Vector& v = vectors.by_id.at(id);
    auto wire = wire_query(v.raw_path);
    ASSERT_GE(wire.size(), 2u) << v.name;
    ASSERT_EQ(wire[0].first, "Action") << v.name;
    ASSERT_EQ(wire[1], (std::pair<std::string, std::string>{"Version", "2023-01-01"})) << v.name;
    sign::Params params(wire.begin() + 2, wire.end());

    LiveService live(v.headers.at("host"), vectors.access_key, vectors.secret_key);
    live.set_scheme("http");
    live.set_clock(new_year_2024);
    auto r = live.prepare(wire[0].second, v.method, params, v.body);
    std::map<std::string, std::string> h;
    for (const auto& [key, value] : r.headers) h[lower(key)] = value;
    EXPECT_EQ(h["authorization"], v.expected) << v.name;
    for (const auto& [key, value] : v.headers) EXPECT_EQ(h[key], value) << v.name << " " << key;
    EXPECT_EQ(r.body, v.body) << v.name;
    // The query sent decodes to the one the Python SDK sent, in its order.
    EXPECT_EQ(wire_query(r.url), wire) << v.name;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

}  // namespace
}  // namespace sluice
