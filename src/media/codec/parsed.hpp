#pragma once
// The outcome of parsing untrusted codec bytes: a value, or a sentence saying
// what was wrong. Parsers in media/codec never throw to their caller and never
// read past their input; a malformed header is an ordinary result.
#include <optional>
#include <string>
#include <utility>

namespace sluice::media::codec {

template <typename T>
class Parsed {
 public:
  static Parsed ok(T value) {
    Parsed p;
    p.value_ = std::move(value);
    return p;
  }
  static Parsed fail(std::string error) {
    Parsed p;
    p.error_ = std::move(error);
    return p;
  }

  explicit operator bool() const { return value_.has_value(); }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }
  T take() && { return std::move(*value_); }
  // Empty when parsing succeeded.
  const std::string& error() const { return error_; }

 private:
  Parsed() = default;
  std::optional<T> value_;
  std::string error_;
};

}  // namespace sluice::media::codec
