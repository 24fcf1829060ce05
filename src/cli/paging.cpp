#include "cli/paging.hpp"

namespace sluice::cli {

void add_paging_flags(CLI::App* command, PagingFlags& flags) {
  auto* page = command->add_option("--page", flags.page, "page number, from 1 (default 1)")
                   ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000}));
  flags.page_size_option =
      command->add_option("--page-size", flags.page_size, "items per page, 1-1000 (default 10)")
          ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  command->add_flag("--all", flags.all, "fetch every page")->excludes(page);
}

std::string page_footer(const PagingFlags& flags, int64_t shown, int64_t rough_count,
                        int64_t last_page) {
  std::string text = std::to_string(shown) + " of " + std::to_string(rough_count);
  const int64_t seen = flags.all ? shown : (last_page - 1) * flags.page_size + shown;
  if (!flags.all && seen < rough_count) {
    text += " (page " + std::to_string(last_page) + "; --page " + std::to_string(last_page + 1) +
            " or --all for more)";
  }
  return text;
}

}  // namespace sluice::cli
