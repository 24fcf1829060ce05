#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/field.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "base/coroutine_warnings.hpp"
#include "console/console_assets.hpp"
#include "console/console_routes.hpp"
#include "http/route_set.hpp"

namespace sluice::console {
namespace {

// 2024-01-01T00:00:00Z
const std::chrono::system_clock::time_point kStarted{std::chrono::seconds(1704067200)};

namespace bhttp = boost::beast::http;
using http::Request;
using http::Response;
using http::Verb;

const std::filesystem::path kConsoleDir = std::filesystem::path(SLUICE_SOURCE_DIR) / "console";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ConsoleRoutesTest : public ::testing::Test {
 protected:
  ConsoleRoutesTest()
      : routes_("api", [](const http::HttpError& error) {
          Response response{static_cast<bhttp::status>(error.status), 11};
          response.body() = "api error";
          return response;
        }) {
    add_console_routes(routes_, {8080, 1935, true, "cn-north-1", kStarted});
  }

  // The answer of the API listener's route set, as the session would get it
  // (the API reads targets leniently: the path is routed as sent).
  Response get(const std::string& target, const std::string& host = "127.0.0.1:1985",
               const std::string& if_none_match = "") {
    Request request{Verb::get, target, 11};
    request.set(bhttp::field::host, host);
    if (!if_none_match.empty()) request.set(bhttp::field::if_none_match, if_none_match);
    const auto split = http::split_target(target, routes_.strict_targets);
    if (!split) return Response{bhttp::status::bad_request, 11};
    const auto match = routes_.match(Verb::get, split->path);
    if (!match.route) return routes_.error_response({404, "no route", target});
    http::RequestContext context{request, split->path, split->query, match.params, "127.0.0.1:1"};
    boost::asio::io_context io;
    auto answer =
        boost::asio::co_spawn(io, std::get<http::OrdinaryHandler>(match.route->handler)(context),
                              boost::asio::use_future);
    io.run();
    return answer.get();
  }

  http::RouteSet routes_;
};

TEST_F(ConsoleRoutesTest, IndexIsTheEmbeddedFileWithAStrictPolicy) {
  const auto response = get("/console/");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response.body().view(), read_file(kConsoleDir / "index.html"));
  const std::string policy(response["Content-Security-Policy"]);
  EXPECT_TRUE(policy.starts_with("default-src 'self';")) << policy;
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("style-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("connect-src 'self' http://127.0.0.1:8080;"), std::string::npos) << policy;
  EXPECT_NE(policy.find("media-src 'self' blob:;"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response[bhttp::field::cache_control], "no-cache");
  EXPECT_EQ(get("/console/index.html").body().view(), response.body().view());
}

TEST_F(ConsoleRoutesTest, EveryConsoleFileIsServedWithItsType) {
  int served = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kConsoleDir)) {
    const auto name = entry.path().filename().string();
    const auto response = get("/console/" + name);
    ASSERT_EQ(response.result_int(), 200) << name;
    EXPECT_EQ(response.body().view(), read_file(entry.path())) << name;
    const std::map<std::string, std::string> types{{".js", "text/javascript; charset=utf-8"},
                                                   {".css", "text/css; charset=utf-8"},
                                                   {".html", "text/html; charset=utf-8"}};
    EXPECT_EQ(response[bhttp::field::content_type], types.at(entry.path().extension().string()))
        << name;
    EXPECT_FALSE(response["Content-Security-Policy"].empty()) << name;
    ++served;
  }
  EXPECT_GE(served, 4);
  EXPECT_EQ(content_type_for("x.unknown"), "application/octet-stream");
}

TEST_F(ConsoleRoutesTest, UnknownFilesAndTraversalAre404) {
  for (const std::string target :
       {"/console/nope.js", "/console/../CMakeLists.txt", "/console/%2e%2e/CMakeLists.txt",
        "/console/..%2fsrc/main.cpp", "/console//index.html", "/console/./index.html",
        "/console/INDEX.HTML", "/console/index.html/"}) {
    const auto response = get(target);
    EXPECT_EQ(response.result_int(), 404) << target;
    EXPECT_EQ(response["X-Content-Type-Options"], "nosniff") << target;
    EXPECT_EQ(response[bhttp::field::content_type], "text/plain; charset=utf-8") << target;
  }
  // Outside /console/ the API's own answers are untouched.
  EXPECT_EQ(get("/consolex").body().view(), "api error");
}

TEST_F(ConsoleRoutesTest, BareConsoleRedirectsToTheSlash) {
  const auto response = get("/console");
  EXPECT_EQ(response.result_int(), 301);
  EXPECT_EQ(response[bhttp::field::location], "/console/");
}

TEST_F(ConsoleRoutesTest, SameEtagGets304WithoutBody) {
  const auto first = get("/console/app.js");
  const std::string etag(first[bhttp::field::etag]);
  ASSERT_FALSE(etag.empty());
  const auto again = get("/console/app.js", "127.0.0.1:1985", etag);
  EXPECT_EQ(again.result_int(), 304);
  EXPECT_EQ(again.body().size(), 0u);
  EXPECT_EQ(get("/console/app.js", "127.0.0.1:1985", "\"other\"").result_int(), 200);
  EXPECT_NE(get("/console/style.css")[bhttp::field::etag], etag);
}

TEST_F(ConsoleRoutesTest, ServerJsonTellsThePortsAndHls) {
  const auto response = get("/console/server.json");
  EXPECT_EQ(response.result_int(), 200);
  const std::string prefix =
      R"({"version":")" SLUICE_VERSION
      R"(","media_port":8080,"rtmp_port":1935,"hls":true,"region":"cn-north-1",)"
      R"("started":"2024-01-01T00:00:00Z","uptime_s":)";
  const std::string body(response.body().view());
  ASSERT_EQ(body.substr(0, prefix.size()), prefix);
  // By the server's clock: from the start time to now, in whole seconds.
  const auto expected =
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() - kStarted).count();
  const long long uptime = std::stoll(body.substr(prefix.size()));
  EXPECT_GE(uptime, expected - 1);
  EXPECT_LE(uptime, expected);
  EXPECT_EQ(body.back(), '}');
  EXPECT_EQ(response[bhttp::field::cache_control], "no-store");
}

TEST(ConsoleServerJsonTest, ARegionThatIsNotAPlainNameIsLeftOut) {
  http::RouteSet routes("api", [](const http::HttpError&) { return Response{}; });
  add_console_routes(routes, {8080, 1935, false, "x\",\"y", kStarted});
  const auto match = routes.match(Verb::get, "/console/server.json");
  ASSERT_NE(match.route, nullptr);
  Request request{Verb::get, "/console/server.json", 11};
  http::RequestContext context{request, "/console/server.json", "", match.params, "peer"};
  boost::asio::io_context io;
  auto answer = boost::asio::co_spawn(
      io, std::get<http::OrdinaryHandler>(match.route->handler)(context), boost::asio::use_future);
  io.run();
  const std::string body(answer.get().body().view());
  EXPECT_EQ(body.substr(0, body.find(R"(,"started")")),
            R"({"version":")" SLUICE_VERSION R"(","media_port":8080,"rtmp_port":1935,"hls":false)");
}

TEST(ConsolePolicyTest, OnlyAPlainHostNameReachesThePolicy) {
  EXPECT_NE(content_security_policy("example.com:1985", 8080)
                .find("connect-src 'self' http://example.com:8080;"),
            std::string::npos);
  EXPECT_NE(content_security_policy("[::1]:1985", 8080).find("http://[::1]:8080;"),
            std::string::npos);
  for (const std::string hostile :
       {"evil; script-src *", "a b", "x'y", "[::1;]", "", "host\r\nX: y", "[zz]:1"}) {
    EXPECT_NE(content_security_policy(hostile, 8080).find("connect-src 'self';"), std::string::npos)
        << hostile;
  }
  EXPECT_NE(content_security_policy("example.com", 0).find("connect-src 'self';"),
            std::string::npos);
}

// The policy forbids inline script and style, and the pages render values
// as text: hold the console's files to both.
TEST(ConsoleFilesTest, NoInlineScriptStyleOrHtmlInjection) {
  for (const auto& entry : std::filesystem::directory_iterator(kConsoleDir)) {
    const auto text = read_file(entry.path());
    const auto name = entry.path().filename().string();
    EXPECT_EQ(text.find("innerHTML"), std::string::npos) << name;
    EXPECT_EQ(text.find("outerHTML"), std::string::npos) << name;
    EXPECT_EQ(text.find("insertAdjacentHTML"), std::string::npos) << name;
    EXPECT_EQ(text.find("document.write"), std::string::npos) << name;
    EXPECT_EQ(text.find("eval("), std::string::npos) << name;
    if (entry.path().extension() == ".html") {
      EXPECT_EQ(text.find("<script>"), std::string::npos) << name;
      EXPECT_EQ(text.find("<style"), std::string::npos) << name;
      EXPECT_EQ(text.find(" style="), std::string::npos) << name;
      EXPECT_FALSE(std::regex_search(text, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)))
          << name;  // onclick= and the like
    }
  }
  EXPECT_NE(find_asset("index.html"), nullptr);
  EXPECT_EQ(find_asset("../index.html"), nullptr);
}

}  // namespace
}  // namespace sluice::console
