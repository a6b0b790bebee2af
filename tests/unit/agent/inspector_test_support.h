// Shared by the request inspector tests: one Scanner per binary, feeding helpers (whole,
// byte at a time, random splits), a one-line rendering of a request so that two decodings
// can be compared, and zlib helpers that build compressed bodies the way clients do.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sluice/agent/request_inspector.h"

namespace sluice::agent::testing {

inline std::shared_ptr<const scanner::Scanner> sharedScanner() {
  static std::shared_ptr<scanner::Scanner> scanner = [] {
    auto created = scanner::Scanner::create();
    if (!created) {
      ADD_FAILURE() << created.error().toString();
      std::abort();
    }
    return *created;
  }();
  return scanner;
}

inline std::unique_ptr<RequestInspector> newInspector(InspectorLimits limits = {}) {
  auto created = RequestInspector::create(sharedScanner(), limits);
  EXPECT_TRUE(created.ok());
  return std::move(*created);
}

// Types and body excerpts of the findings, e.g. "SSN=536-22-1234" (IMAGE shows its range).
inline std::string findingsOf(const InspectedRequest& r, std::string_view body) {
  std::string out;
  for (const scanner::Finding& f : r.findings) {
    out += std::string(scanner::typeName(f.type)) + "=";
    if (f.type == scanner::PhiType::kImage || f.end > body.size()) {
      out += "[" + std::to_string(f.start) + "," + std::to_string(f.end) + ")";
    } else {
      out += std::string(body.substr(f.start, f.end - f.start));
    }
    out += " ";
  }
  return out;
}

inline bool hasType(const std::vector<scanner::Finding>& findings, std::string_view type) {
  for (const auto& f : findings) {
    if (scanner::typeName(f.type) == type) return true;
  }
  return false;
}

inline size_t countType(const std::vector<scanner::Finding>& findings, std::string_view type) {
  size_t n = 0;
  for (const auto& f : findings) n += scanner::typeName(f.type) == type ? 1 : 0;
  return n;
}

inline bool hasNote(const InspectedRequest& r, std::string_view note) {
  for (const auto& n : r.notes) {
    if (n == note) return true;
  }
  return false;
}

// Everything the inspector reports about a request, on one line.
inline std::string render(const InspectedRequest& r) {
  std::string out = std::to_string(r.id) + " " + r.protocol + " " + r.method + " " + r.path +
                    " host=" + r.host + " stream=" + std::to_string(r.h2_stream) +
                    " body=" + std::to_string(r.body_bytes) + " findings=";
  for (const auto& f : r.findings) {
    out += std::string(scanner::typeName(f.type)) + "@" + std::to_string(f.start) + "-" +
           std::to_string(f.end) + ",";
  }
  out += " head=";
  for (const auto& f : r.head_findings) {
    out += std::string(scanner::typeName(f.type)) + "@" + std::to_string(f.start) + ",";
  }
  out += " notes=";
  for (const auto& n : r.notes) out += n + ";";
  return out;
}

// Feeds `bytes` cut at `cuts` (sorted offsets); fails the test on an error.
inline std::vector<InspectedRequest> feedCuts(RequestInspector& inspector, std::string_view bytes,
                                              const std::vector<size_t>& cuts) {
  std::vector<InspectedRequest> all;
  size_t pos = 0;
  auto feedPiece = [&](std::string_view piece) {
    auto done = inspector.feed(piece);
    EXPECT_TRUE(done.ok()) << done.error().toString();
    if (done.ok()) all.insert(all.end(), done->begin(), done->end());
  };
  for (size_t cut : cuts) {
    feedPiece(bytes.substr(pos, cut - pos));
    pos = cut;
  }
  feedPiece(bytes.substr(pos));
  return all;
}

inline std::vector<InspectedRequest> feedAll(std::string_view bytes, InspectorLimits limits = {}) {
  auto inspector = newInspector(limits);
  auto done = feedCuts(*inspector, bytes, {});
  EXPECT_FALSE(inspector->pending());
  return done;
}

inline std::vector<InspectedRequest> feedBytewise(std::string_view bytes) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  auto inspector = newInspector();
  return feedCuts(*inspector, bytes, cuts);
}

inline std::vector<InspectedRequest> feedRandomSplits(std::string_view bytes, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<size_t> cuts;
  for (size_t pos = 0; pos < bytes.size();) {
    pos += 1 + rng() % 97;
    if (pos < bytes.size()) cuts.push_back(pos);
  }
  auto inspector = newInspector();
  return feedCuts(*inspector, bytes, cuts);
}

// Feeds `bytes` in one write and expects an error whose message contains `expect`.
inline void expectError(std::string_view bytes, std::string_view expect) {
  auto inspector = newInspector();
  auto done = inspector->feed(bytes);
  ASSERT_FALSE(done.ok()) << expect;
  EXPECT_NE(done.error().message().find(expect), std::string::npos)
      << "got: " << done.error().message() << "\nwant: " << expect;
}

inline std::string renderAll(const std::vector<InspectedRequest>& requests) {
  std::string out;
  for (const auto& r : requests) out += render(r) + "\n";
  return out;
}

// zlib with `window_bits` 15+16 (gzip), 15 (zlib) or -15 (raw); `flush` Z_FINISH or
// Z_SYNC_FLUSH (permessage-deflate).
inline std::string deflateBytes(std::string_view in, int window_bits, int flush = Z_FINISH) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, flush);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

// A client frame as RFC 6455 5.2 lays it out, masked with `key`.
inline std::string wsFrame(bool fin, uint8_t opcode, std::string_view payload, bool rsv1 = false,
                           bool masked = true, uint32_t key = 0x37fa213d) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
  uint8_t mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() < 65536) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((uint64_t{payload.size()} >> shift) & 0xff));
    }
  }
  uint8_t k[4] = {static_cast<uint8_t>(key >> 24), static_cast<uint8_t>(key >> 16),
                  static_cast<uint8_t>(key >> 8), static_cast<uint8_t>(key)};
  if (masked) out.append(reinterpret_cast<const char*>(k), 4);
  for (size_t i = 0; i < payload.size(); ++i) {
    out.push_back(masked ? static_cast<char>(payload[i] ^ k[i % 4]) : payload[i]);
  }
  return out;
}

inline std::string gzipBytes(std::string_view in) {
  return deflateBytes(in, 15 + 16);
}

}  // namespace sluice::agent::testing
