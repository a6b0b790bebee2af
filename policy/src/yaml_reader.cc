#include "yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace sluice::policy::detail {

SourceLoc locOf(const YAML::Node& node, const std::string& file) {
  SourceLoc loc;
  loc.file = file;
  if (node.IsDefined()) {
    YAML::Mark m = node.Mark();
    if (m.line >= 0) {
      loc.line = m.line + 1;
      loc.col = m.column + 1;
    }
  }
  return loc;
}

void Diagnostics::add(SourceLoc loc, std::string message, Severity severity) {
  diags_.push_back(Diagnostic{std::move(loc), std::move(message), severity});
}

void Diagnostics::rememberKeyOfNull(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) null_keys_.emplace_back(value, key);
}

SourceLoc Diagnostics::locFor(const YAML::Node& at) const {
  if (at.IsNull()) {
    for (const auto& [value, key] : null_keys_) {
      if (value.is(at)) return locOf(key, file_);
    }
  }
  return locOf(at, file_);
}

void Diagnostics::error(const YAML::Node& at, std::string message) {
  add(locFor(at), std::move(message), Severity::kError);
}

void Diagnostics::warning(const YAML::Node& at, std::string message) {
  add(locFor(at), std::move(message), Severity::kWarning);
}

bool Diagnostics::hasErrors() const {
  return std::any_of(diags_.begin(), diags_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

size_t editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transposition, the commonest typo.
  std::vector<size_t> before(b.size() + 1);
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    before = prev;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string didYouMean(std::string_view word, const std::vector<std::string>& choices) {
  // Close enough to be a typo: at most a third of the word's letters wrong, and at least one.
  size_t limit = std::max<size_t>(1, word.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = limit + 1;
  for (const auto& c : choices) {
    size_t d = editDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  return best == nullptr ? "" : "; did you mean '" + *best + "'?";
}

std::string_view nodeKind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a string";
    default: return "nothing";
  }
}

MapReader::MapReader(const YAML::Node& node, std::string path,
                     const std::vector<std::string>& known, Diagnostics& diags)
    : node_(node), path_(std::move(path)), diags_(diags) {
  if (!node.IsMap()) {
    diags_.error(node, "expected a mapping for " + path_ + ", got " + std::string(nodeKind(node)));
    return;
  }
  is_map_ = true;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) {
      diags_.error(key, "keys of " + path_ + " must be strings");
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string allowed;
      for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
      std::string hint = didYouMean(name, known);
      diags_.error(key, "unknown key '" + name + "' in " + path_ +
                            (hint.empty() ? "; expected one of: " + allowed : hint));
      continue;
    }
    if (!seen.insert(name).second) {
      diags_.error(key, "duplicate key '" + name + "' in " + path_);
      continue;
    }
    diags_.rememberKeyOfNull(key, kv.second);
    entries_.emplace_back(key, kv.second);
  }
}

const YAML::Node* MapReader::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k.Scalar() == key) return &v;
  }
  return nullptr;
}

const YAML::Node* MapReader::require(std::string_view key) {
  const YAML::Node* v = get(key);
  if (v == nullptr && is_map_) {
    diags_.error(node_, "missing required field '" + std::string(key) + "' in " + path_);
  }
  return v;
}

std::vector<std::pair<YAML::Node, YAML::Node>> readNamedMap(const YAML::Node& node,
                                                            const std::string& what,
                                                            Diagnostics& diags) {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  if (!node.IsMap()) {
    diags.error(node, "expected a mapping for " + what + ", got " + std::string(nodeKind(node)));
    return out;
  }
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      diags.error(kv.first, "keys of " + what + " must be strings");
    } else if (!seen.insert(kv.first.Scalar()).second) {
      diags.error(kv.first, "duplicate key '" + kv.first.Scalar() + "' in " + what);
    } else {
      diags.rememberKeyOfNull(kv.first, kv.second);
      out.emplace_back(kv.first, kv.second);
    }
  }
  return out;
}

std::optional<std::string> readString(const YAML::Node& node, const std::string& what,
                                      Diagnostics& diags) {
  if (!node.IsScalar()) {
    diags.error(node, "expected a string for " + what + ", got " + std::string(nodeKind(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<bool> readBool(const YAML::Node& node, const std::string& what, Diagnostics& diags) {
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    return node.Scalar() == "true";
  }
  std::string got = node.IsScalar() ? "'" + node.Scalar() + "'" : std::string(nodeKind(node));
  diags.error(node, "expected true or false for " + what + ", got " + got);
  return std::nullopt;
}

std::optional<int64_t> readInt(const YAML::Node& node, const std::string& what, int64_t min,
                               int64_t max, Diagnostics& diags) {
  int64_t v = 0;
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
      if (v >= min && v <= max) return v;
      diags.error(node, what + " must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got " + s);
      return std::nullopt;
    }
  }
  std::string got = node.IsScalar() ? "'" + node.Scalar() + "'" : std::string(nodeKind(node));
  diags.error(node, "expected an integer for " + what + ", got " + got);
  return std::nullopt;
}

std::vector<YAML::Node> readList(const YAML::Node& node, const std::string& what,
                                 Diagnostics& diags) {
  std::vector<YAML::Node> out;
  if (!node.IsSequence()) {
    diags.error(node, "expected a list for " + what + ", got " + std::string(nodeKind(node)));
    return out;
  }
  for (const auto& item : node) out.push_back(item);
  return out;
}

std::vector<std::pair<YAML::Node, std::string>> readStringList(const YAML::Node& node,
                                                               const std::string& what,
                                                               Diagnostics& diags) {
  std::vector<std::pair<YAML::Node, std::string>> out;
  for (const auto& item : readList(node, what, diags)) {
    if (auto s = readString(item, "each item of " + what, diags)) out.emplace_back(item, *s);
  }
  return out;
}

}  // namespace sluice::policy::detail
