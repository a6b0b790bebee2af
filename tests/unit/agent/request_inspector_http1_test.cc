// HTTP/1.1 decoding in the request inspector: framing (Content-Length, chunked, pipelining,
// 100-continue), content codings and their bomb limit, multipart uploads, head scanning, the
// pending() contract the hold relies on, and errors with offsets.
#include "inspector_test_support.h"
#include "sluice/scanner/redact.h"

namespace sluice::agent {
namespace {

using testing::feedAll;
using testing::feedBytewise;
using testing::feedCuts;
using testing::findingsOf;
using testing::hasNote;
using testing::newInspector;

const std::string kPhiJson =
    R"({"model":"gpt-4o","messages":[{"role":"user","content":"Patient SSN 536-22-1234, )"
    R"(call (217) 555-0143 about the results"}]})";

std::string post(std::string_view body, std::string_view extra_headers = "",
                 std::string_view content_type = "application/json") {
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: api.openai.com\r\n"
         "Authorization: Bearer sk-test-123456789\r\nContent-Type: " +
         std::string(content_type) + "\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string chunked(std::string_view body, size_t chunk) {
  std::string out;
  for (size_t pos = 0; pos < body.size(); pos += chunk) {
    std::string_view piece = body.substr(pos, chunk);
    char size[32];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    out += std::string(size) + (pos == 0 ? ";ext=1" : "") + "\r\n" + std::string(piece) + "\r\n";
  }
  return out + "0\r\nx-trailer: done\r\n\r\n";
}

TEST(Http1, ContentLengthBodyIsScannedWithOffsetsIntoTheBody) {
  auto done = feedAll(post(kPhiJson));
  ASSERT_EQ(done.size(), 1u);
  const InspectedRequest& r = done[0];
  EXPECT_EQ(r.protocol, "http/1.1");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/chat/completions");
  EXPECT_EQ(r.host, "api.openai.com");
  EXPECT_EQ(r.body_bytes, kPhiJson.size());
  std::string found = findingsOf(r, kPhiJson);
  EXPECT_NE(found.find("SSN=536-22-1234"), std::string::npos) << found;
  EXPECT_NE(found.find("PHONE=(217) 555-0143"), std::string::npos) << found;
  EXPECT_TRUE(r.head_findings.empty());
}

TEST(Http1, PendingWhileHeadersWaitForTheirBody) {
  auto inspector = newInspector();
  std::string bytes = post(kPhiJson);
  size_t head_end = bytes.find("\r\n\r\n") + 4;
  EXPECT_FALSE(inspector->pending());
  auto first = inspector->feed(bytes.substr(0, 10));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(inspector->pending());
  EXPECT_EQ(inspector->pendingHost(), std::nullopt);  // head not complete yet
  auto head = inspector->feed(bytes.substr(10, head_end - 10));
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->empty());
  EXPECT_TRUE(inspector->pending());
  EXPECT_EQ(inspector->pendingHost(), "api.openai.com");
  auto body = inspector->feed(bytes.substr(head_end));
  ASSERT_TRUE(body.ok());
  ASSERT_EQ(body->size(), 1u);
  EXPECT_FALSE(inspector->pending());
  EXPECT_EQ(inspector->pendingHost(), std::nullopt);
}

TEST(Http1, ExpectContinueKeepsTheRequestPendingUntilTheBody) {
  auto inspector = newInspector();
  std::string bytes = post(kPhiJson, "Expect: 100-continue\r\n");
  size_t head_end = bytes.find("\r\n\r\n") + 4;
  auto head = inspector->feed(bytes.substr(0, head_end));
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->empty());
  EXPECT_TRUE(inspector->pending());
  auto body = inspector->feed(bytes.substr(head_end));
  ASSERT_TRUE(body.ok());
  ASSERT_EQ(body->size(), 1u);
  EXPECT_TRUE(hasNote((*body)[0], "expect: 100-continue"));
  EXPECT_NE(findingsOf((*body)[0], kPhiJson).find("SSN"), std::string::npos);
  EXPECT_FALSE(inspector->pending());
}

TEST(Http1, PipelinedKeepAliveRequestsComeOutInOrder) {
  std::string bytes = "\r\n" + post(kPhiJson) +
                      "GET /v1/models HTTP/1.1\r\nHost: a.example\r\n\r\n" +
                      post(R"({"input":"nothing to see"})");
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].id, 0u);
  EXPECT_EQ(done[1].id, 1u);
  EXPECT_EQ(done[2].id, 2u);
  EXPECT_EQ(done[1].method, "GET");
  EXPECT_EQ(done[1].host, "a.example");
  EXPECT_EQ(done[1].body_bytes, 0u);
  EXPECT_FALSE(done[0].findings.empty());
  EXPECT_TRUE(done[2].findings.empty());
}

TEST(Http1, ChunkedBodyWithAValueSplitAcrossChunksIsFoundOnce) {
  std::string bytes =
      "POST /v1/responses HTTP/1.1\r\nHost: api.openai.com\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: application/json\r\n\r\n" +
      chunked(kPhiJson, 7);
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(hasNote(done[0], "chunked"));
  EXPECT_EQ(done[0].body_bytes, kPhiJson.size());
  EXPECT_EQ(testing::countType(done[0].findings, "SSN"), 1u) << findingsOf(done[0], kPhiJson);
  EXPECT_NE(findingsOf(done[0], kPhiJson).find("SSN=536-22-1234"), std::string::npos);
}

TEST(Http1, AValueSplitAcrossTwoWritesIsFoundOnce) {
  std::string bytes = post(kPhiJson);
  size_t cut = bytes.find("536-22") + 4;  // "536-" | "22-1234"
  auto inspector = newInspector();
  auto done = feedCuts(*inspector, bytes, {cut});
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(testing::countType(done[0].findings, "SSN"), 1u);
}

TEST(Http1, GzipAndDeflateBodiesAreDecodedBeforeScanning) {
  struct Case {
    std::string encoding;
    std::string body;
  };
  for (const Case& c :
       {Case{"gzip", testing::gzipBytes(kPhiJson)}, Case{"x-gzip", testing::gzipBytes(kPhiJson)},
        Case{"deflate", testing::deflateBytes(kPhiJson, 15)},
        Case{"deflate", testing::deflateBytes(kPhiJson, -15)},
        Case{"gzip, deflate", testing::deflateBytes(testing::gzipBytes(kPhiJson), 15)}}) {
    auto done = feedAll(post(c.body, "Content-Encoding: " + c.encoding + "\r\n"));
    ASSERT_EQ(done.size(), 1u) << c.encoding;
    EXPECT_EQ(done[0].body_bytes, kPhiJson.size()) << c.encoding;
    EXPECT_NE(findingsOf(done[0], kPhiJson).find("SSN=536-22-1234"), std::string::npos)
        << c.encoding << ": " << testing::render(done[0]);
  }
}

TEST(Http1, GzipOverChunkedByteAtATimeMatchesOneFeed) {
  std::string bytes =
      "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      chunked(testing::gzipBytes(kPhiJson + kPhiJson), 5) + post(kPhiJson);
  std::string one = testing::renderAll(feedAll(bytes));
  EXPECT_EQ(testing::renderAll(feedBytewise(bytes)), one);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(testing::renderAll(testing::feedRandomSplits(bytes, seed)), one) << seed;
  }
  EXPECT_NE(one.find("SSN"), std::string::npos) << one;
}

TEST(Http1, GzipBombIsAReportedLimit) {
  std::string zeros(8 << 20, '\0');
  std::string bomb = testing::gzipBytes(zeros);
  ASSERT_LT(bomb.size(), 64u << 10);
  InspectorLimits limits;
  limits.max_decoded_body_bytes = 1 << 20;
  auto inspector = newInspector(limits);
  auto done = inspector->feed(post(bomb, "Content-Encoding: gzip\r\n"));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(done.error().message().find("max_decoded_body_bytes"), std::string::npos)
      << done.error().message();
  // The inspector stays failed: the caller applies its fail mode.
  auto again = inspector->feed("GET / HTTP/1.1\r\n\r\n");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(Http1, UnknownContentEncodingIsUnavailable) {
  auto inspector = newInspector();
  auto done = inspector->feed(post("\x1b\x02\x00", "Content-Encoding: br\r\n"));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kUnavailable);
}

TEST(Http1, QueryStringAndCustomHeadersAreScannedButNotCredentials) {
  std::string bytes =
      "GET /v1/search?q=patient%20SSN%20536-22-1234 HTTP/1.1\r\nHost: h\r\n"
      "X-Patient-Email: maria.gonzalez@example.org\r\n"
      "Authorization: Bearer 536-22-1234\r\n\r\n";
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].findings.empty());
  EXPECT_EQ(testing::countType(done[0].head_findings, "SSN"), 1u) << testing::render(done[0]);
  EXPECT_TRUE(testing::hasType(done[0].head_findings, "EMAIL")) << testing::render(done[0]);
  EXPECT_TRUE(hasNote(done[0], "head: SSN in the request target")) << testing::render(done[0]);
  EXPECT_TRUE(hasNote(done[0], "head: EMAIL in header x-patient-email"))
      << testing::render(done[0]);
}

std::string multipartBody(const std::string& boundary, const std::string& pdf) {
  return "--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n"
         "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}\n"
         "{\"messages\":[{\"role\":\"user\",\"content\":\"Patient SSN 536-22-1234\"}]}\n\r\n--" +
         boundary +
         "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"chart.pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n" +
         pdf + "\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"x\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n" +
         std::string("\x89PNG\r\n\x1a\n\x00\x01\x02 123-45", 18) + "\r\n--" + boundary + "--\r\n";
}

TEST(Http1, MultipartScansTextPartsAndReportsBinaryPartsAsImage) {
  std::string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
  // A PDF whose bytes hold an SSN-looking run: it must be reported, not scanned.
  std::string pdf = "%PDF-1.7\n" + std::string(2000, 'x') + " 536-22-1234 %%EOF";
  std::string body = multipartBody(boundary, pdf);
  std::string bytes = post(body, "", "multipart/form-data; boundary=\"" + boundary + "\"");
  std::string one = testing::renderAll(feedAll(bytes));
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 1u);
  const InspectedRequest& r = done[0];
  std::string found = findingsOf(r, body);
  EXPECT_EQ(testing::countType(r.findings, "SSN"), 1u) << found;
  EXPECT_NE(found.find("SSN=536-22-1234"), std::string::npos) << found;
  EXPECT_EQ(testing::countType(r.findings, "IMAGE"), 2u) << found;
  size_t pdf_at = body.find("%PDF");
  bool pdf_range = false;
  for (const auto& f : r.findings) {
    if (f.type == scanner::PhiType::kImage && f.start == pdf_at && f.end == pdf_at + pdf.size()) {
      pdf_range = true;
    }
  }
  EXPECT_TRUE(pdf_range) << found;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    if (r.findings[i].start == pdf_at) {
      EXPECT_EQ(r.evidence[i].masked,
                "[application/pdf, " + std::to_string(pdf.size()) + " bytes]");
    }
  }
  EXPECT_TRUE(hasNote(r, "multipart: 4 parts")) << testing::render(r);
  EXPECT_TRUE(hasNote(r, "multipart: 1 application/pdf part reported as IMAGE"))
      << testing::render(r);
  EXPECT_TRUE(hasNote(r, "multipart: 1 image/png part reported as IMAGE")) << testing::render(r);
  EXPECT_EQ(testing::renderAll(feedBytewise(bytes)), one);
}

TEST(Http1, FormUrlencodedBodiesArePercentDecoded) {
  std::string form = "note=Patient+seen+today&dob=03%2F14%2F1962&ssn=536%2D22%2D1234&x=%zz";
  std::string decoded = "note=Patient seen today&dob=03/14/1962&ssn=536-22-1234&x=%zz";
  std::string bytes = post(form, "", "application/x-www-form-urlencoded");
  std::string one = testing::renderAll(feedAll(bytes));
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].body_bytes, decoded.size());
  EXPECT_TRUE(hasNote(done[0], "form-urlencoded"));
  std::string found = findingsOf(done[0], decoded);
  EXPECT_NE(found.find("SSN=536-22-1234"), std::string::npos) << found;
  EXPECT_NE(found.find("DATE=03/14/1962"), std::string::npos) << found;
  EXPECT_EQ(testing::renderAll(feedBytewise(bytes)), one);
}

TEST(Http1, WholeBinaryBodyIsReportedByType) {
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(600, '\x01');
  std::string bytes =
      "PUT /files/1 HTTP/1.1\r\nHost: h\r\nContent-Type: image/png\r\n"
      "Content-Length: " +
      std::to_string(png.size()) + "\r\n\r\n" + png;
  auto done = feedAll(bytes);
  ASSERT_EQ(done.size(), 1u);
  ASSERT_EQ(done[0].findings.size(), 1u);
  EXPECT_EQ(done[0].findings[0].type, scanner::PhiType::kImage);
  EXPECT_EQ(done[0].findings[0].end, png.size());
  EXPECT_TRUE(hasNote(done[0], "body: image/png reported as IMAGE")) << testing::render(done[0]);
}

TEST(Http1, MalformedInputIsAnErrorWithItsOffset) {
  struct Case {
    std::string bytes;
    std::string expect;
  };
  std::string ok = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";  // 27 bytes
  for (const Case& c : {
           Case{"\x16\x03\x01\x02\x00", "at stream byte 0: not an HTTP request"},
           Case{ok + "GET / HTTP/1.1\r\nHost h\r\n\r\n", "at stream byte 43: malformed header"},
           Case{ok + "GET / HTTP/3\r\n\r\n", "at stream byte 33: unsupported version"},
           Case{ok + "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "at stream byte 74: invalid chunk size"},
           Case{ok + "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
                "at stream byte 44: invalid Content-Length"},
           Case{ok + "POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd",
                "request starting at stream byte 27: gzip data is corrupt"},
       }) {
    testing::expectError(c.bytes, c.expect);
  }
}

TEST(Http1, FindingsCarryMaskedAndKeyedEvidenceNeverTheValue) {
  auto inspector = newInspector();
  inspector->setEvidenceKey("alert-key");
  std::string bytes =
      "GET /p?email=maria.gonzalez%40example.org HTTP/1.1\r\nHost: h\r\n\r\n" + post(kPhiJson);
  auto done = feedCuts(*inspector, bytes, {});
  ASSERT_EQ(done.size(), 2u);
  ASSERT_EQ(done[0].head_evidence.size(), done[0].head_findings.size());
  ASSERT_EQ(done[0].head_evidence.size(), 1u);
  EXPECT_EQ(done[0].head_evidence[0].masked, "m***@example.org");
  const InspectedRequest& r = done[1];
  ASSERT_EQ(r.evidence.size(), r.findings.size());
  bool ssn = false;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    if (r.findings[i].type != scanner::PhiType::kSsn) continue;
    ssn = true;
    EXPECT_EQ(r.evidence[i].masked, "***-**-1234");
    auto hash = scanner::keyedHash("alert-key", scanner::PhiType::kSsn, "536-22-1234");
    ASSERT_TRUE(hash.ok());
    EXPECT_EQ(r.evidence[i].keyed_hash, *hash);
    EXPECT_EQ(r.evidence[i].masked.find("536"), std::string::npos);
  }
  EXPECT_TRUE(ssn);
}

TEST(Http1, EvidenceIsBoundedAcrossOpenRequestsAndTheBudgetComesBack) {
  InspectorLimits limits;
  limits.max_evidence_bytes = 20;  // the SSN sits past byte 20 of the body
  auto inspector = newInspector(limits);
  for (int round = 0; round < 2; ++round) {
    auto done = feedCuts(*inspector, post(kPhiJson), {});
    ASSERT_EQ(done.size(), 1u);
    ASSERT_EQ(done[0].evidence.size(), done[0].findings.size());
    for (const auto& e : done[0].evidence) EXPECT_EQ(e.masked, "");
  }
  std::string early = R"({"a":"pt SSN 536-22-1234"})";
  limits.max_evidence_bytes = 64;
  auto roomy = newInspector(limits);
  for (int round = 0; round < 3; ++round) {  // each request gets the whole budget back
    auto done = feedCuts(*roomy, post(early), {});
    ASSERT_EQ(done.size(), 1u);
    ASSERT_FALSE(done[0].evidence.empty()) << testing::render(done[0]);
    EXPECT_EQ(done[0].evidence.back().masked, "***-**-1234") << round;
  }
}

TEST(Http1, OversizedHeadIsALimit) {
  InspectorLimits limits;
  limits.max_head_bytes = 1024;
  auto inspector = newInspector(limits);
  auto done = inspector->feed("GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a'));
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace sluice::agent
