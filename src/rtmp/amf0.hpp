#pragma once
// AMF0 (Action Message Format, Adobe "AMF 0 File Format Specification"):
// the encoding of RTMP command messages (type 20) and data messages (type 18).
// decode() throws ProtocolError on truncated or malformed input and never
// recurses deeper than kMaxDepth, so hostile nesting cannot exhaust the stack.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/byte_io.hpp"

namespace sluice::rtmp::amf0 {

enum class Marker : uint8_t {
  kNumber = 0x00,
  kBoolean = 0x01,
  kString = 0x02,
  kObject = 0x03,
  kNull = 0x05,
  kUndefined = 0x06,
  kReference = 0x07,
  kEcmaArray = 0x08,
  kObjectEnd = 0x09,
  kStrictArray = 0x0A,
  kDate = 0x0B,
  kLongString = 0x0C,
};

inline constexpr int kMaxDepth = 32;

class Value;
// Objects and ECMA arrays keep their keys in wire order: encoders of
// onMetaData and of command replies are expected to preserve it.
using Properties = std::vector<std::pair<std::string, Value>>;

class Value {
 public:
  enum class Type {
    kNumber,
    kBoolean,
    kString,
    kObject,
    kNull,
    kUndefined,
    kEcmaArray,
    kStrictArray,
    kDate
  };

  Value() : type_(Type::kNull) {}
  static Value number(double v);
  static Value boolean(bool v);
  static Value string(std::string v);
  static Value object(Properties props = {});
  static Value ecma_array(Properties props = {});
  static Value strict_array(std::vector<Value> items);
  static Value null() { return Value(); }
  static Value undefined();
  static Value date(double ms_since_epoch, int16_t timezone = 0);

  Type type() const { return type_; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_object() const { return type_ == Type::kObject || type_ == Type::kEcmaArray; }
  bool is_null() const { return type_ == Type::kNull || type_ == Type::kUndefined; }

  // Accessors return the value, or the fallback when the type differs.
  double as_number(double fallback = 0) const;
  bool as_boolean(bool fallback = false) const;
  const std::string& as_string() const;     // empty string when not a string
  const Properties& properties() const;     // empty when not an object/ECMA array
  const std::vector<Value>& items() const;  // empty when not a strict array

  // Property lookup for objects and ECMA arrays; nullptr when absent.
  const Value* get(std::string_view key) const;
  // Sets or replaces a property (objects and ECMA arrays only).
  Value& set(std::string key, Value v);

  bool operator==(const Value& other) const;

 private:
  Type type_;
  double number_ = 0;  // also boolean (0/1) and date (ms)
  int16_t timezone_ = 0;
  std::string string_;
  // Shared so copying a decoded command is cheap; Values are immutable once built
  // except through set(), which copies on write.
  std::shared_ptr<Properties> props_;
  std::shared_ptr<std::vector<Value>> items_;
};

// Decodes one value at the reader's position.
Value decode(ByteReader& in);
// Decodes values until the input ends (a command: name, transaction id, args...).
std::vector<Value> decode_all(std::span<const uint8_t> bytes);

void encode(const Value& v, std::vector<uint8_t>& out);
std::vector<uint8_t> encode_all(std::initializer_list<Value> values);

}  // namespace sluice::rtmp::amf0
