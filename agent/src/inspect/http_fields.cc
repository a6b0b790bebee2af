#include "http_fields.h"

#include <algorithm>
#include <cctype>

namespace sluice::agent::inspect {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::vector<std::string> splitList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) out.push_back(lowercase(item));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool icontainsToken(std::string_view list, std::string_view token) {
  for (const std::string& item : splitList(list)) {
    std::string_view name = trim(std::string_view(item).substr(0, item.find(';')));
    if (iequals(name, token)) return true;
  }
  return false;
}

MediaType parseMediaType(std::string_view value) {
  MediaType out;
  size_t semi = value.find(';');
  out.type = lowercase(trim(value.substr(0, semi)));
  while (semi != std::string_view::npos) {
    value.remove_prefix(semi + 1);
    size_t eq = value.find('=');
    if (eq == std::string_view::npos) break;
    std::string name = lowercase(trim(value.substr(0, eq)));
    value.remove_prefix(eq + 1);
    value = trim(value);
    std::string param;
    if (!value.empty() && value.front() == '"') {
      size_t i = 1;
      for (; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        param.push_back(value[i]);
      }
      value.remove_prefix(std::min(value.size(), i + 1));
      semi = value.find(';');
    } else {
      semi = value.find(';');
      param = std::string(trim(value.substr(0, semi)));
    }
    out.params.emplace(std::move(name), std::move(param));
  }
  return out;
}

namespace {

int hexValue(char c) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  size_t at = kDigits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Decodes `s` into `out`; an escape at the very end that may still be completed is left in
// `rest` when `partial_ok`.
void decodeInto(std::string_view s, bool plus_is_space, bool partial_ok, std::string& out,
                std::string& rest) {
  out.reserve(out.size() + s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (partial_ok && i + 2 >= s.size() && (i + 1 == s.size() || hexValue(s[i + 1]) >= 0)) {
        rest.assign(s.substr(i));
        return;
      }
      if (i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
}

}  // namespace

std::string percentDecode(std::string_view s) {
  std::string out;
  std::string unused;
  decodeInto(s, false, false, out, unused);
  return out;
}

std::string FormDecoder::decode(std::string_view in) {
  std::string joined = std::move(pending_);
  pending_.clear();
  joined.append(in);
  std::string out;
  decodeInto(joined, true, true, out, pending_);
  return out;
}

std::string FormDecoder::finish() {
  std::string out = std::move(pending_);
  pending_.clear();
  return out;
}

Error protocolError(std::string_view protocol, uint64_t offset, std::string_view what) {
  return invalidArgument(std::string(protocol) + " at stream byte " + std::to_string(offset) +
                         ": " + std::string(what));
}

Error atOffset(Error error, std::string_view protocol, uint64_t offset) {
  return error.withContext(std::string(protocol) + " request starting at stream byte " +
                           std::to_string(offset));
}

}  // namespace sluice::agent::inspect
