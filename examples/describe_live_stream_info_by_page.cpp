// DescribeLiveStreamInfoByPage: the streams being published now.
//   describe_live_stream_info_by_page [STREAM_SUBSTRING]
#include "example_service.hpp"

int main(int argc, char** argv) {
  return run_example([&] {
    auto live = example_service();
    sluice::DescribeLiveStreamInfoByPageRequest request;
    request.page_num = 1;
    request.page_size = 100;
    if (argc > 1) {
      request.stream = argv[1];
      request.query_type = "fuzzy";
    }
    auto response = live.describe_live_stream_info_by_page(request);
    std::cout << "online: " << response.rough_count << "\n";
    for (const auto& s : response.stream_info_list) {
      std::cout << s.id << " " << s.vhost << "/" << s.app << "/" << s.stream << " since "
                << s.session_start_time << " (" << s.source_type << ")\n";
    }
  });
}
