#include "sluice/scanner/json_view.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sluice::scanner
