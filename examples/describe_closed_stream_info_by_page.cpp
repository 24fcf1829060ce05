// DescribeClosedStreamInfoByPage: publishes that ended in a time range.
//   describe_closed_stream_info_by_page END_TIME_FROM END_TIME_TO   (RFC 3339)
#include "example_service.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: describe_closed_stream_info_by_page END_TIME_FROM END_TIME_TO\n";
    return 2;
  }
  return run_example([&] {
    auto live = example_service();
    sluice::DescribeClosedStreamInfoByPageRequest request;
    request.page_num = 1;
    request.page_size = 100;
    request.end_time_from = argv[1];
    request.end_time_to = argv[2];
    request.sort = "desc";
    auto response = live.describe_closed_stream_info_by_page(request);
    std::cout << "closed: " << response.rough_count << "\n";
    for (const auto& s : response.stream_info_list) {
      std::cout << s.vhost << "/" << s.app << "/" << s.stream << " " << s.start_time << " -> "
                << s.end_time << " (" << s.end_reason.value_or("?") << ")\n";
    }
  });
}
