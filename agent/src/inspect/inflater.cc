#include "inflater.h"

#include <zlib.h>

#include <array>

namespace sluice::agent::inspect {

struct Inflater::Stream {
  z_stream z{};
  bool initialised = false;
  ~Stream() {
    if (initialised) inflateEnd(&z);
  }
};

std::string_view formatName(Inflater::Format format) {
  switch (format) {
    case Inflater::Format::kGzip: return "gzip";
    case Inflater::Format::kDeflate: return "deflate";
    case Inflater::Format::kRaw: return "raw deflate";
  }
  return "?";
}

Inflater::Inflater(Format format, uint64_t max_output)
    : z_(std::make_unique<Stream>()), format_(format), max_output_(max_output) {}
Inflater::~Inflater() = default;

Result<std::unique_ptr<Inflater>> Inflater::create(Format format, uint64_t max_output) {
  return std::unique_ptr<Inflater>(new Inflater(format, max_output));
}

// Picks the window bits once the first two bytes are known: HTTP "deflate" is meant to be
// zlib-wrapped, but some clients send raw deflate, so the zlib header check (RFC 1950: CM=8,
// FCHECK makes the first 16 bits a multiple of 31) decides.
Status Inflater::start(std::string_view first_bytes) {
  int bits = 15;
  switch (format_) {
    case Format::kGzip: bits = 15 + 16; break;
    case Format::kRaw: bits = -15; break;
    case Format::kDeflate: {
      auto b0 = static_cast<unsigned char>(first_bytes[0]);
      auto b1 = static_cast<unsigned char>(first_bytes[1]);
      bool zlib_wrapped = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
      bits = zlib_wrapped ? 15 : -15;
      break;
    }
  }
  if (inflateInit2(&z_->z, bits) != Z_OK) {
    return Error(ErrorCode::kResourceExhausted, "zlib: inflateInit2 failed");
  }
  z_->initialised = true;
  started_ = true;
  return okStatus();
}

Status Inflater::feed(std::string_view in, const Sink& sink) {
  if (!started_) {
    if (format_ == Format::kDeflate && lead_.size() + in.size() < 2) {
      lead_.append(in);
      return okStatus();
    }
    if (!lead_.empty()) {
      std::string joined = lead_ + std::string(in.substr(0, 1));
      lead_.clear();
      SLUICE_RETURN_IF_ERROR(start(joined));
      SLUICE_RETURN_IF_ERROR(run(std::string_view(joined).substr(0, 1), sink));
    } else if (!in.empty()) {
      SLUICE_RETURN_IF_ERROR(start(in));
    } else {
      return okStatus();
    }
  }
  return run(in, sink);
}

Status Inflater::run(std::string_view in, const Sink& sink) {
  std::array<unsigned char, 16384> out{};
  z_stream& z = z_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    if (ended_) {
      if (z.avail_in == 0) break;
      // Another gzip member may follow; anything else is trailing garbage, ignored (noted).
      if (format_ != Format::kGzip || *z.next_in != 0x1f) {
        trailing_ = true;
        break;
      }
      inflateReset(&z);
      ended_ = false;
    }
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_SYNC_FLUSH);
    size_t n = out.size() - z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      return invalidArgument(std::string(formatName(format_)) + " data is corrupt: " +
                             (z.msg != nullptr ? z.msg : "zlib error " + std::to_string(rc)));
    }
    if (n > 0) {
      produced_ += n;
      if (produced_ > max_output_) {
        return Error(ErrorCode::kResourceExhausted,
                     std::string(formatName(format_)) + " body decompresses to more than " +
                         std::to_string(max_output_) +
                         " bytes (InspectorLimits::max_decoded_body_bytes): not inspected");
      }
      SLUICE_RETURN_IF_ERROR(sink(std::string_view(reinterpret_cast<char*>(out.data()), n)));
    }
    if (rc == Z_STREAM_END) {
      ended_ = true;
      continue;
    }
    // Done when the input is used up and zlib has no more output waiting.
    if (rc == Z_BUF_ERROR || (z.avail_in == 0 && z.avail_out != 0)) break;
  }
  return okStatus();
}

std::string Inflater::finish() {
  std::string name(formatName(format_));
  if (!started_) return lead_.empty() ? "" : name + " data truncated";
  if (!ended_ && format_ != Format::kRaw) return name + " data truncated";
  if (trailing_) return "bytes after the " + name + " data ignored";
  return "";
}

}  // namespace sluice::agent::inspect
