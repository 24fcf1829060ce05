#include "sign/signer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "base/sha256.hpp"
#include "fixtures.hpp"

namespace sluice::sign {
namespace {

boost::json::object load_vectors() {
  return boost::json::parse(test::read_fixture_text("sign/sign-vectors.json")).as_object();
}

struct Captured {
  std::string name, method, raw_path, body, expected;
  Headers headers;
};

std::vector<Captured> vectors() {
  std::vector<Captured> out;
  const auto doc = load_vectors();  // a range-for would not keep a temporary alive
  for (const auto& v : doc.at("vectors").as_array()) {
    const auto& o = v.as_object();
    Captured c{std::string(o.at("name").as_string()),     std::string(o.at("method").as_string()),
               std::string(o.at("raw_path").as_string()), std::string(o.at("body").as_string()),
               std::string(o.at("expected").as_string()), {}};
    for (const auto& h : o.at("headers").as_array()) {
      c.headers.emplace_back(std::string(h.as_array()[0].as_string()),
                             std::string(h.as_array()[1].as_string()));
    }
    out.push_back(std::move(c));
  }
  return out;
}

// What a server does with a request as received: rebuild and sign.
std::string server_authorization(const Captured& c, std::string_view secret,
                                 const Authorization& auth) {
  CanonicalInput in;
  in.method = c.method;
  auto q = c.raw_path.find('?');
  in.path = c.raw_path.substr(0, q);
  in.query = decode_query(q == std::string::npos ? "" : std::string_view(c.raw_path).substr(q + 1));
  in.headers = c.headers;
  in.signed_headers = auth.signed_headers;
  in.body_sha256_hex = sha256_hex(c.body);
  std::string x_date;
  for (const auto& [k, v] : c.headers) {
    if (k == "X-Date") x_date = v;
  }
  return authorization(auth.access_key, auth.scope, auth.signed_headers,
                       signature(secret, x_date, auth.scope, in));
}

TEST(Signer, SigningKeyMatchesTheContract) {
  auto doc = load_vectors();
  Scope scope{"20240101", "cn-north-1", "live"};
  EXPECT_EQ(to_hex(signing_key(std::string(doc.at("secret_key").as_string()), scope)),
            std::string(doc.at("signing_key_hex_20240101").as_string()));
}

TEST(Signer, AllSixCapturedSdkRequestsVerify) {
  auto doc = load_vectors();
  std::string secret(doc.at("secret_key").as_string());
  auto all = vectors();
  ASSERT_EQ(all.size(), 6u);
  for (const auto& c : all) {
    auto auth = parse_authorization(c.expected);
    ASSERT_TRUE(auth) << c.name;
    EXPECT_EQ(server_authorization(c, secret, *auth), c.expected) << c.name;
  }
}

class SignerTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    auto doc = load_vectors();
    secret = std::string(doc.at("secret_key").as_string());
    all = vectors();
  }
  bool verifies(const Captured& c, std::string_view with_secret) {
    auto auth = parse_authorization(c.expected);
    return auth && server_authorization(c, with_secret, *auth) == c.expected;
  }
  std::string secret;
  std::vector<Captured> all;
};

TEST_F(SignerTamper, TamperedBodyFails) {
  Captured c = all[1];  // node POST ForbidStream
  ASSERT_TRUE(verifies(c, secret));
  c.body.replace(c.body.find("test"), 4, "tesT");
  EXPECT_FALSE(verifies(c, secret));
}

TEST_F(SignerTamper, WrongSecretFails) {
  EXPECT_FALSE(verifies(all[0], secret + "x"));
}

TEST_F(SignerTamper, ChangedQueryFails) {
  Captured c = all[0];
  c.raw_path.replace(c.raw_path.find("Stream=test"), 11, "Stream=tesu");
  EXPECT_FALSE(verifies(c, secret));
}

TEST_F(SignerTamper, DifferentDateFails) {
  Captured c = all[0];
  for (auto& [k, v] : c.headers) {
    if (k == "X-Date") v = "20240101T000001Z";
  }
  EXPECT_FALSE(verifies(c, secret));
}

TEST_F(SignerTamper, ReorderedWireQueryStillVerifies) {
  // Python sends the query unsorted; the canonical form sorts it.
  Captured c = all[3];
  c.raw_path =
      "/?Stream=test&App=live&Vhost=vhost.example.com&Version=2023-01-01&Action="
      "DescribeLiveStreamState";
  EXPECT_TRUE(verifies(c, secret));
}

TEST(SignerEncoding, Rfc3986AndFormDecoding) {
  EXPECT_EQ(uri_encode("my stream+1*é"), "my%20stream%2B1%2A%C3%A9");
  EXPECT_EQ(uri_encode("A-z_0.9~"), "A-z_0.9~");
  auto p = decode_query("a=my+stream%2B1%2A%C3%A9&b=my%20stream%2B1*%C3%A9&c=&d&e=%zz");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].second, "my stream+1*é");
  EXPECT_EQ(p[1].second, "my stream+1*é");
  EXPECT_EQ(p[2].second, "");
  EXPECT_EQ(p[3].first, "d");
  EXPECT_EQ(p[4].second, "%zz");
  EXPECT_EQ(canonical_query({{"b", "2"}, {"a", "x y"}, {"a", "1"}}), "a=1&a=x%20y&b=2");
}

TEST(SignerAuthorization, ParsesAndRejectsMalformed) {
  auto a = parse_authorization(
      "HMAC-SHA256 Credential=AK/20240101/cn-north-1/live/request, SignedHeaders=X-Date;host, "
      "Signature=ab");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->algorithm, "HMAC-SHA256");
  EXPECT_EQ(a->access_key, "AK");
  EXPECT_EQ(a->scope.region, "cn-north-1");
  EXPECT_EQ(a->terminator, "request");
  EXPECT_EQ(a->signed_headers, (std::vector<std::string>{"x-date", "host"}));
  EXPECT_FALSE(parse_authorization("HMAC-SHA256"));
  EXPECT_FALSE(parse_authorization(
      "HMAC-SHA256 Credential=AK/20240101/cn-north-1/live, SignedHeaders=x, Signature=a"));
  EXPECT_FALSE(parse_authorization("HMAC-SHA256 SignedHeaders=x-date, Signature=ab"));
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "ab"));
}

}  // namespace
}  // namespace sluice::sign
