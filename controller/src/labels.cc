#include "sluice/controller/labels.h"

namespace sluice::controller {

Result<Labels> parseSelector(const std::string& text) {
  Labels out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string pair = text.substr(start, end - start);
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return invalidArgument("label '" + pair + "' must be key=value");
    }
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

bool selectorMatches(const Labels& selector, const Labels& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace sluice::controller
