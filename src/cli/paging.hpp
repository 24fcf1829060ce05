#pragma once
// `--page N --page-size N`, or `--all`: every page until one comes back
// short (at most kMaxPages pages). RoughCount is not the stop: it is rough
// by name, and a count that lags the listing would cut --all short.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

inline constexpr int64_t kMaxPages = 200;
inline constexpr int64_t kAllPageSize = 1000;

struct PagingFlags {
  int64_t page = 1;
  int64_t page_size = 10;
  bool all = false;
  CLI::Option* page_size_option = nullptr;
};

void add_paging_flags(CLI::App* command, PagingFlags& flags);

template <class Item>
struct Collected {
  int64_t rough_count = 0;
  std::vector<Item> items;
  int64_t last_page = 1;
};

// fetch(page_num, page_size) -> std::pair<int64_t rough_count, std::vector<Item>>
template <class Item, class Fetch>
Collected<Item> collect_pages(const PagingFlags& flags, Fetch fetch) {
  Collected<Item> out;
  if (!flags.all) {
    auto [rough, items] = fetch(flags.page, flags.page_size);
    out.rough_count = rough;
    out.items = std::move(items);
    out.last_page = flags.page;
    return out;
  }
  const int64_t size =
      flags.page_size_option && flags.page_size_option->count() ? flags.page_size : kAllPageSize;
  for (int64_t page = 1;; ++page) {
    auto [rough, items] = fetch(page, size);
    out.rough_count = rough;
    out.last_page = page;
    const bool short_page = static_cast<int64_t>(items.size()) < size;
    for (auto& item : items) out.items.push_back(std::move(item));
    if (short_page) break;
    if (page >= kMaxPages) {
      std::cerr << "warning: stopped after " << kMaxPages << " pages (" << out.items.size()
                << " of " << rough << ")\n";
      break;
    }
  }
  return out;
}

// "3 of 3", or "10 of 25 (page 1; --page 2 or --all for more)".
std::string page_footer(const PagingFlags& flags, int64_t shown, int64_t rough_count,
                        int64_t last_page);

}  // namespace sluice::cli
