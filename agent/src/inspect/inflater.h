// File: inflater.h
//
// Streaming zlib decoding for Content-Encoding gzip/deflate bodies and permessage-deflate
// WebSocket messages. The output is handed on in pieces as it is produced, never collected,
// and its total is bounded so that a small compressed body cannot expand into gigabytes (a
// zip bomb is a reported condition, kResourceExhausted, which the caller's fail mode handles).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sluice/common/result.h"

namespace sluice::agent::inspect {

class Inflater {
 public:
  enum class Format {
    kGzip,     // RFC 1952, members may follow one another
    kDeflate,  // HTTP "deflate": zlib-wrapped (RFC 1950), raw deflate accepted as well
    kRaw,      // raw deflate (RFC 1951), permessage-deflate
  };
  using Sink = std::function<Status(std::string_view)>;

  // `max_output`: the most bytes the whole stream may decode to.
  static Result<std::unique_ptr<Inflater>> create(Format format, uint64_t max_output);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  Status feed(std::string_view in, const Sink& sink);
  // Ends the stream. Returns a note when it ended early ("gzip data truncated") or trailing
  // bytes were ignored, "" otherwise.
  std::string finish();
  // For permessage-deflate: the output limit applies per message from now on.
  void resetOutputBudget() { produced_ = 0; }
  uint64_t produced() const { return produced_; }

 private:
  Inflater(Format format, uint64_t max_output);
  Status start(std::string_view first_bytes);
  Status run(std::string_view in, const Sink& sink);

  struct Stream;
  std::unique_ptr<Stream> z_;
  Format format_;
  uint64_t max_output_;
  uint64_t produced_ = 0;
  bool started_ = false;
  bool ended_ = false;     // the (last) zlib stream reached its end
  bool trailing_ = false;  // bytes after the end were ignored
  std::string lead_;       // kDeflate: the first byte, until the second shows the wrapper
};

std::string_view formatName(Inflater::Format format);

}  // namespace sluice::agent::inspect
