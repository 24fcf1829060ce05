// DescribeForbiddenStreamInfoByPage: the forbids in force.
#include "example_service.hpp"

int main() {
  return run_example([&] {
    auto live = example_service();
    sluice::DescribeForbiddenStreamInfoByPageRequest request;
    request.page_num = 1;
    request.page_size = 100;
    auto response = live.describe_forbidden_stream_info_by_page(request);
    std::cout << "forbidden: " << response.rough_count << "\n";
    for (const auto& s : response.stream_info_list) {
      std::cout << s.vhost << "/" << s.app << "/" << s.stream << " until " << s.end_time << "\n";
    }
  });
}
