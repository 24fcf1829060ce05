#pragma once
// The management API's errors, as Volcengine's OpenAPI gateway names them
// (docs/api.md, "Envelope"). Thrown by the API layer and
// turned into the error envelope in one place.
#include <stdexcept>
#include <string>

namespace sluice::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(unsigned http_status, std::string code, int code_n, const std::string& message)
      : std::runtime_error(message),
        http_status_(http_status),
        code_(std::move(code)),
        code_n_(code_n) {}

  unsigned http_status() const { return http_status_; }
  const std::string& code() const { return code_; }
  int code_n() const { return code_n_; }

  static ApiError missing_parameter(const std::string& m) {
    return {400, "MissingParameter", 100002, m};
  }
  static ApiError missing_authentication_token(const std::string& m) {
    return {401, "MissingAuthenticationToken", 100003, m};
  }
  static ApiError missing_request_info(const std::string& m) {
    return {400, "MissingRequestInfo", 100004, m};
  }
  static ApiError invalid_timestamp(const std::string& m) {
    return {400, "InvalidTimestamp", 100006, m};
  }
  static ApiError invalid_action_or_version(const std::string& m) {
    return {404, "InvalidActionOrVersion", 100008, m};
  }
  static ApiError invalid_access_key(const std::string& m) {
    return {401, "InvalidAccessKey", 100009, m};
  }
  static ApiError signature_does_not_match(const std::string& m) {
    return {401, "SignatureDoesNotMatch", 100010, m};
  }
  // Too many requests to take one more now (the gateway's throttling code).
  static ApiError flow_limit_exceeded(const std::string& m) {
    return {429, "FlowLimitExceeded", 100018, m};
  }
  static ApiError internal_error(const std::string& m) { return {500, "InternalError", 100014, m}; }
  // A request parameter missing, of the wrong type, or out of range.
  static ApiError invalid_param(const std::string& field, const std::string& m) {
    return {400, "InvalidParam." + field, 400001, m};
  }
  static ApiError stream_not_found(const std::string& m) {
    return {404, "NotFound.Stream", 404001, m};
  }
  static ApiError forbidden_stream_not_found(const std::string& m) {
    return {404, "NotFound.ForbiddenStream", 404002, m};
  }
  // The API's routes answer other methods with 405 and an Allow header.
  static ApiError method_not_allowed(const std::string& m) {
    return {405, "MethodNotAllowed", 405001, m};
  }
  // No API at this path (the OpenAPI is served at "/").
  static ApiError no_such_path(const std::string& m) {
    return {404, "InvalidActionOrVersion", 100008, m};
  }
  // Refused by the transport before the request was read in full.
  static ApiError request_entity_too_large(const std::string& m) {
    return {413, "RequestEntityTooLarge", 413001, m};
  }
  static ApiError request_header_fields_too_large(const std::string& m) {
    return {431, "RequestHeaderFieldsTooLarge", 431001, m};
  }

 private:
  unsigned http_status_;
  std::string code_;
  int code_n_;
};

}  // namespace sluice::api
