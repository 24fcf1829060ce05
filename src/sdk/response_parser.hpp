#pragma once
// A response (HTTP status + body) → a typed result, or LiveError: kApi for an
// error envelope or an HTTP error status, kResponse for anything that is not
// a Volcengine envelope. Unknown extra fields are ignored.
#include <string_view>

#include "sluice/live_service.hpp"

namespace sluice::sdk {

// Checks the envelope only (what LiveService::call returns).
ResponseMetadata check_envelope(int http_status, std::string_view body);

DescribeLiveStreamInfoByPageResponse parse_live_stream_info_by_page(int http_status,
                                                                    std::string_view body);
DescribeClosedStreamInfoByPageResponse parse_closed_stream_info_by_page(int http_status,
                                                                        std::string_view body);
DescribeForbiddenStreamInfoByPageResponse parse_forbidden_stream_info_by_page(
    int http_status, std::string_view body);
DescribeLiveStreamStateResponse parse_live_stream_state(int http_status, std::string_view body);
GeneratePushUrlOnServerResponse parse_generate_push_url(int http_status, std::string_view body);
GeneratePlayUrlOnServerResponse parse_generate_play_url(int http_status, std::string_view body);
// KillStream, ForbidStream, ResumeStream: metadata only, no Result expected.
EmptyResponse parse_empty(int http_status, std::string_view body);

}  // namespace sluice::sdk
