// File: http_fields.h
//
// Small helpers for header values shared by the HTTP/1.1, HTTP/2, WebSocket and multipart
// decoders: case-insensitive comparison, media types with parameters, comma-separated
// lists, and the percent-decoding used to scan a request target.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::agent::inspect {

std::string lowercase(std::string_view s);
std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool icontainsToken(std::string_view list, std::string_view token);  // "a, B ,c" has "b"
std::vector<std::string> splitList(std::string_view list);           // trimmed, lowercased

struct MediaType {
  std::string type;                           // "multipart/form-data", lowercased
  std::map<std::string, std::string> params;  // names lowercased, values unquoted
};
MediaType parseMediaType(std::string_view value);

// Percent-decodes `s` ('+' stays '+'); malformed escapes are kept as they are.
std::string percentDecode(std::string_view s);

// Streaming application/x-www-form-urlencoded decoding: '+' is a space and "%XX" a byte. An
// escape cut by a write is completed by the next one; a malformed one stays as sent.
class FormDecoder {
 public:
  std::string decode(std::string_view in);
  std::string finish();  // an escape left incomplete, verbatim

 private:
  std::string pending_;  // "%" or "%X"
};

// An Error naming the protocol, the stream offset and what was wrong, e.g.
// "http/1.1 at stream byte 17: header line without ':'".
Error protocolError(std::string_view protocol, uint64_t offset, std::string_view what);
// Prefixes an error from body decoding with where the request started.
Error atOffset(Error error, std::string_view protocol, uint64_t offset);

}  // namespace sluice::agent::inspect
