#include "rtmp/amf0.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/byte_io.hpp"
#include "base/errors.hpp"
#include "fixtures.hpp"

namespace sluice::rtmp::amf0 {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes encoded(const Value& v) {
  Bytes out;
  encode(v, out);
  return out;
}

Value decode_one(const Bytes& bytes) {
  ByteReader in(bytes);
  Value v = decode(in);
  EXPECT_TRUE(in.empty()) << "decode left " << in.remaining() << " bytes";
  return v;
}

Value round_trip(const Value& v) {
  return decode_one(encoded(v));
}

// Bytes from a string literal, so expected layouts read like the wire.
Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Runs f, which must throw ProtocolError whose message contains `needle`.
template <typename F>
void expect_protocol_error(F&& f, std::string_view needle) {
  try {
    f();
    ADD_FAILURE() << "no exception thrown";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos)
        << "message was: " << e.what();
  }
}

// A value with one of everything, nested, for round trip and prefix tests.
Value kitchen_sink() {
  return Value::object({
      {"number", Value::number(-12.5)},
      {"flag", Value::boolean(true)},
      {"empty", Value::string("")},
      {"nothing", Value::null()},
      {"undef", Value::undefined()},
      {"when", Value::date(1700000000000.0)},
      {"list", Value::strict_array({Value::number(1), Value::string("two"),
                                    Value::ecma_array({{"k", Value::boolean(false)}})})},
      {"inner", Value::object({{"deeper", Value::object({{"x", Value::number(3)}})}})},
  });
}

// ---------------------------------------------------------------- round trips

TEST(Amf0RoundTrip, Numbers) {
  for (double d :
       {0.0, -0.0, 1.0, -1.5, 1e300, 5e-324, std::numeric_limits<double>::max(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    Value back = round_trip(Value::number(d));
    ASSERT_TRUE(back.is_number());
    EXPECT_EQ(back.as_number(), d);
    EXPECT_EQ(std::signbit(back.as_number()), std::signbit(d));
  }
}

TEST(Amf0RoundTrip, NaN) {
  Value nan = Value::number(std::numeric_limits<double>::quiet_NaN());
  Value back = round_trip(nan);
  ASSERT_TRUE(back.is_number());
  EXPECT_TRUE(std::isnan(back.as_number()));
  EXPECT_EQ(back, nan);  // equality treats NaN as the same AMF0 value
}

TEST(Amf0RoundTrip, Booleans) {
  EXPECT_EQ(round_trip(Value::boolean(true)), Value::boolean(true));
  EXPECT_EQ(round_trip(Value::boolean(false)), Value::boolean(false));
  EXPECT_TRUE(round_trip(Value::boolean(true)).as_boolean());
}

TEST(Amf0RoundTrip, Strings) {
  for (std::string s : {std::string(), std::string("live"), std::string("h\xC3\xA9llo"),
                        std::string("nul\0inside", 10), std::string(65535, 'x')}) {
    Value back = round_trip(Value::string(s));
    ASSERT_TRUE(back.is_string());
    EXPECT_EQ(back.as_string(), s);
  }
}

TEST(Amf0RoundTrip, LongString) {
  std::string s(70000, 'y');
  s[0] = 'a';
  s.back() = 'z';
  Bytes bytes = encoded(Value::string(s));
  EXPECT_EQ(bytes[0], static_cast<uint8_t>(Marker::kLongString));
  Value back = decode_one(bytes);
  EXPECT_EQ(back.type(), Value::Type::kString);
  EXPECT_EQ(back.as_string(), s);
}

TEST(Amf0RoundTrip, NullAndUndefined) {
  EXPECT_EQ(round_trip(Value::null()).type(), Value::Type::kNull);
  EXPECT_EQ(round_trip(Value::undefined()).type(), Value::Type::kUndefined);
  EXPECT_TRUE(round_trip(Value::undefined()).is_null());
}

TEST(Amf0RoundTrip, Date) {
  Value back = round_trip(Value::date(1700000000123.0));
  EXPECT_EQ(back.type(), Value::Type::kDate);
  EXPECT_EQ(back.as_number(), 1700000000123.0);
  EXPECT_EQ(back, Value::date(1700000000123.0));
}

TEST(Amf0RoundTrip, EmptyContainers) {
  EXPECT_EQ(round_trip(Value::object()), Value::object());
  EXPECT_EQ(round_trip(Value::ecma_array()), Value::ecma_array());
  EXPECT_EQ(round_trip(Value::strict_array({})), Value::strict_array({}));
}

TEST(Amf0RoundTrip, NestedEverything) {
  Value v = kitchen_sink();
  Value back = round_trip(v);
  EXPECT_EQ(back, v);
  ASSERT_NE(back.get("inner"), nullptr);
  ASSERT_NE(back.get("inner")->get("deeper"), nullptr);
  EXPECT_EQ(back.get("inner")->get("deeper")->get("x")->as_number(), 3);
  ASSERT_EQ(back.get("list")->items().size(), 3u);
  EXPECT_EQ(back.get("list")->items()[2].type(), Value::Type::kEcmaArray);
}

TEST(Amf0RoundTrip, KeyOrderPreserved) {
  Properties props = {{"zeta", Value::number(1)},
                      {"alpha", Value::number(2)},
                      {"mid", Value::number(3)},
                      {"beta", Value::number(4)}};
  for (const Value& v : {Value::object(props), Value::ecma_array(props)}) {
    Value decoded = round_trip(v);
    const Properties& back = decoded.properties();
    ASSERT_EQ(back.size(), props.size());
    for (size_t i = 0; i < props.size(); ++i) EXPECT_EQ(back[i].first, props[i].first);
  }
}

TEST(Amf0RoundTrip, EncodeAllDecodeAll) {
  Bytes bytes = encode_all({Value::string("_result"), Value::number(1), Value::null(),
                            Value::object({{"code", Value::string("NetConnection.Connect")}})});
  std::vector<Value> values = decode_all(bytes);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].as_string(), "_result");
  EXPECT_EQ(values[1].as_number(), 1);
  EXPECT_TRUE(values[2].is_null());
  EXPECT_EQ(values[3].get("code")->as_string(), "NetConnection.Connect");
  EXPECT_TRUE(decode_all({}).empty());
}

// ---------------------------------------------------------------- exact layouts

TEST(Amf0Encode, StringLayout) {
  EXPECT_EQ(encoded(Value::string("connect")), concat({{0x02, 0x00, 0x07}, text("connect")}));
  EXPECT_EQ(encoded(Value::string("")), (Bytes{0x02, 0x00, 0x00}));
}

TEST(Amf0Encode, LongStringLayout) {
  Bytes bytes = encoded(Value::string(std::string(65536, 'a')));
  ASSERT_EQ(bytes.size(), 5u + 65536u);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 5), (Bytes{0x0C, 0x00, 0x01, 0x00, 0x00}));
}

TEST(Amf0Encode, NumberLayout) {
  EXPECT_EQ(encoded(Value::number(1.0)),
            (Bytes{0x00, 0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encoded(Value::number(-2.0)),
            (Bytes{0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
}

TEST(Amf0Encode, ScalarLayouts) {
  EXPECT_EQ(encoded(Value::boolean(true)), (Bytes{0x01, 0x01}));
  EXPECT_EQ(encoded(Value::boolean(false)), (Bytes{0x01, 0x00}));
  EXPECT_EQ(encoded(Value::null()), (Bytes{0x05}));
  EXPECT_EQ(encoded(Value::undefined()), (Bytes{0x06}));
  // 1.0 ms, and the reserved timezone written as 0 whatever was stored.
  EXPECT_EQ(encoded(Value::date(1.0, 60)), (Bytes{0x0B, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x00, 0x00}));
}

TEST(Amf0Encode, ObjectLayout) {
  EXPECT_EQ(
      encoded(Value::object({{"app", Value::string("live")}})),
      concat(
          {{0x03, 0x00, 0x03}, text("app"), {0x02, 0x00, 0x04}, text("live"), {0x00, 0x00, 0x09}}));
  EXPECT_EQ(encoded(Value::object()), (Bytes{0x03, 0x00, 0x00, 0x09}));
}

TEST(Amf0Encode, EcmaArrayWritesCount) {
  Value v = Value::ecma_array({{"a", Value::null()}, {"b", Value::boolean(true)}});
  EXPECT_EQ(encoded(v), concat({{0x08, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01},
                                text("a"),
                                {0x05, 0x00, 0x01},
                                text("b"),
                                {0x01, 0x01, 0x00, 0x00, 0x09}}));
}

TEST(Amf0Encode, StrictArrayLayout) {
  EXPECT_EQ(encoded(Value::strict_array({Value::null(), Value::boolean(false)})),
            (Bytes{0x0A, 0x00, 0x00, 0x00, 0x02, 0x05, 0x01, 0x00}));
}

TEST(Amf0Encode, EncodeAllConcatenates) {
  EXPECT_EQ(encode_all({Value::null(), Value::undefined(), Value::boolean(true)}),
            (Bytes{0x05, 0x06, 0x01, 0x01}));
  EXPECT_TRUE(encode_all({}).empty());
}

// ---------------------------------------------------------------- decoding

TEST(Amf0Decode, LongStringOfShortLengthIsString) {
  Value v = decode_one(concat({{0x0C, 0x00, 0x00, 0x00, 0x02}, text("hi")}));
  EXPECT_EQ(v.type(), Value::Type::kString);
  EXPECT_EQ(v.as_string(), "hi");
}

TEST(Amf0Decode, EcmaArrayCountIsIgnored) {
  // Count says 0 (some encoders do this), then 5; both have one property.
  for (uint8_t count : {0x00, 0x05}) {
    Value v = decode_one(
        concat({{0x08, 0x00, 0x00, 0x00, count, 0x00, 0x01}, text("k"), {0x05, 0x00, 0x00, 0x09}}));
    EXPECT_EQ(v.type(), Value::Type::kEcmaArray);
    ASSERT_EQ(v.properties().size(), 1u);
    EXPECT_TRUE(v.get("k")->is_null());
  }
  // A huge count with a short body is fine too: it is never trusted.
  Value v = decode_one({0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x09});
  EXPECT_TRUE(v.properties().empty());
}

TEST(Amf0Decode, EmptyKeyWithValueIsAProperty) {
  Value v = decode_one({0x03, 0x00, 0x00, 0x05, 0x00, 0x00, 0x09});
  ASSERT_EQ(v.properties().size(), 1u);
  EXPECT_EQ(v.properties()[0].first, "");
  EXPECT_TRUE(v.properties()[0].second.is_null());
}

TEST(Amf0Decode, DateWithTimezone) {
  Value v = decode_one({0x0B, 0x40, 0x00, 0, 0, 0, 0, 0, 0, 0xFF, 0xC4});
  EXPECT_EQ(v.type(), Value::Type::kDate);
  EXPECT_EQ(v.as_number(), 2.0);
}

TEST(Amf0Decode, DecodeStopsAfterOneValue) {
  Bytes bytes = {0x05, 0x01, 0x01};
  ByteReader in(bytes);
  EXPECT_TRUE(decode(in).is_null());
  EXPECT_EQ(in.position(), 1u);
  EXPECT_TRUE(decode(in).as_boolean());
  EXPECT_TRUE(in.empty());
}

TEST(Amf0Decode, NestingAtTheLimit) {
  // kMaxDepth nested containers decode; one more is rejected.
  auto nested = [](int levels) {
    Bytes b;
    for (int i = 0; i < levels; ++i) b.insert(b.end(), {0x0A, 0x00, 0x00, 0x00, 0x01});
    b.push_back(0x05);
    return b;
  };
  EXPECT_NO_THROW(decode_all(nested(kMaxDepth)));
  expect_protocol_error([&] { decode_all(nested(kMaxDepth + 1)); }, "nesting");
}

// ffmpeg's real connect command: C0 + C1 + C2, then one fmt-0 chunk on chunk
// stream 3 whose payload continues after a fmt-3 header every 128 bytes.
Bytes connect_payload_from_fixture() {
  const Bytes stream = test::read_fixture("ffmpeg-publish.c2s");

  constexpr size_t kHandshake = 1 + 1536 + 1536;
  constexpr size_t kChunkSize = 128;  // the default; nothing changed it yet
  ByteReader in{std::span<const uint8_t>(stream).subspan(kHandshake)};
  if (in.u8() != 0x03) throw std::runtime_error("expected fmt 0 on chunk stream 3");
  if (in.u24be() == 0xFFFFFF) throw std::runtime_error("extended timestamp not handled");
  uint32_t length = in.u24be();
  if (in.u8() != 0x14) throw std::runtime_error("expected an AMF0 command (type 0x14)");
  in.u32le();  // message stream id

  Bytes payload;
  while (payload.size() < length) {
    if (!payload.empty() && in.u8() != 0xC3) throw std::runtime_error("expected fmt-3 header");
    auto part = in.bytes(std::min<size_t>(kChunkSize, length - payload.size()));
    payload.insert(payload.end(), part.begin(), part.end());
  }
  return payload;
}

TEST(Amf0Decode, FfmpegConnectCommand) {
  Bytes payload = connect_payload_from_fixture();
  ASSERT_GT(payload.size(), 128u);  // so the reassembly is exercised
  std::vector<Value> cmd = decode_all(payload);
  ASSERT_EQ(cmd.size(), 3u);
  EXPECT_EQ(cmd[0].as_string(), "connect");
  EXPECT_EQ(cmd[1].as_number(), 1);
  ASSERT_TRUE(cmd[2].is_object());
  ASSERT_NE(cmd[2].get("app"), nullptr);
  EXPECT_EQ(cmd[2].get("app")->as_string(), "live");
  const std::string& tc_url = cmd[2].get("tcUrl")->as_string();
  EXPECT_TRUE(tc_url.starts_with("rtmp://")) << tc_url;
  EXPECT_TRUE(tc_url.ends_with("/live")) << tc_url;
  EXPECT_EQ(cmd[2].properties()[0].first, "app");  // wire order kept

  // Re-encoding gives back ffmpeg's bytes exactly.
  Bytes again;
  for (const Value& v : cmd) encode(v, again);
  EXPECT_EQ(again, payload);

  // Strict prefixes either throw or end on a value boundary with fewer values.
  for (size_t n = 0; n < payload.size(); ++n) {
    try {
      EXPECT_LT(decode_all(std::span(payload).first(n)).size(), cmd.size()) << n;
    } catch (const ProtocolError&) {
    }
  }
}

// ---------------------------------------------------------------- malformed input

TEST(Amf0Malformed, EveryStrictPrefixThrows) {
  const std::vector<Value> samples = {
      Value::number(1.5),
      Value::boolean(true),
      Value::string("connect"),
      Value::string(std::string(70000, 'q')),
      Value::date(12.0),
      Value::object({{"app", Value::string("live")}}),
      Value::ecma_array({{"duration", Value::number(0)}, {"", Value::null()}}),
      Value::strict_array({Value::null(), Value::string("x"), Value::object()}),
      kitchen_sink(),
  };
  for (const Value& v : samples) {
    Bytes full = encoded(v);
    for (size_t n = 0; n < full.size(); ++n) {
      ByteReader in(std::span<const uint8_t>(full).first(n));
      EXPECT_THROW(decode(in), ProtocolError) << "prefix " << n << " of " << full.size();
    }
  }
}

TEST(Amf0Malformed, DeepNestingThrows) {
  constexpr int kLevels = 10000;
  Bytes objects, arrays, ecma;
  for (int i = 0; i < kLevels; ++i) {
    objects.insert(objects.end(), {0x03, 0x00, 0x01, 'a'});
    arrays.insert(arrays.end(), {0x0A, 0x00, 0x00, 0x00, 0x01});
    ecma.insert(ecma.end(), {0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 'a'});
  }
  // Close them properly, so only the depth can be what fails.
  objects.push_back(0x05);
  ecma.push_back(0x05);
  arrays.push_back(0x05);
  for (int i = 0; i < kLevels; ++i) {
    objects.insert(objects.end(), {0x00, 0x00, 0x09});
    ecma.insert(ecma.end(), {0x00, 0x00, 0x09});
  }
  for (const Bytes* b : {&objects, &arrays, &ecma}) {
    expect_protocol_error([&] { decode_all(*b); }, "nesting");
  }
}

TEST(Amf0Malformed, HostileCountsThrow) {
  // Strict array claiming 4 billion items with two bytes of them.
  expect_protocol_error(
      [] {
        decode_all(Bytes{0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0x05});
      },
      "strict array");
  // Long string claiming 4 GiB.
  EXPECT_THROW(decode_all(Bytes{0x0C, 0xFF, 0xFF, 0xFF, 0xFF, 'a'}), ProtocolError);
  // Short string and key lengths past the end.
  EXPECT_THROW(decode_all(Bytes{0x02, 0xFF, 0xFF, 'a'}), ProtocolError);
  EXPECT_THROW(decode_all(Bytes{0x03, 0xFF, 0xFF, 'a', 0x05}), ProtocolError);
}

TEST(Amf0Malformed, UnknownMarkersThrow) {
  for (uint8_t marker : {0x04, 0x0D, 0x0E, 0x0F, 0x10, 0x12, 0x7F, 0xFF}) {
    expect_protocol_error(
        [&] {
          decode_all(Bytes{marker, 0, 0, 0, 0, 0, 0, 0, 0});
        },
        fmt::format("{:#04x}", marker));
  }
  // Also as a value inside an object.
  EXPECT_THROW(decode_all(Bytes{0x03, 0x00, 0x01, 'a', 0x42}), ProtocolError);
}

TEST(Amf0Malformed, ReferenceMarkerThrows) {
  expect_protocol_error([] { decode_all(Bytes{0x07, 0x00, 0x00}); }, "0x07");
}

TEST(Amf0Malformed, Amf3SwitchThrows) {
  expect_protocol_error([] { decode_all(Bytes{0x11, 0x01}); }, "AMF3 not supported");
}

TEST(Amf0Malformed, ObjectEndOutsideObjectThrows) {
  expect_protocol_error([] { decode_all(Bytes{0x09}); }, "0x09");
  // A named property whose "value" is the end marker.
  EXPECT_THROW(decode_all(Bytes{0x03, 0x00, 0x01, 'a', 0x09}), ProtocolError);
}

// Random input must either decode or throw ProtocolError: never another
// exception, a crash, or a hang. What decodes must also re-encode to a value
// that decodes the same. Bytes are drawn mostly from the marker range so the
// decoder gets past the first byte and into containers.
TEST(Amf0Malformed, RandomBytes) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> length(0, 48);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> small_byte(0, 0x12);
  std::uniform_int_distribution<int> coin(0, 3);
  const Bytes seed = encoded(kitchen_sink());
  std::uniform_int_distribution<size_t> seed_pos(0, seed.size() - 1);

  int decoded = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes input;
    if (iter % 2 == 0) {
      input.resize(length(rng));
      for (uint8_t& b : input)
        b = static_cast<uint8_t>(coin(rng) == 0 ? any_byte(rng) : small_byte(rng));
    } else {
      // Mutate a valid encoding: a few bytes overwritten, maybe truncated.
      input = seed;
      for (int i = 0; i < 1 + coin(rng); ++i)
        input[seed_pos(rng)] = static_cast<uint8_t>(any_byte(rng));
      if (coin(rng) == 0) input.resize(seed_pos(rng));
    }
    try {
      std::vector<Value> values = decode_all(input);
      ++decoded;
      Bytes again;
      for (const Value& v : values) encode(v, again);
      EXPECT_EQ(decode_all(again), values) << "iteration " << iter;
    } catch (const ProtocolError&) {
    } catch (const std::exception& e) {
      FAIL() << "iteration " << iter << ": unexpected exception: " << e.what();
    }
  }
  EXPECT_GT(decoded, 100);  // the generator does reach successful decodes
}

// ---------------------------------------------------------------- Value API

TEST(Amf0Value, AccessorFallbacks) {
  Value s = Value::string("x");
  EXPECT_EQ(s.as_number(7), 7);
  EXPECT_TRUE(s.as_boolean(true));
  EXPECT_EQ(Value::number(3).as_string(), "");
  EXPECT_EQ(&Value::number(3).as_string(), &Value::null().as_string());  // shared static
  EXPECT_EQ(Value::boolean(true).as_number(-1), -1);
  EXPECT_TRUE(Value::string("x").properties().empty());
  EXPECT_TRUE(Value::object().items().empty());
  EXPECT_TRUE(Value::strict_array({Value::null()}).properties().empty());
  EXPECT_EQ(Value::strict_array({Value::null()}).items().size(), 1u);
  EXPECT_EQ(Value::string("x").get("a"), nullptr);
  EXPECT_EQ(Value::object().get("a"), nullptr);
  EXPECT_TRUE(Value().is_null());
}

TEST(Amf0Value, TypePredicates) {
  EXPECT_TRUE(Value::object().is_object());
  EXPECT_TRUE(Value::ecma_array().is_object());
  EXPECT_FALSE(Value::strict_array({}).is_object());
  EXPECT_TRUE(Value::undefined().is_null());
  EXPECT_FALSE(Value::date(0).is_number());
  EXPECT_EQ(Value::date(5).as_number(), 5);  // a date answers with its ms
}

TEST(Amf0Value, GetAndSet) {
  Value v = Value::ecma_array({{"a", Value::number(1)}});
  v.set("b", Value::string("two")).set("a", Value::number(10));
  ASSERT_EQ(v.properties().size(), 2u);
  EXPECT_EQ(v.properties()[0].first, "a");  // replaced in place, order kept
  EXPECT_EQ(v.get("a")->as_number(), 10);
  EXPECT_EQ(v.get("b")->as_string(), "two");
  EXPECT_EQ(v.type(), Value::Type::kEcmaArray);
}

TEST(Amf0Value, SetCopiesOnWrite) {
  Value original = Value::object({{"app", Value::string("live")}});
  Value copy = original;
  copy.set("app", Value::string("other")).set("extra", Value::null());
  EXPECT_EQ(original.get("app")->as_string(), "live");
  EXPECT_EQ(original.properties().size(), 1u);
  EXPECT_EQ(copy.get("app")->as_string(), "other");
  EXPECT_EQ(copy.properties().size(), 2u);

  // Unshared: writes in place, so references stay valid and see the change.
  Value solo = Value::object({{"k", Value::number(1)}});
  const Properties* before = &solo.properties();
  solo.set("k", Value::number(2));
  EXPECT_EQ(&solo.properties(), before);
  EXPECT_EQ(solo.get("k")->as_number(), 2);
}

TEST(Amf0Value, SetOnNonObjectIsAnError) {
  Value s = Value::string("x");
  EXPECT_THROW(s.set("k", Value::null()), std::logic_error);
  EXPECT_EQ(s.as_string(), "x");
}

TEST(Amf0Value, DeepEquality) {
  EXPECT_EQ(kitchen_sink(), kitchen_sink());
  Value changed = kitchen_sink();
  changed.set("number", Value::number(0));
  EXPECT_NE(changed, kitchen_sink());
  EXPECT_NE(Value::object(), Value::ecma_array());
  EXPECT_NE(Value::null(), Value::undefined());
  EXPECT_NE(Value::number(1), Value::boolean(true));
  EXPECT_NE(Value::string("a"), Value::string("b"));
  EXPECT_NE(Value::strict_array({Value::number(1)}), Value::strict_array({Value::number(2)}));
  EXPECT_NE(Value::strict_array({}), Value::strict_array({Value::null()}));
  // Same keys in another order are another object: order is part of the value.
  EXPECT_NE(Value::object({{"a", Value::null()}, {"b", Value::null()}}),
            Value::object({{"b", Value::null()}, {"a", Value::null()}}));
  EXPECT_NE(Value::date(1), Value::date(2));
}

}  // namespace
}  // namespace sluice::rtmp::amf0
