// File: redact.h
//
// Alerts must never carry raw PHI (DESIGN.md, threat model). These helpers turn a value into
// evidence that is safe to ship: a masked excerpt a responder can recognise
// ("***-**-6789", "j***@example.org") and a keyed hash that lets the controller correlate the
// same value across alerts without being able to read it.
#pragma once

#include <string>
#include <string_view>

#include "sluice/common/result.h"
#include "sluice/scanner/finding.h"

namespace sluice::scanner {

// Masks `value` by type, keeping at most the last four characters of numbers and the
// domain of e-mail addresses. The result never contains more than 4 characters of the value.
std::string maskValue(PhiType type, std::string_view value);

// HMAC-SHA256(key, type name + ":" + normalised value) as lower-case hex. The value is
// normalised (digits only for number-shaped types, lower case otherwise) so "123-45-6789" and
// "123456789" correlate. Fails only if OpenSSL fails.
Result<std::string> keyedHash(std::string_view key, PhiType type, std::string_view value);

class Scanner;

// `text` with every identifier the scanner finds in it replaced by its maskValue(), in any
// context (Reach::kAll): for text that is not evidence but may carry PHI anyway, such as a
// process's command line in an event.
// If the scan fails, the whole text is replaced by "[unscanned N bytes]".
std::string maskPhi(const Scanner& scanner, std::string_view text);

}  // namespace sluice::scanner
