// HTTP/2 decoding in the request inspector, on bytes written by a real encoder: a libnghttp2
// client session (connection preface, SETTINGS, HPACK with Huffman and the dynamic table,
// CONTINUATION for large header blocks, padded DATA, several streams interleaved).
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <map>

#include "inspector_test_support.h"

namespace sluice::agent {
namespace {

using testing::findingsOf;
using testing::hasNote;
using testing::newInspector;
using testing::wsFrame;

struct Body {
  std::string data;
  size_t pos = 0;
  bool deferred = false;
};

// A client session whose output is collected instead of sent.
class H2Client {
 public:
  explicit H2Client(size_t chunk = 100, bool pad = false) : chunk_(chunk) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    if (pad) {
      nghttp2_session_callbacks_set_select_padding_callback(
          cbs, [](nghttp2_session*, const nghttp2_frame* frame, size_t max, void*) -> ssize_t {
            return static_cast<ssize_t>(std::min(max, frame->hd.length + 13));
          });
    }
    nghttp2_session_client_new(&session_, cbs, this);
    nghttp2_session_callbacks_del(cbs);
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~H2Client() { nghttp2_session_del(session_); }

  int32_t request(const std::string& method, const std::string& path,
                  std::vector<std::pair<std::string, std::string>> headers, const std::string* body,
                  bool deferred = false) {
    std::vector<std::pair<std::string, std::string>> all = {{":method", method},
                                                            {":scheme", "https"},
                                                            {":authority", "api.openai.com"},
                                                            {":path", path}};
    all.insert(all.end(), headers.begin(), headers.end());
    std::vector<nghttp2_nv> nva;
    for (auto& [n, v] : all) {
      nva.push_back({reinterpret_cast<uint8_t*>(n.data()), reinterpret_cast<uint8_t*>(v.data()),
                     n.size(), v.size(), NGHTTP2_NV_FLAG_NONE});
    }
    if (body == nullptr) {
      return nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), nullptr, nullptr);
    }
    bodies_.push_back(std::make_unique<Body>(Body{*body, 0, deferred}));
    nghttp2_data_provider provider;
    provider.source.ptr = bodies_.back().get();
    provider.read_callback = [](nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                                uint32_t* flags, nghttp2_data_source* source,
                                void* user) -> ssize_t {
      auto* b = static_cast<Body*>(source->ptr);
      if (b->deferred) return NGHTTP2_ERR_DEFERRED;
      size_t n = std::min({length, static_cast<H2Client*>(user)->chunk_, b->data.size() - b->pos});
      std::memcpy(buf, b->data.data() + b->pos, n);
      b->pos += n;
      if (b->pos == b->data.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
      return static_cast<ssize_t>(n);
    };
    return nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), &provider, nullptr);
  }

  // Delivers the server's SETTINGS frame to the client (the inspector never sees it).
  void serverSettings(const std::vector<nghttp2_settings_entry>& entries) {
    std::string frame = {0, 0, static_cast<char>(entries.size() * 6), 4, 0, 0, 0, 0, 0};
    for (const auto& e : entries) {
      frame += {static_cast<char>(e.settings_id >> 8), static_cast<char>(e.settings_id & 0xff)};
      for (int shift = 24; shift >= 0; shift -= 8) {
        frame.push_back(static_cast<char>((e.value >> shift) & 0xff));
      }
    }
    std::string server = std::string(frame);
    EXPECT_EQ(nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(server.data()),
                                       server.size()),
              static_cast<ssize_t>(server.size()));
  }

  void resume(int32_t stream) {
    for (auto& b : bodies_) b->deferred = false;
    nghttp2_session_resume_data(session_, stream);
  }

  std::string send() {
    std::string out;
    for (;;) {
      const uint8_t* data = nullptr;
      ssize_t n = nghttp2_session_mem_send(session_, &data);
      EXPECT_GE(n, 0);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    return out;
  }

 private:
  nghttp2_session* session_ = nullptr;
  size_t chunk_;
  std::vector<std::unique_ptr<Body>> bodies_;
};

struct Frame {
  uint8_t type;
  uint8_t flags;
  uint32_t stream;
};
std::vector<Frame> framesOf(std::string_view bytes) {
  std::vector<Frame> out;
  bytes.remove_prefix(24);
  while (bytes.size() >= 9) {
    auto u = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
    uint32_t len = (uint32_t{u(0)} << 16) | (uint32_t{u(1)} << 8) | u(2);
    out.push_back(
        {u(3), u(4), ((uint32_t{u(5)} << 24) | (u(6) << 16) | (u(7) << 8) | u(8)) & 0x7fffffffu});
    bytes.remove_prefix(9 + len);
  }
  return out;
}

std::string noteBody(std::string_view phi, size_t at, size_t size) {
  std::string body = R"({"model":"gpt-4o","input":")";
  body += std::string(at - body.size(), 'a');
  body += phi;
  body += std::string(size - body.size() - 2, 'b') + "\"}";
  return body;
}

TEST(H2, InterleavedStreamsFromARealClientAreDecodedAndScanned) {
  H2Client client(/*chunk=*/100, /*pad=*/true);
  std::string clean = noteBody("nothing here", 150, 700);
  std::string phi = noteBody("Patient SSN 536-22-1234 seen today", 190, 900);  // spans a DATA frame
  std::string note(40000, 'n');
  note += " Patient SSN 536-22-1234";  // a header block needing CONTINUATION frames
  std::vector<std::pair<std::string, std::string>> json = {{"content-type", "application/json"},
                                                           {"x-client", "sluice-test"}};
  client.request("POST", "/v1/responses", json, &clean);
  client.request("POST", "/v1/responses", json, &phi);
  client.request("GET", "/v1/models?patient=maria.gonzalez%40example.org", json, nullptr);
  client.request("POST", "/v1/notes", {{"x-note", note}}, &clean);
  std::string bytes = client.send();

  std::vector<Frame> frames = framesOf(bytes);
  size_t continuation = 0, padded = 0, last_data_1 = 0, first_data_3 = frames.size();
  for (size_t i = 0; i < frames.size(); ++i) {
    continuation += frames[i].type == 9 ? 1 : 0;
    padded += frames[i].type == 0 && (frames[i].flags & 0x8) != 0 ? 1 : 0;
    if (frames[i].type == 0 && frames[i].stream == 1) last_data_1 = i;
    if (frames[i].type == 0 && frames[i].stream == 3) first_data_3 = std::min(first_data_3, i);
  }
  ASSERT_GT(continuation, 0u) << "the encoder should have split the large header block";
  ASSERT_GT(padded, 0u);
  ASSERT_LT(first_data_3, last_data_1) << "streams 1 and 3 should interleave";

  auto done = testing::feedAll(bytes);
  ASSERT_EQ(done.size(), 4u);
  std::map<uint32_t, InspectedRequest> by_stream;
  for (auto& r : done) by_stream[r.h2_stream] = r;
  EXPECT_EQ(by_stream[1].protocol, "h2");
  EXPECT_EQ(by_stream[1].method, "POST");
  EXPECT_EQ(by_stream[1].path, "/v1/responses");
  EXPECT_EQ(by_stream[1].host, "api.openai.com");
  EXPECT_EQ(by_stream[1].body_bytes, clean.size());
  EXPECT_TRUE(by_stream[1].findings.empty()) << testing::render(by_stream[1]);
  EXPECT_EQ(by_stream[3].body_bytes, phi.size());
  EXPECT_EQ(findingsOf(by_stream[3], phi), "SSN=536-22-1234 ") << testing::render(by_stream[3]);
  EXPECT_EQ(by_stream[5].method, "GET");
  EXPECT_TRUE(testing::hasType(by_stream[5].head_findings, "EMAIL"))
      << testing::render(by_stream[5]);
  EXPECT_TRUE(hasNote(by_stream[7], "head: SSN in header x-note")) << testing::render(by_stream[7]);
  // ids follow the order in which requests began
  EXPECT_EQ(by_stream[1].id, 0u);
  EXPECT_EQ(by_stream[7].id, 3u);

  std::string one = testing::renderAll(done);
  EXPECT_EQ(testing::renderAll(testing::feedBytewise(bytes)), one);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(testing::renderAll(testing::feedRandomSplits(bytes, seed)), one) << seed;
  }
}

TEST(H2, TheDynamicTableStaysInStepAcrossManyRequests) {
  H2Client client;
  std::string body = R"({"input":"Patient SSN 536-22-1234"})";
  for (int i = 0; i < 40; ++i) {
    client.request("POST", "/v1/responses",
                   {{"content-type", "application/json"},
                    {"x-request-tag", "tag-" + std::to_string(i % 7)},
                    {"user-agent", "OpenAI/Python 1.40.0"}},
                   &body);
  }
  std::string bytes = client.send();
  auto done = testing::feedAll(bytes);
  ASSERT_EQ(done.size(), 40u);
  for (const auto& r : done) {
    EXPECT_EQ(r.path, "/v1/responses");
    EXPECT_EQ(r.host, "api.openai.com");
    EXPECT_EQ(testing::countType(r.findings, "SSN"), 1u) << testing::render(r);
  }
}

TEST(H2, HeadersWithoutTheirBodyArePendingUntilEndStream) {
  H2Client client;
  auto inspector = newInspector();
  ASSERT_TRUE(inspector->feed(client.send()).ok());  // preface + SETTINGS: no request
  EXPECT_FALSE(inspector->pending());
  EXPECT_EQ(inspector->protocol(), "h2");
  std::string body = R"({"input":"Patient SSN 536-22-1234"})";
  int32_t stream = client.request("POST", "/v1/responses", {{"content-type", "application/json"}},
                                  &body, /*deferred=*/true);
  auto head = inspector->feed(client.send());
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->empty());
  EXPECT_TRUE(inspector->pending());
  EXPECT_EQ(inspector->pendingHost(), "api.openai.com");
  client.resume(stream);
  auto rest = inspector->feed(client.send());
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(testing::countType((*rest)[0].findings, "SSN"), 1u);
  EXPECT_FALSE(inspector->pending());
}

TEST(H2, GzipBodyOnAStream) {
  H2Client client(/*chunk=*/16);
  std::string plain = R"({"input":"Patient SSN 536-22-1234"})";
  std::string gz = testing::gzipBytes(plain);
  client.request("POST", "/v1/responses",
                 {{"content-type", "application/json"}, {"content-encoding", "gzip"}}, &gz);
  auto done = testing::feedAll(client.send());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].body_bytes, plain.size());
  EXPECT_NE(findingsOf(done[0], plain).find("SSN=536-22-1234 "), std::string::npos);
  EXPECT_TRUE(hasNote(done[0], "gzip"));
}

// A protobuf message with one string field (field 1, wire type 2), as gRPC clients send.
std::string protoString(std::string_view text) {
  std::string out = "\x0a";
  for (size_t n = text.size();; n >>= 7) {
    out.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  return out + std::string(text);
}

std::string grpcMessage(bool compressed, std::string_view message) {
  std::string payload = compressed ? testing::gzipBytes(message) : std::string(message);
  std::string out(1, compressed ? '\x01' : '\x00');
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((payload.size() >> shift) & 0xff));
  }
  return out + payload;
}

TEST(H2, GrpcMessagesAreScannedAndCompressedOnesInflated) {
  H2Client client(/*chunk=*/7);
  std::string m1 = protoString("Patient SSN 536-22-1234 first");
  std::string m2 = protoString(std::string(300, 'x') + " SSN 536-22-1234 second");
  std::string body = grpcMessage(false, m1) + grpcMessage(true, m2);
  client.request(
      "POST", "/google.cloud.aiplatform.v1.PredictionService/GenerateContent",
      {{"content-type", "application/grpc"}, {"grpc-encoding", "gzip"}, {"te", "trailers"}}, &body);
  auto done = testing::feedAll(client.send());
  ASSERT_EQ(done.size(), 1u);
  const InspectedRequest& r = done[0];
  EXPECT_EQ(r.body_bytes, m1.size() + m2.size());
  EXPECT_EQ(testing::countType(r.findings, "SSN"), 2u) << findingsOf(r, m1 + m2);
  EXPECT_EQ(testing::countType(r.findings, "IMAGE"), 0u) << findingsOf(r, m1 + m2);
  EXPECT_TRUE(hasNote(r, "grpc: 2 messages")) << testing::render(r);
}

TEST(H2, WebSocketOverExtendedConnectIsUnmaskedPerMessage) {
  H2Client client(/*chunk=*/9);
  client.serverSettings({{NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1}});
  std::string frames = wsFrame(false, 1, R"({"text":"Patient SSN 536-)") +
                       wsFrame(true, 0, R"(22-1234"})") + wsFrame(true, 1, R"({"text":"hello"})");
  client.request("CONNECT", "/v1/realtime?model=x",
                 {{":protocol", "websocket"}, {"sec-websocket-version", "13"}}, &frames,
                 /*deferred=*/true);
  auto inspector = newInspector();
  auto connect = inspector->feed(client.send());
  ASSERT_TRUE(connect.ok()) << connect.error().toString();
  ASSERT_EQ(connect->size(), 1u);
  EXPECT_EQ((*connect)[0].method, "CONNECT");
  EXPECT_TRUE(hasNote((*connect)[0], "websocket over h2"));
  EXPECT_FALSE(inspector->pending()) << "an idle tunnel holds nothing";
  client.resume(1);
  auto messages = inspector->feed(client.send());
  ASSERT_TRUE(messages.ok()) << messages.error().toString();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].protocol, "websocket");
  EXPECT_EQ((*messages)[0].h2_stream, 1u);
  EXPECT_EQ((*messages)[0].path, "/v1/realtime?model=x");
  EXPECT_EQ(testing::countType((*messages)[0].findings, "SSN"), 1u)
      << testing::render((*messages)[0]);
  EXPECT_TRUE((*messages)[1].findings.empty());
  EXPECT_FALSE(inspector->pending());
}

TEST(H2, MalformedFramesAreErrorsWithOffsets) {
  std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  struct Case {
    std::string bytes;
    std::string expect;
  };
  for (const Case& c : {
           Case{preface + std::string("\x00\x00\x04\x01\x05\x00\x00\x00\x01\xff\xff\xff\xff", 13),
                "h2 at stream byte 24: HPACK decoding failed"},
           Case{preface + std::string("\x00\x00\x00\x05\x04\x00\x00\x00\x01", 9),
                "h2 at stream byte 24: a client sent PUSH_PROMISE"},
           Case{preface + std::string("\x00\x00\x01\x00\x01\x00\x00\x00\x01x", 10),
                "h2 at stream byte 24: DATA on idle stream 1"},
           // GET on stream 1 with END_STREAM, then DATA on it
           Case{preface + std::string("\x00\x00\x01\x01\x05\x00\x00\x00\x01\x82", 10) +
                    std::string("\x00\x00\x01\x00\x01\x00\x00\x00\x01x", 10),
                "h2 at stream byte 34: DATA on closed stream 1"},
           Case{preface + std::string("\x00\x00\x01\x01\x00\x00\x00\x00\x01\x82"
                                      "\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                                      19),
                "h2 at stream byte 34: expected CONTINUATION for stream 1"},
       }) {
    testing::expectError(c.bytes, c.expect);
  }
}

}  // namespace
}  // namespace sluice::agent
