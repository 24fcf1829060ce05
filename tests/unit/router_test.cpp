#include <gtest/gtest.h>

#include <stdexcept>

#include "base/coroutine_warnings.hpp"
#include "http/path_pattern.hpp"
#include "http/play_request.hpp"
#include "http/route_set.hpp"

namespace sluice::http {
namespace {

boost::asio::awaitable<Response> ok(const RequestContext&) {
  co_return Response{};
}

class NullStream : public StreamingHandler {
 public:
  boost::asio::awaitable<void> run(boost::asio::ip::tcp::socket&) override { co_return; }
  void close(const std::string&) override {}
};

std::shared_ptr<StreamingHandler> stream(const RequestContext&) {
  return std::make_shared<NullStream>();
}

RouteSet sample_routes() {
  RouteSet routes("test", [](const HttpError&) { return Response{}; });
  routes.add({Verb::get, Verb::post}, "/", ok);
  routes.add({Verb::get}, "/healthz", ok);
  routes.add({Verb::get, Verb::head}, "/{app}/{stream*}.flv", stream);
  return routes;
}

TEST(PathPatternTest, ExactPathMatchesOnlyItself) {
  PathPattern pattern("/healthz");
  EXPECT_TRUE(pattern.match("/healthz"));
  EXPECT_FALSE(pattern.match("/healthz/"));
  EXPECT_FALSE(pattern.match("/healthzz"));
  EXPECT_FALSE(pattern.match("/"));
  EXPECT_FALSE(pattern.match(""));
}

TEST(PathPatternTest, PlaceholdersAreExtracted) {
  PathPattern pattern("/{app}/{stream*}.flv");
  auto params = pattern.match("/live/cam1.flv");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->get("app"), "live");
  EXPECT_EQ(params->get("stream"), "cam1");
  EXPECT_EQ(params->get("other"), "");
  EXPECT_EQ(params->size(), 2u);
}

TEST(PathPatternTest, FlvPatternSplitsAsThePlayTargetAlwaysDid) {
  // App: up to the first '/'; stream: the rest without ".flv", '/' and
  // empty included, so the handler (not the router) refuses a bad name.
  PathPattern pattern("/{app}/{stream*}.flv");
  auto nested = pattern.match("/live/a/b.flv");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->get("app"), "live");
  EXPECT_EQ(nested->get("stream"), "a/b");
  auto doubled = pattern.match("/live/x.flv.flv");
  ASSERT_TRUE(doubled);
  EXPECT_EQ(doubled->get("stream"), "x.flv");
  auto empty = pattern.match("//.flv");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->get("app"), "");
  EXPECT_EQ(empty->get("stream"), "");
  EXPECT_FALSE(pattern.match("/x.flv"));
  EXPECT_FALSE(pattern.match("/live/x.flvx"));
  EXPECT_FALSE(pattern.match("/live/x.mp4"));
}

TEST(PathPatternTest, SingleSegmentPlaceholderStopsAtSlash) {
  PathPattern pattern("/hls/{stream}/index.m3u8");
  auto params = pattern.match("/hls/cam/index.m3u8");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->get("stream"), "cam");
  EXPECT_FALSE(pattern.match("/hls/a/b/index.m3u8"));
  PathPattern tail("/files/{name}");
  EXPECT_TRUE(tail.match("/files/x"));
  EXPECT_FALSE(tail.match("/files/x/y"));
}

TEST(PathPatternTest, LongPathsMatchQuickly) {
  // Backtracking only to the next literal's occurrences: no blow-up.
  PathPattern pattern("/{app}/{stream*}.flv");
  std::string path = "/a/";
  for (int i = 0; i < 4000; ++i) path += ".fl";
  EXPECT_FALSE(pattern.match(path));
  path += ".flv";
  EXPECT_TRUE(pattern.match(path));
}

TEST(PathPatternTest, BadPatternsAreRefused) {
  EXPECT_THROW(PathPattern("healthz"), std::invalid_argument);
  EXPECT_THROW(PathPattern(""), std::invalid_argument);
  EXPECT_THROW(PathPattern("/{app"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/{}"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/{a}{b}"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/a}"), std::invalid_argument);
}

TEST(RouteSetTest, FindsTheRouteForMethodAndPath) {
  const auto routes = sample_routes();
  auto root = routes.match(Verb::post, "/");
  ASSERT_NE(root.route, nullptr);
  EXPECT_EQ(root.route->pattern.text(), "/");
  EXPECT_TRUE(std::holds_alternative<OrdinaryHandler>(root.route->handler));

  auto flv = routes.match(Verb::head, "/live/s.flv");
  ASSERT_NE(flv.route, nullptr);
  EXPECT_TRUE(std::holds_alternative<StreamingFactory>(flv.route->handler));
  EXPECT_EQ(flv.params.get("app"), "live");
  EXPECT_EQ(flv.params.get("stream"), "s");
}

TEST(RouteSetTest, UnknownPathIsNotFound) {
  const auto routes = sample_routes();
  for (const auto* path : {"/nope", "/healthz/", "/live/s.mp4", "", "/x.flv"}) {
    auto match = routes.match(Verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_EQ(match.allow, "") << path;
  }
}

TEST(RouteSetTest, WrongMethodListsTheAllowedOnes) {
  const auto routes = sample_routes();
  auto put = routes.match(Verb::put, "/");
  EXPECT_EQ(put.route, nullptr);
  EXPECT_EQ(put.allow, "GET, POST");
  auto post = routes.match(Verb::post, "/live/s.flv");
  EXPECT_EQ(post.allow, "GET, HEAD");
  auto head = routes.match(Verb::head, "/healthz");
  EXPECT_EQ(head.allow, "GET");
}

TEST(RouteSetTest, FirstMatchingRouteWinsAndAllowJoinsTheOthers) {
  RouteSet routes("test", [](const HttpError&) { return Response{}; });
  routes.add({Verb::get}, "/{name}", ok);
  routes.add({Verb::get, Verb::delete_}, "/special", ok);
  auto get = routes.match(Verb::get, "/special");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->pattern.text(), "/{name}");
  auto del = routes.match(Verb::delete_, "/special");
  ASSERT_NE(del.route, nullptr);
  EXPECT_EQ(del.route->pattern.text(), "/special");
  auto put = routes.match(Verb::put, "/special");
  EXPECT_EQ(put.allow, "GET, DELETE");
}

TEST(RequestTargetTest, StrictSplitsAndDecodes) {
  auto target = split_target("/live/a%20b.flv?vhost=x&y=%41", true);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/live/a b.flv");
  EXPECT_EQ(target->query, "vhost=x&y=%41");
  EXPECT_EQ(split_target("/", true)->path, "/");
  EXPECT_FALSE(split_target("/a|b?x=%zz", true));
}

TEST(RequestTargetTest, LenientTakesThePathAsSent) {
  for (const bool strict : {true, false}) {
    EXPECT_FALSE(split_target("*", strict));
    EXPECT_FALSE(split_target("http://example.com/", strict));
    EXPECT_FALSE(split_target("", strict));
  }
  auto lenient = split_target("/a|b%20?x=%zz?y", false);
  ASSERT_TRUE(lenient);
  EXPECT_EQ(lenient->path, "/a|b%20");
  EXPECT_EQ(lenient->query, "x=%zz?y");
}

TEST(PlayTargetTest, SplitsAnFlvTargetAsTheMediaRouteDoes) {
  auto play = parse_play_target("/live/cam%201.flv?vhost=a.example&token=x");
  EXPECT_EQ(play.kind, PlayTarget::Kind::kFlv);
  EXPECT_EQ(play.app, "live");
  EXPECT_EQ(play.stream, "cam 1");
  EXPECT_EQ(play.query, "vhost=a.example&token=x");
  EXPECT_EQ(parse_play_target("/%2e%2e/x.flv").app, "..");
  EXPECT_EQ(parse_play_target("/live/x.mp4").kind, PlayTarget::Kind::kOther);
  EXPECT_EQ(parse_play_target("/x.flv").kind, PlayTarget::Kind::kOther);
  EXPECT_EQ(parse_play_target("http://h/live/x.flv").kind, PlayTarget::Kind::kMalformed);
  EXPECT_EQ(parse_play_target("/live/a|b.flv").kind, PlayTarget::Kind::kMalformed);
  EXPECT_EQ(host_without_port("example.com:8080"), "example.com");
  EXPECT_EQ(host_without_port("[::1]:8080"), "::1");
}

}  // namespace
}  // namespace sluice::http
