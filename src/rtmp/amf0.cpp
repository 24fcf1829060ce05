#include "rtmp/amf0.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "base/errors.hpp"

namespace sluice::rtmp::amf0 {

namespace {

// Marker 0x11 ("avmplus object") switches the rest of the value to AMF3, which
// RTMP only uses with the AMF3 command message types that we do not accept.
constexpr uint8_t kAvmPlusMarker = 0x11;

// Every object and ECMA array ends with an empty key followed by this marker.
constexpr uint8_t kEndOfObject[] = {0x00, 0x00, static_cast<uint8_t>(Marker::kObjectEnd)};

constexpr size_t kMaxShortString = std::numeric_limits<uint16_t>::max();

// ---------------------------------------------------------------- decoding

Value decode_value(ByteReader& in, int depth);

// Each container level calls this before decoding its children, so a hostile
// chain of nested containers stops at kMaxDepth instead of at stack overflow.
void enter_container(int depth) {
  if (depth >= kMaxDepth) {
    throw ProtocolError(fmt::format("AMF0 nesting deeper than {} levels", kMaxDepth));
  }
}

std::string read_key(ByteReader& in) {
  return std::string(in.string(in.u16be()));
}

// Reads the key/value pairs of an object or ECMA array up to and including the
// terminator. An empty key is only a terminator when the object-end marker
// follows it; otherwise it is an (unusual but legal) property named "", which
// is how librtmp reads it too.
Properties read_properties(ByteReader& in, int depth) {
  Properties props;
  for (;;) {
    std::string key = read_key(in);
    if (key.empty() && in.peek() == static_cast<uint8_t>(Marker::kObjectEnd)) {
      in.u8();
      return props;
    }
    Value value = decode_value(in, depth + 1);
    props.emplace_back(std::move(key), std::move(value));
  }
}

Value read_strict_array(ByteReader& in, int depth) {
  uint32_t count = in.u32be();
  // Every value takes at least one byte (its marker), so a count beyond the
  // remaining input cannot be honest; rejecting it up front keeps a forged
  // count from costing time. Nothing is reserved: the vector grows only with
  // values actually decoded.
  if (count > in.remaining()) {
    throw ProtocolError(
        fmt::format("AMF0 strict array count {} exceeds the {} bytes left", count, in.remaining()));
  }
  std::vector<Value> items;
  for (uint32_t i = 0; i < count; ++i) items.push_back(decode_value(in, depth + 1));
  return Value::strict_array(std::move(items));
}

Value read_date(ByteReader& in) {
  double ms = in.f64be();
  auto timezone = static_cast<int16_t>(in.u16be());
  return Value::date(ms, timezone);
}

[[noreturn]] void throw_unsupported(uint8_t marker) {
  if (marker == kAvmPlusMarker) throw ProtocolError("AMF0: AMF3 not supported (marker 0x11)");
  if (marker == static_cast<uint8_t>(Marker::kReference)) {
    // References point back into values already decoded; nothing we receive
    // (commands, onMetaData) uses them, and resolving them invites cycles.
    throw ProtocolError("AMF0 reference marker 0x07 not supported");
  }
  if (marker == static_cast<uint8_t>(Marker::kObjectEnd)) {
    throw ProtocolError("AMF0 object-end marker 0x09 outside an object");
  }
  throw ProtocolError(fmt::format("unknown AMF0 marker {:#04x}", marker));
}

Value decode_value(ByteReader& in, int depth) {
  uint8_t marker = in.u8();
  switch (static_cast<Marker>(marker)) {
    case Marker::kNumber:
      return Value::number(in.f64be());
    case Marker::kBoolean:
      return Value::boolean(in.u8() != 0);
    case Marker::kString:
      return Value::string(std::string(in.string(in.u16be())));
    case Marker::kLongString:
      // The length is checked against the input before anything is copied.
      return Value::string(std::string(in.string(in.u32be())));
    case Marker::kObject:
      enter_container(depth);
      return Value::object(read_properties(in, depth));
    case Marker::kEcmaArray:
      enter_container(depth);
      // The count is only a hint, and some encoders get it wrong (or write
      // 0); the terminator is what ends the array.
      in.u32be();
      return Value::ecma_array(read_properties(in, depth));
    case Marker::kStrictArray:
      enter_container(depth);
      return read_strict_array(in, depth);
    case Marker::kNull:
      return Value::null();
    case Marker::kUndefined:
      return Value::undefined();
    case Marker::kDate:
      return read_date(in);
    case Marker::kReference:
    case Marker::kObjectEnd:
      break;
  }
  throw_unsupported(marker);
}

// ---------------------------------------------------------------- encoding

void write_marker(ByteWriter& w, Marker m) {
  w.u8(static_cast<uint8_t>(m));
}

void write_key(ByteWriter& w, const std::string& key) {
  // Keys have no long form on the wire; truncating one would corrupt the stream.
  if (key.size() > kMaxShortString) throw std::length_error("AMF0 property name over 65535 bytes");
  w.u16be(static_cast<uint16_t>(key.size()));
  w.string(key);
}

void write_string(ByteWriter& w, const std::string& s) {
  if (s.size() <= kMaxShortString) {
    write_marker(w, Marker::kString);
    w.u16be(static_cast<uint16_t>(s.size()));
  } else {
    if (s.size() > std::numeric_limits<uint32_t>::max()) {
      throw std::length_error("AMF0 string over 4 GiB");
    }
    write_marker(w, Marker::kLongString);
    w.u32be(static_cast<uint32_t>(s.size()));
  }
  w.string(s);
}

void write_properties(ByteWriter& w, const Properties& props, std::vector<uint8_t>& out) {
  for (const auto& [key, value] : props) {
    write_key(w, key);
    encode(value, out);
  }
  w.bytes(kEndOfObject);
}

uint32_t checked_count(size_t n) {
  if (n > std::numeric_limits<uint32_t>::max()) throw std::length_error("AMF0 array too long");
  return static_cast<uint32_t>(n);
}

}  // namespace

// ---------------------------------------------------------------- Value

Value Value::number(double v) {
  Value out;
  out.type_ = Type::kNumber;
  out.number_ = v;
  return out;
}

Value Value::boolean(bool v) {
  Value out;
  out.type_ = Type::kBoolean;
  out.number_ = v ? 1 : 0;
  return out;
}

Value Value::string(std::string v) {
  Value out;
  out.type_ = Type::kString;
  out.string_ = std::move(v);
  return out;
}

Value Value::object(Properties props) {
  Value out;
  out.type_ = Type::kObject;
  out.props_ = std::make_shared<Properties>(std::move(props));
  return out;
}

Value Value::ecma_array(Properties props) {
  Value out = object(std::move(props));
  out.type_ = Type::kEcmaArray;
  return out;
}

Value Value::strict_array(std::vector<Value> items) {
  Value out;
  out.type_ = Type::kStrictArray;
  out.items_ = std::make_shared<std::vector<Value>>(std::move(items));
  return out;
}

Value Value::undefined() {
  Value out;
  out.type_ = Type::kUndefined;
  return out;
}

Value Value::date(double ms_since_epoch, int16_t timezone) {
  Value out;
  out.type_ = Type::kDate;
  out.number_ = ms_since_epoch;
  out.timezone_ = timezone;
  return out;
}

// A date answers with its milliseconds: the header has no other accessor for
// them, and encode() needs them.
double Value::as_number(double fallback) const {
  return type_ == Type::kNumber || type_ == Type::kDate ? number_ : fallback;
}

bool Value::as_boolean(bool fallback) const {
  return type_ == Type::kBoolean ? number_ != 0 : fallback;
}

// The accessors below hand out references, so their "absent" answers must
// outlive any Value: function-local statics, built once and never modified.
const std::string& Value::as_string() const {
  static const std::string kEmpty;
  return type_ == Type::kString ? string_ : kEmpty;
}

const Properties& Value::properties() const {
  static const Properties kEmpty;
  return is_object() && props_ ? *props_ : kEmpty;
}

const std::vector<Value>& Value::items() const {
  static const std::vector<Value> kEmpty;
  return type_ == Type::kStrictArray && items_ ? *items_ : kEmpty;
}

const Value* Value::get(std::string_view key) const {
  // Linear: command objects hold a handful of keys, and order must be kept.
  // With duplicate keys the first one wins, as set() replaces the first.
  for (const auto& [k, v] : properties()) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value& Value::set(std::string key, Value v) {
  if (!is_object()) throw std::logic_error("amf0::Value::set on a value that is not an object");
  // Copies of a Value share their properties; detach before writing so the
  // other copies (for example a decoded command kept elsewhere) are unchanged.
  if (!props_) {
    props_ = std::make_shared<Properties>();
  } else if (props_.use_count() > 1) {
    props_ = std::make_shared<Properties>(*props_);
  }
  for (auto& [k, existing] : *props_) {
    if (k == key) {
      existing = std::move(v);
      return *this;
    }
  }
  props_->emplace_back(std::move(key), std::move(v));
  return *this;
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kNumber:
    case Type::kBoolean:
    case Type::kDate:
      // Equality means "same AMF0 value", so a decoded NaN equals the NaN it
      // was encoded from. A date's timezone is left out: the spec reserves it,
      // encode() writes 0, and no accessor exposes it.
      return number_ == other.number_ || (std::isnan(number_) && std::isnan(other.number_));
    case Type::kString:
      return string_ == other.string_;
    case Type::kObject:
    case Type::kEcmaArray:
      return props_ == other.props_ || properties() == other.properties();
    case Type::kStrictArray:
      return items_ == other.items_ || items() == other.items();
    case Type::kNull:
    case Type::kUndefined:
      return true;
  }
  return false;
}

// ---------------------------------------------------------------- entry points

Value decode(ByteReader& in) {
  return decode_value(in, 0);
}

std::vector<Value> decode_all(std::span<const uint8_t> bytes) {
  ByteReader in(bytes);
  std::vector<Value> values;
  while (!in.empty()) values.push_back(decode(in));
  return values;
}

void encode(const Value& v, std::vector<uint8_t>& out) {
  ByteWriter w(out);
  switch (v.type()) {
    case Value::Type::kNumber:
      write_marker(w, Marker::kNumber);
      w.f64be(v.as_number());
      return;
    case Value::Type::kBoolean:
      write_marker(w, Marker::kBoolean);
      w.u8(v.as_boolean() ? 1 : 0);
      return;
    case Value::Type::kString:
      write_string(w, v.as_string());
      return;
    case Value::Type::kObject:
      write_marker(w, Marker::kObject);
      write_properties(w, v.properties(), out);
      return;
    case Value::Type::kEcmaArray:
      write_marker(w, Marker::kEcmaArray);
      w.u32be(checked_count(v.properties().size()));
      write_properties(w, v.properties(), out);
      return;
    case Value::Type::kStrictArray:
      write_marker(w, Marker::kStrictArray);
      w.u32be(checked_count(v.items().size()));
      for (const Value& item : v.items()) encode(item, out);
      return;
    case Value::Type::kNull:
      write_marker(w, Marker::kNull);
      return;
    case Value::Type::kUndefined:
      write_marker(w, Marker::kUndefined);
      return;
    case Value::Type::kDate:
      // The spec reserves the timezone and says to write 0; the header also
      // gives encode() no way to read the stored one.
      write_marker(w, Marker::kDate);
      w.f64be(v.as_number());
      w.u16be(0);
      return;
  }
}

std::vector<uint8_t> encode_all(std::initializer_list<Value> values) {
  std::vector<uint8_t> out;
  for (const Value& v : values) encode(v, out);
  return out;
}

}  // namespace sluice::rtmp::amf0
