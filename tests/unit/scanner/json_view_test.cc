#include "sluice/scanner/json_view.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <vector>

namespace sluice::scanner {
namespace {

TEST(JsonView, DecodesEscapesAndMapsOffsetsBack) {
  std::string raw = R"(a\nSSN\u003a 123\"x\/y\u00e9z)";
  DecodedView view;
  decodeJsonView(raw, view);
  EXPECT_EQ(view.text, "a\nSSN: 123\"x/y\xc3\xa9z");
  // "SSN" starts at decoded 2 and raw 3; ':' (decoded 5) came from the 6-byte "\u003a" at 6.
  EXPECT_EQ(view.map.toOriginal(2), 3u);
  EXPECT_EQ(view.map.toOriginal(5), 6u);
  EXPECT_EQ(view.map.toOriginal(6), 12u);
  EXPECT_EQ(view.map.toOriginal(view.text.size()), raw.size());
}

TEST(JsonView, NoBackslashMeansNoCopy) {
  std::string raw = "plain text";
  DecodedView view;
  decodeJsonView(raw, view);
  EXPECT_EQ(view.text.data(), raw.data());
  EXPECT_TRUE(view.map.identity());
}

TEST(JsonView, SurrogatePairsBecomeOneCodePoint) {
  DecodedView view;
  decodeJsonView(R"(\ud83d\ude00!)", view);
  EXPECT_EQ(view.text, "\xf0\x9f\x98\x80!");
  EXPECT_EQ(view.map.toOriginal(4), 12u);
}

TEST(JsonView, InvalidEscapesPassThrough) {
  DecodedView view;
  decodeJsonView(R"(C:\q \u12 \)", view);
  EXPECT_EQ(view.text, R"(C:\q \u12 \)");
}

TEST(JsonView, StreamingDecoderHandlesEscapesSplitAcrossWrites) {
  std::string raw = R"(x\u0041\n\ud83d\ude00y)";
  std::string whole;
  OffsetMap whole_map;
  JsonUnescaper one;
  one.feed(raw, whole, whole_map);
  one.finish(whole, whole_map);
  for (size_t cut = 0; cut <= raw.size(); ++cut) {
    std::string out;
    OffsetMap map;
    JsonUnescaper split;
    split.feed(std::string_view(raw).substr(0, cut), out, map);
    split.feed(std::string_view(raw).substr(cut), out, map);
    split.finish(out, map);
    EXPECT_EQ(out, whole) << "cut at " << cut;
    for (size_t d = 0; d <= out.size(); ++d) {
      EXPECT_EQ(map.toOriginal(d), whole_map.toOriginal(d)) << "cut " << cut << " d " << d;
    }
  }
}

// The decoder looks for backslashes 32 (AVX2) or 16 bytes at a time: escapes at every offset
// of a block, and runs of them, must decode as one byte at a time would, with the same
// offsets.
TEST(JsonView, EscapesAtEveryBlockOffsetDecodeLikeAByteLoop) {
  std::mt19937 rng(11);
  const char* pieces[] = {"a", "bc", "0123456789abcdefg", "\\n", "\\\"", "\\\\", "\\u00e9",
                          "\\ud83d\\ude00", "\\q", "\\u12", "\\/"};
  for (int round = 0; round < 300; ++round) {
    std::string raw;
    while (raw.size() < 200) raw += pieces[rng() % std::size(pieces)];
    // Reference: the same decoder fed one byte at a time, which never fills a block.
    std::string expected;
    OffsetMap expected_map;
    JsonUnescaper bytewise;
    for (char c : raw) bytewise.feed(std::string_view(&c, 1), expected, expected_map);
    bytewise.finish(expected, expected_map);
    std::string out;
    OffsetMap map;
    JsonUnescaper decoder;
    decoder.feed(raw, out, map);
    decoder.finish(out, map);
    ASSERT_EQ(out, expected) << raw;
    for (size_t d = 0; d <= out.size(); ++d) {
      EXPECT_EQ(map.toOriginal(d), expected_map.toOriginal(d)) << raw << " at " << d;
    }
    EXPECT_EQ(decoder.emittedBackslash(), out.find('\\') != std::string::npos) << raw;
  }
}

// JSON sent as a JSON string is decoded twice ("\\\\n" is a newline); a body whose first
// decoding leaves no backslash is decoded once.
TEST(JsonView, DecodesASecondLevelOnlyWhenABackslashIsLeft) {
  DecodedView view;
  decodeJsonView(R"({"arguments":"{\"note\":\"DOB:\\n01/02/1980\"}"})", view);
  EXPECT_TRUE(view.nested);
  EXPECT_EQ(view.text, "{\"arguments\":\"{\"note\":\"DOB:\n01/02/1980\"}\"}");
  decodeJsonView(R"({"content":"line one\nDOB: 01/02/1980\t\"x\""})", view);
  EXPECT_FALSE(view.nested);
  EXPECT_EQ(view.text, "{\"content\":\"line one\nDOB: 01/02/1980\t\"x\"\"}");
}

}  // namespace
}  // namespace sluice::scanner
