// Volcengine-style URL signatures. The expected digests were computed
// independently with Python at authoring time, e.g.
//   hashlib.md5(b"/live/cam1primary-key1700000000").hexdigest()
#include "manage/url_signature.hpp"

#include <gtest/gtest.h>

#include <random>

namespace sluice::manage {
namespace {

constexpr int64_t kExpiry = 1700000000;
const std::vector<std::string> kKeys{"primary-key", "secondary-key"};

std::map<std::string, std::string> signed_params(std::string time, std::string secret) {
  return {{"volcTime", std::move(time)}, {"volcSecret", std::move(secret)}};
}

SignatureVerdict verdict(const std::map<std::string, std::string>& params,
                         int64_t now = kExpiry - 100,
                         const std::vector<std::string>& keys = kKeys) {
  return verify_url_signature(params, "live", "cam1", keys, now).verdict;
}

TEST(UrlSignature, IsTheDocumentedMd5InLowerCaseHex) {
  EXPECT_EQ(url_signature("live", "cam1", "primary-key", kExpiry),
            "b0c6129a55c62fa4673ebe27460dbd72");
  EXPECT_EQ(url_signature("live", "cam1", "secondary-key", kExpiry),
            "62be785cb91c693da72ec0583d5ab8ad");
  EXPECT_EQ(url_signature("live", "cam1", "primary-key", kExpiry + 1),
            "892c1dd4e00b846bfebe03bad162014c");
}

TEST(UrlSignature, EitherKeyIsAccepted) {
  EXPECT_EQ(verdict(signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72")),
            SignatureVerdict::kValid);
  EXPECT_EQ(verdict(signed_params("1700000000", "62be785cb91c693da72ec0583d5ab8ad")),
            SignatureVerdict::kValid);
  // Signed with the secondary, but only the primary is configured (rotated out).
  EXPECT_EQ(verdict(signed_params("1700000000", "62be785cb91c693da72ec0583d5ab8ad"), kExpiry - 1,
                    {"primary-key"}),
            SignatureVerdict::kMismatch);
}

TEST(UrlSignature, ExpiresAfterVolcTime) {
  const auto params = signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72");
  EXPECT_EQ(verdict(params, kExpiry - 1), SignatureVerdict::kValid);
  EXPECT_EQ(verdict(params, kExpiry), SignatureVerdict::kValid);
  EXPECT_EQ(verdict(params, kExpiry + 1), SignatureVerdict::kExpired);
  EXPECT_EQ(verify_url_signature(params, "live", "cam1", kKeys, kExpiry + 1).expiry_s, kExpiry);
}

TEST(UrlSignature, UpperCaseHexIsTheSameDigest) {
  EXPECT_EQ(verdict(signed_params("1700000000", "B0C6129A55C62FA4673EBE27460DBD72")),
            SignatureVerdict::kValid);
}

TEST(UrlSignature, ExtraParametersDoNotMatter) {
  auto params = signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72");
  params["vhost"] = "x";
  params["token"] = "anything";
  EXPECT_EQ(verdict(params), SignatureVerdict::kValid);
}

TEST(UrlSignature, SignsTheNameItWasGivenFor) {
  const auto params = signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72");
  EXPECT_EQ(verify_url_signature(params, "live", "cam2", kKeys, kExpiry).verdict,
            SignatureVerdict::kMismatch);
  EXPECT_EQ(verify_url_signature(params, "live2", "cam1", kKeys, kExpiry).verdict,
            SignatureVerdict::kMismatch);
  // The time is part of what is signed.
  EXPECT_EQ(verdict(signed_params("1700000001", "b0c6129a55c62fa4673ebe27460dbd72")),
            SignatureVerdict::kMismatch);
}

TEST(UrlSignature, MissingAndIncomplete) {
  EXPECT_EQ(verdict({}), SignatureVerdict::kMissing);
  EXPECT_EQ(verdict({{"other", "1"}}), SignatureVerdict::kMissing);
  EXPECT_EQ(verdict({{"volcTime", "1700000000"}}), SignatureVerdict::kIncomplete);
  EXPECT_EQ(verdict({{"volcSecret", "b0c6129a55c62fa4673ebe27460dbd72"}}),
            SignatureVerdict::kIncomplete);
}

TEST(UrlSignature, MalformedTimesAreRefused) {
  const std::string secret = "b0c6129a55c62fa4673ebe27460dbd72";
  for (const std::string& time :
       std::vector<std::string>{"", "-1", "+1700000000", "17e8", " 1700000000", "1700000000 ",
                                "0x10", std::string(40, '9'), std::string(19, '9'), "abc"}) {
    EXPECT_EQ(verdict(signed_params(time, secret)), SignatureVerdict::kMalformedTime) << time;
  }
}

TEST(UrlSignature, MalformedSecretsAreRefused) {
  for (const std::string& secret : std::vector<std::string>{
           "", "b0c6129a55c62fa4673ebe27460dbd7", "b0c6129a55c62fa4673ebe27460dbd722",
           "g0c6129a55c62fa4673ebe27460dbd72", std::string(64, 'a'), std::string(32, '\0')}) {
    EXPECT_EQ(verdict(signed_params("1700000000", secret)), SignatureVerdict::kMalformedSecret);
  }
}

TEST(UrlSignature, ArbitraryBytesNeverThrowOrPass) {
  std::mt19937 random(7);  // fixed seed: the same inputs every run
  for (int i = 0; i < 2000; ++i) {
    std::string time(random() % 24, '\0'), secret(random() % 40, '\0');
    for (auto& c : time) c = static_cast<char>(i % 2 ? '0' + random() % 10 : random() % 256);
    for (auto& c : secret) c = static_cast<char>(random() % 256);
    SignatureCheck check;
    EXPECT_NO_THROW(
        check = verify_url_signature(signed_params(time, secret), "live", "cam1", kKeys, kExpiry));
    EXPECT_NE(check.verdict, SignatureVerdict::kValid) << i;
  }
}

TEST(UrlSignature, NoKeysMatchesNothing) {
  EXPECT_EQ(verdict(signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72"), kExpiry, {}),
            SignatureVerdict::kMismatch);
  EXPECT_EQ(verdict(signed_params("1700000000", "b0c6129a55c62fa4673ebe27460dbd72"), kExpiry, {""}),
            SignatureVerdict::kMismatch);
}

}  // namespace
}  // namespace sluice::manage
