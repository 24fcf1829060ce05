// `sluice streams`, `sluice history`, `sluice forbidden`: the three paged
// lists, as a table (with an "N of M" footer) or, with --json, as the API's
// Result: {"RoughCount", "StreamInfoList"} (with --all: every page's items).
#include <chrono>
#include <iostream>
#include <memory>

#include "base/rfc3339.hpp"
#include "cli/commands.hpp"
#include "cli/connection.hpp"
#include "cli/json_call.hpp"
#include "cli/paging.hpp"
#include "cli/run_command.hpp"
#include "cli/table.hpp"
#include "cli/time_args.hpp"

namespace sluice::cli {
namespace {

struct FilterFlags {
  std::string vhost, domain, app, stream, source, type, sort;
  bool fuzzy = false;
};

struct ListFlags {
  ConnectionFlags connection;
  PagingFlags paging;
  FilterFlags filters;
  std::string from, to;  // history only
};

void add_filter_flags(CLI::App* command, FilterFlags& f, bool source, bool type, bool sort) {
  command->add_option("--vhost", f.vhost, "only this vhost");
  command->add_option("--domain", f.domain, "only this domain (mapped to its vhost)");
  command->add_option("--app", f.app, "only this app");
  command->add_option("--stream", f.stream,
                      "only this stream (with --fuzzy: streams containing it)");
  command->add_flag("--fuzzy", f.fuzzy, "match --stream as a substring");
  if (source)
    command->add_option("--source", f.source, "push or relay")
        ->check(CLI::IsMember({"push", "relay"}));
  if (type)
    command->add_option("--type", f.type, "origin or trans")
        ->check(CLI::IsMember({"origin", "trans"}));
  if (sort)
    command->add_option("--sort", f.sort, "asc or desc (default desc)")
        ->check(CLI::IsMember({"asc", "desc"}));
}

std::optional<std::string> opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// Filters (and paging) as GET query parameters for --json.
boost::json::object query_params(const FilterFlags& f, int64_t page, int64_t size) {
  boost::json::object p;
  p["PageNum"] = std::to_string(page);
  p["PageSize"] = std::to_string(size);
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) p[key] = value;
  };
  put("Vhost", f.vhost);
  put("Domain", f.domain);
  put("App", f.app);
  put("Stream", f.stream);
  put("SourceType", f.source);
  put("StreamType", f.type);
  put("Sort", f.sort);
  if (f.fuzzy) p["QueryType"] = "fuzzy";
  return p;
}

template <class Request>
void apply_common(Request& r, const FilterFlags& f, int64_t page, int64_t size) {
  r.page_num = page;
  r.page_size = size;
  r.vhost = opt(f.vhost);
  r.domain = opt(f.domain);
  r.app = opt(f.app);
  r.stream = opt(f.stream);
  if (f.fuzzy) r.query_type = "fuzzy";
}

// --json: {"RoughCount": N, "StreamInfoList": [...]}, the API's Result, with
// every page's items in one list (--all) and the last page's RoughCount.
int print_json_pages(Connection& c, const ListFlags& flags, const std::string& action,
                     const std::function<void(boost::json::object&)>& extra) {
  boost::json::object last_result;
  auto collected = collect_pages<boost::json::value>(flags.paging, [&](int64_t page, int64_t size) {
    auto params = query_params(flags.filters, page, size);
    extra(params);
    auto envelope = call_json(c.service, action, "GET", params);
    auto* result = envelope.if_contains("Result");
    if (!result || !result->is_object())
      throw LiveError(LiveError::Kind::kResponse, "the answer to " + action + " has no Result");
    last_result = result->get_object();
    int64_t rough = 0;
    if (auto* r = last_result.if_contains("RoughCount"); r && r->is_int64()) rough = r->get_int64();
    std::vector<boost::json::value> items;
    if (auto* list = last_result.if_contains("StreamInfoList"); list && list->is_array())
      items.assign(list->get_array().begin(), list->get_array().end());
    return std::make_pair(rough, std::move(items));
  });
  boost::json::object out;
  out["RoughCount"] = collected.rough_count;
  out["StreamInfoList"] = boost::json::array(collected.items.begin(), collected.items.end());
  print_json(std::cout, out);
  return 0;
}

int run_streams(const ListFlags& flags) {
  return run_command([&](std::string& endpoint_url) {
    auto c = connect(flags.connection);
    endpoint_url = c.endpoint.url();
    if (flags.connection.json)
      return print_json_pages(c, flags, "DescribeLiveStreamInfoByPage",
                              [](boost::json::object&) {});
    auto collected = collect_pages<LiveStreamInfo>(flags.paging, [&](int64_t page, int64_t size) {
      DescribeLiveStreamInfoByPageRequest r;
      apply_common(r, flags.filters, page, size);
      r.source_type = opt(flags.filters.source);
      r.stream_type = opt(flags.filters.type);
      auto response = c.service.describe_live_stream_info_by_page(r);
      return std::make_pair(response.rough_count, std::move(response.stream_info_list));
    });
    Table table({"ID", "VHOST", "DOMAIN", "APP", "STREAM", "SOURCE", "STARTED"});
    for (const auto& s : collected.items)
      table.add({std::to_string(s.id), s.vhost, s.domain, s.app, s.stream, s.source_type,
                 s.session_start_time});
    table.print(std::cout);
    std::cout << page_footer(flags.paging, static_cast<int64_t>(collected.items.size()),
                             collected.rough_count, collected.last_page)
              << " online\n";
    return 0;
  });
}

int run_history(const ListFlags& flags) {
  return run_command([&](std::string& endpoint_url) {
    const WallTime now = wall_now();
    const std::string from =
        parse_time_or_ago(flags.from.empty() ? std::string("24h") : flags.from, "--from", now);
    // Default: now, rounded up to the next second so that what just ended is in.
    const std::string to = flags.to.empty() ? format_rfc3339_s(now + std::chrono::seconds(1))
                                            : parse_time_or_ago(flags.to, "--to", now);
    auto c = connect(flags.connection);
    endpoint_url = c.endpoint.url();
    if (flags.connection.json) {
      return print_json_pages(c, flags, "DescribeClosedStreamInfoByPage",
                              [&](boost::json::object& p) {
                                p["EndTimeFrom"] = from;
                                p["EndTimeTo"] = to;
                              });
    }
    auto collected = collect_pages<ClosedStreamInfo>(flags.paging, [&](int64_t page, int64_t size) {
      DescribeClosedStreamInfoByPageRequest r;
      apply_common(r, flags.filters, page, size);
      r.end_time_from = from;
      r.end_time_to = to;
      r.source_type = opt(flags.filters.source);
      r.sort = opt(flags.filters.sort);
      auto response = c.service.describe_closed_stream_info_by_page(r);
      return std::make_pair(response.rough_count, std::move(response.stream_info_list));
    });
    Table table(
        {"VHOST", "DOMAIN", "APP", "STREAM", "SOURCE", "STARTED", "ENDED", "REASON", "BYTES IN"});
    for (const auto& s : collected.items) {
      table.add({s.vhost, s.domain, s.app, s.stream, s.source_type, s.start_time, s.end_time,
                 s.end_reason.value_or("-"), s.bytes_in ? std::to_string(*s.bytes_in) : "-"});
    }
    table.print(std::cout);
    std::cout << page_footer(flags.paging, static_cast<int64_t>(collected.items.size()),
                             collected.rough_count, collected.last_page)
              << " ended between " << from << " and " << to << "\n";
    return 0;
  });
}

int run_forbidden(const ListFlags& flags) {
  return run_command([&](std::string& endpoint_url) {
    auto c = connect(flags.connection);
    endpoint_url = c.endpoint.url();
    if (flags.connection.json)
      return print_json_pages(c, flags, "DescribeForbiddenStreamInfoByPage",
                              [](boost::json::object&) {});
    auto collected =
        collect_pages<ForbiddenStreamInfo>(flags.paging, [&](int64_t page, int64_t size) {
          DescribeForbiddenStreamInfoByPageRequest r;
          apply_common(r, flags.filters, page, size);
          r.sort = opt(flags.filters.sort);
          auto response = c.service.describe_forbidden_stream_info_by_page(r);
          return std::make_pair(response.rough_count, std::move(response.stream_info_list));
        });
    Table table({"VHOST", "DOMAIN", "APP", "STREAM", "SINCE", "UNTIL"});
    for (const auto& s : collected.items)
      table.add({s.vhost, s.domain, s.app, s.stream, s.create_time, s.end_time});
    table.print(std::cout);
    std::cout << page_footer(flags.paging, static_cast<int64_t>(collected.items.size()),
                             collected.rough_count, collected.last_page)
              << " forbidden\n";
    return 0;
  });
}

CLI::App* add_list(CLI::App& app, Registry& registry, const char* name, const char* help,
                   bool source, bool type, bool sort, int (*run)(const ListFlags&),
                   std::shared_ptr<ListFlags> flags) {
  auto* command = app.add_subcommand(name, help);
  add_connection_flags(command, flags->connection);
  add_paging_flags(command, flags->paging);
  add_filter_flags(command, flags->filters, source, type, sort);
  registry.push_back({command, [flags, run] { return run(*flags); }});
  return command;
}

}  // namespace

void add_list_commands(CLI::App& app, Registry& registry) {
  add_list(app, registry, "streams", "list online streams", true, true, false, run_streams,
           std::make_shared<ListFlags>());
  auto history = std::make_shared<ListFlags>();
  auto* command =
      add_list(app, registry, "history", "list ended publishes (default: ended in the last 24 h)",
               true, false, true, run_history, history);
  command->add_option("--from", history->from,
                      "ended at or after: RFC 3339, or a duration ago (default 24h)");
  command->add_option("--to", history->to,
                      "ended at or before: RFC 3339, or a duration ago (default now)");
  add_list(app, registry, "forbidden", "list forbidden streams", false, false, true, run_forbidden,
           std::make_shared<ListFlags>());
}

}  // namespace sluice::cli
