#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/actions.hpp"
#include "api/api_error.hpp"
#include "api/stream_address.hpp"

namespace sluice::api {
namespace {

constexpr int64_t kMaxPageSize = 1000;

store::PageRequest page_of(const Params& p) {
  return {static_cast<uint32_t>(p.required_integer("PageNum", 1, 1'000'000'000)),
          static_cast<uint32_t>(p.required_integer("PageSize", 1, kMaxPageSize))};
}

// Vhost/Domain (optional, consistent), App, Stream and QueryType.
store::NameFilter names_of(const Params& p, const config::Config& config) {
  store::NameFilter f;
  if (auto v = optional_vhost(p, config)) f.vhost = v->vhost;
  f.app = p.filter("App", 30);
  f.stream = p.filter("Stream", 100);
  f.stream_match = p.choice("QueryType", {"strict", "fuzzy"}, "strict") == "fuzzy"
                       ? store::MatchMode::kFuzzy
                       : store::MatchMode::kStrict;
  return f;
}

store::SortOrder sort_of(const Params& p) {
  return p.choice("Sort", {"asc", "desc"}, "desc") == "asc" ? store::SortOrder::kAsc
                                                            : store::SortOrder::kDesc;
}

boost::json::object page_result(uint64_t total, boost::json::array items) {
  return {{"RoughCount", total}, {"StreamInfoList", std::move(items)}};
}

}  // namespace

boost::asio::awaitable<ActionResult> describe_live_stream_info_by_page(Params p,
                                                                       ActionContext context) {
  manage::OnlineQuery q;
  q.page = page_of(p);
  q.names = names_of(p, context.control.config());
  q.stream_type = p.optional_choice("StreamType", {"origin", "trans"});
  q.source_type = p.optional_choice("SourceType", {"push", "relay"});
  auto task = context.control.online(q);
  auto page = co_await std::move(task);
  boost::json::array list;
  for (const auto& s : page.items) {
    list.push_back({{"ID", s.id},
                    {"Vhost", s.vhost},
                    {"Domain", s.domain},
                    {"App", s.app},
                    {"Stream", s.stream},
                    {"SessionStartTime", format_rfc3339_ms(s.start_time)},
                    {"SourceType", s.source_type},
                    {"StreamType", "origin"},
                    {"ClientAddress", s.client_address},
                    {"BytesIn", s.bytes_in},
                    {"Viewers", s.viewers}});
  }
  co_return page_result(page.total, std::move(list));
}

boost::asio::awaitable<ActionResult> describe_closed_stream_info_by_page(Params p,
                                                                         ActionContext context) {
  store::ClosedStreamQuery q;
  q.page = page_of(p);
  q.end_from = p.required_time("EndTimeFrom");
  q.end_to = p.required_time("EndTimeTo");
  if (q.end_to < q.end_from)
    throw ApiError::invalid_param("EndTimeTo", "EndTimeTo must not be before EndTimeFrom");
  q.names = names_of(p, context.control.config());
  q.sort = sort_of(p);
  q.source_type = p.optional_choice("SourceType", {"push", "relay"});
  auto task = context.control.history(q);
  auto page = co_await std::move(task);
  boost::json::array list;
  for (const auto& c : page.items) {
    list.push_back({{"Vhost", c.vhost},
                    {"Domain", c.domain},
                    {"App", c.app},
                    {"Stream", c.stream},
                    {"StartTime", format_rfc3339_s(c.start_time)},
                    {"EndTime", format_rfc3339_s(c.end_time)},
                    {"SourceType", c.source_type},
                    {"EndReason", std::string(store::to_string(c.reason))},
                    {"BytesIn", c.bytes_in}});
  }
  co_return page_result(page.total, std::move(list));
}

boost::asio::awaitable<ActionResult> describe_forbidden_stream_info_by_page(Params p,
                                                                            ActionContext context) {
  store::ForbidQuery q;
  q.page = page_of(p);
  q.names = names_of(p, context.control.config());
  q.sort = sort_of(p);
  auto task = context.control.forbidden(q);
  auto page = co_await std::move(task);
  boost::json::array list;
  for (const auto& f : page.items) {
    list.push_back({{"Vhost", f.vhost},
                    {"Domain", f.domain},
                    {"App", f.app},
                    {"Stream", f.stream},
                    {"CreateTime", format_rfc3339_s(f.create_time)},
                    {"EndTime", format_rfc3339_s(f.end_time)},
                    {"Status", true}});
  }
  co_return page_result(page.total, std::move(list));
}

}  // namespace sluice::api
