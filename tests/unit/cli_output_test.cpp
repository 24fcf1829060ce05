// The CLI's paging (--page/--page-size/--all) and its human tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/paging.hpp"
#include "cli/table.hpp"

namespace sluice::cli {
namespace {

// A listing of `total` items, served a page at a time, that records the
// pages asked for. `claimed` is the RoughCount it reports.
struct FakeListing {
  int64_t total = 0;
  int64_t claimed = 0;
  std::vector<std::pair<int64_t, int64_t>> asked;  // (page_num, page_size)

  std::pair<int64_t, std::vector<int64_t>> operator()(int64_t page, int64_t size) {
    asked.emplace_back(page, size);
    std::vector<int64_t> items;
    for (int64_t i = (page - 1) * size; i < std::min(total, page * size); ++i) items.push_back(i);
    return {claimed, items};
  }
};

// The paging flags as a command line sets them. The App lives as long as the
// flags: --all asks it whether --page-size was given.
struct ParsedPaging {
  CLI::App command;
  PagingFlags flags;
  explicit ParsedPaging(std::vector<std::string> args) {
    add_paging_flags(&command, flags);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    command.parse(args);
  }
};

TEST(CliPaging, OnePageAsAsked) {
  FakeListing listing{25, 25, {}};
  PagingFlags flags;
  flags.page = 2;
  flags.page_size = 10;
  auto got = collect_pages<int64_t>(flags, std::ref(listing));
  EXPECT_EQ(listing.asked, (std::vector<std::pair<int64_t, int64_t>>{{2, 10}}));
  ASSERT_EQ(got.items.size(), 10u);
  EXPECT_EQ(got.items.front(), 10);
  EXPECT_EQ(got.rough_count, 25);
  EXPECT_EQ(page_footer(flags, 10, 25, got.last_page),
            "10 of 25 (page 2; --page 3 or --all for more)");
  flags.page = 3;
  EXPECT_EQ(page_footer(flags, 5, 25, 3), "5 of 25");
}

TEST(CliPaging, AllFetchesUntilAShortPage) {
  FakeListing listing{2500, 2500, {}};
  PagingFlags flags;
  flags.all = true;
  auto got = collect_pages<int64_t>(flags, std::ref(listing));
  EXPECT_EQ(listing.asked,
            (std::vector<std::pair<int64_t, int64_t>>{{1, 1000}, {2, 1000}, {3, 1000}}));
  ASSERT_EQ(got.items.size(), 2500u);
  for (int64_t i = 0; i < 2500; ++i) ASSERT_EQ(got.items[static_cast<size_t>(i)], i);
  EXPECT_EQ(page_footer(flags, 2500, 2500, got.last_page), "2500 of 2500");
}

TEST(CliPaging, AllDoesNotTrustAnUnderstatedRoughCount) {
  // RoughCount is rough: a full page means there may be more, whatever it says.
  FakeListing listing{30, 12, {}};
  ParsedPaging cli({"--all", "--page-size", "10"});
  auto got = collect_pages<int64_t>(cli.flags, std::ref(listing));
  EXPECT_EQ(got.items.size(), 30u);
  EXPECT_EQ(listing.asked.back(), (std::pair<int64_t, int64_t>{4, 10}));
}

TEST(CliPaging, AllStopsAtThePageLimit) {
  FakeListing listing{1'000'000'000, 1'000'000'000, {}};
  ParsedPaging cli({"--all", "--page-size", "1"});
  auto got = collect_pages<int64_t>(cli.flags, std::ref(listing));
  EXPECT_EQ(static_cast<int64_t>(listing.asked.size()), kMaxPages);
  EXPECT_EQ(static_cast<int64_t>(got.items.size()), kMaxPages);
}

TEST(CliPaging, FlagsAreRangeCheckedAndAllExcludesPage) {
  EXPECT_THROW(ParsedPaging({"--page", "0"}), CLI::ParseError);
  EXPECT_THROW(ParsedPaging({"--page-size", "1001"}), CLI::ParseError);
  EXPECT_THROW(ParsedPaging({"--page", "2", "--all"}), CLI::ParseError);
  EXPECT_NO_THROW(ParsedPaging({"--page", "2", "--page-size", "1000"}));
}

TEST(CliTable, AlignsColumnsAndShowsEmptyCellsAsDash) {
  Table table({"STREAM", "STATE", "SINCE"});
  table.add({"__defaultVhost__/live/cam1", "online", "2024-01-01T00:00:00Z"});
  table.add({"v/a/b", "", "x"});
  EXPECT_EQ(table.size(), 2u);
  std::ostringstream out;
  table.print(out);
  EXPECT_EQ(out.str(),
            "STREAM                      STATE   SINCE\n"
            "__defaultVhost__/live/cam1  online  2024-01-01T00:00:00Z\n"
            "v/a/b                       -       x\n");
}

}  // namespace
}  // namespace sluice::cli
