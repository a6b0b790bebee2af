// WebSocket decoding in the request inspector: client frames after an upgrade request are
// unmasked, fragments (with control frames between them) are joined, each message is one
// request, and permessage-deflate messages are inflated with context takeover.
#include "inspector_test_support.h"

namespace sluice::agent {
namespace {

using testing::findingsOf;
using testing::hasNote;
using testing::newInspector;
using testing::wsFrame;

enum Op : uint8_t { kCont = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9 };

std::string upgrade(std::string_view extensions = "") {
  std::string out =
      "GET /v1/realtime?model=gpt-4o-realtime-preview HTTP/1.1\r\nHost: api.openai.com\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n";
  if (!extensions.empty()) out += "Sec-WebSocket-Extensions: " + std::string(extensions) + "\r\n";
  return out + "\r\n";
}

const std::string kEvent =
    R"({"type":"conversation.item.create","item":{"type":"message","role":"user",)"
    R"("content":[{"type":"input_text","text":"Patient SSN 536-22-1234, DOB 03/14/1962"}]}})";

std::string fragmentedSession() {
  size_t cut1 = kEvent.find("536-22") + 3;
  size_t cut2 = kEvent.size() - 10;
  return upgrade() + wsFrame(false, kText, kEvent.substr(0, cut1)) + wsFrame(true, kPing, "hb") +
         wsFrame(false, kCont, kEvent.substr(cut1, cut2 - cut1)) +
         wsFrame(true, kCont, kEvent.substr(cut2)) + wsFrame(true, kBinary, std::string(300, 'z')) +
         wsFrame(true, kClose, "\x03\xe8");
}

TEST(WebSocket, MessagesAfterTheUpgradeAreUnmaskedJoinedAndScanned) {
  std::string bytes = fragmentedSession();
  auto done = testing::feedAll(bytes);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].protocol, "http/1.1");
  EXPECT_EQ(done[0].method, "GET");
  const InspectedRequest& text = done[1];
  EXPECT_EQ(text.protocol, "websocket");
  EXPECT_EQ(text.method, "WS");
  EXPECT_EQ(text.path, "/v1/realtime?model=gpt-4o-realtime-preview");
  EXPECT_EQ(text.host, "api.openai.com");
  EXPECT_EQ(text.id, 1u);
  EXPECT_EQ(text.body_bytes, kEvent.size());
  EXPECT_EQ(testing::countType(text.findings, "SSN"), 1u) << findingsOf(text, kEvent);
  EXPECT_NE(findingsOf(text, kEvent).find("SSN=536-22-1234"), std::string::npos);
  EXPECT_TRUE(hasNote(text, "text message"));
  EXPECT_EQ(done[2].body_bytes, 300u);
  EXPECT_TRUE(hasNote(done[2], "binary message"));

  std::string one = testing::renderAll(done);
  EXPECT_EQ(testing::renderAll(testing::feedBytewise(bytes)), one);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(testing::renderAll(testing::feedRandomSplits(bytes, seed)), one) << seed;
  }
}

TEST(WebSocket, AMessageIsPendingUntilItsLastFragment) {
  auto inspector = newInspector();
  auto up = inspector->feed(upgrade());
  ASSERT_TRUE(up.ok());
  ASSERT_EQ(up->size(), 1u);
  EXPECT_FALSE(inspector->pending());
  EXPECT_EQ(inspector->protocol(), "websocket");
  auto first = inspector->feed(wsFrame(false, kText, kEvent.substr(0, 40)));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  EXPECT_TRUE(inspector->pending());
  EXPECT_EQ(inspector->pendingHost(), "api.openai.com");
  auto last = inspector->feed(wsFrame(true, kCont, kEvent.substr(40)));
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_FALSE(inspector->pending());
}

// Client side of permessage-deflate with context takeover: one raw deflate stream, each
// message flushed with Z_SYNC_FLUSH and its 00 00 ff ff tail removed (RFC 7692 7.2.1).
class MessageDeflater {
 public:
  MessageDeflater() { deflateInit2(&z_, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY); }
  ~MessageDeflater() { deflateEnd(&z_); }
  std::string compress(std::string_view in) {
    std::string out(in.size() + 1024, '\0');
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    z_.next_out = reinterpret_cast<Bytef*>(out.data());
    z_.avail_out = static_cast<uInt>(out.size());
    deflate(&z_, Z_SYNC_FLUSH);
    out.resize(out.size() - z_.avail_out);
    EXPECT_EQ(out.substr(out.size() - 4), std::string("\x00\x00\xff\xff", 4));
    out.resize(out.size() - 4);
    return out;
  }

 private:
  z_stream z_{};
};

TEST(WebSocket, PermessageDeflateMessagesAreInflatedWithContextTakeover) {
  MessageDeflater deflater;
  std::string second = kEvent;  // mostly back-references into the first message
  std::string c1 = deflater.compress(kEvent);
  std::string c2 = deflater.compress(second);
  ASSERT_LT(c2.size(), c1.size() / 2);
  std::string bytes = upgrade("permessage-deflate; client_max_window_bits") +
                      wsFrame(false, kText, c1.substr(0, 20), /*rsv1=*/true) +
                      wsFrame(true, kCont, c1.substr(20)) + wsFrame(true, kText, c2, true) +
                      wsFrame(true, kText, "plain, uncompressed");
  auto done = testing::feedAll(bytes);
  ASSERT_EQ(done.size(), 4u);
  for (size_t i : {1, 2}) {
    EXPECT_TRUE(hasNote(done[i], "permessage-deflate"));
    EXPECT_EQ(done[i].body_bytes, kEvent.size());
    EXPECT_NE(findingsOf(done[i], kEvent).find("SSN=536-22-1234"), std::string::npos)
        << testing::render(done[i]);
  }
  EXPECT_EQ(done[3].body_bytes, 19u);
  EXPECT_EQ(testing::renderAll(testing::feedBytewise(bytes)), testing::renderAll(done));
}

TEST(WebSocket, DeflateBombIsAReportedLimit) {
  MessageDeflater deflater;
  std::string bomb = deflater.compress(std::string(8 << 20, 'a'));
  InspectorLimits limits;
  limits.max_decoded_body_bytes = 1 << 20;
  auto inspector = newInspector(limits);
  auto done = inspector->feed(upgrade("permessage-deflate") + wsFrame(true, kText, bomb, true));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kResourceExhausted);
}

TEST(WebSocket, ARefusedUpgradeFallsBackToHttp1) {
  // The server answered the upgrade with an error (not seen); the client sends HTTP again.
  std::string next =
      "POST /v1/responses HTTP/1.1\r\nHost: api.openai.com\r\n"
      "Content-Length: 30\r\n\r\n{\"input\":\"pt SSN 536-22-1234\"}";
  auto done = testing::feedAll(upgrade() + next);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[1].protocol, "http/1.1");
  EXPECT_EQ(done[1].method, "POST");
  EXPECT_EQ(testing::countType(done[1].findings, "SSN"), 1u) << testing::render(done[1]);
  EXPECT_EQ(testing::renderAll(testing::feedBytewise(upgrade() + next)), testing::renderAll(done));
}

TEST(WebSocket, ProtocolViolationsAreErrorsWithOffsets) {
  std::string up = upgrade();  // the frames below start at this offset
  std::string at = "websocket at stream byte " + std::to_string(up.size()) + ": ";
  testing::expectError(up + wsFrame(true, kText, "hi", false, /*masked=*/false),
                       at + "client frame not masked");
  testing::expectError(up + wsFrame(true, kText, "hi", /*rsv1=*/true),
                       at + "RSV1 set without permessage-deflate");
  testing::expectError(up + wsFrame(true, kCont, "hi"), at + "continuation without a message");
  testing::expectError(up + wsFrame(true, 3, "hi"), at + "unknown opcode 3");
  testing::expectError(up + wsFrame(false, kPing, "hi"), at + "malformed control frame");
}

}  // namespace
}  // namespace sluice::agent
