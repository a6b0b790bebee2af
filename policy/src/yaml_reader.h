// File: yaml_reader.h (internal to sluice_policy)
//
// Schema checking for hand-written YAML. A policy author fixes problems in rounds, so every
// reader here records a diagnostic and carries on instead of stopping at the first problem;
// each diagnostic points at the exact node (yaml-cpp Marks, made 1-based). Unknown keys get a
// "did you mean" from edit distance, because a misspelt key that is silently ignored is a
// policy that silently does less than its author thinks.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/policy/policy.h"

namespace sluice::policy::detail {

SourceLoc locOf(const YAML::Node& node, const std::string& file);

// Collects diagnostics for one file.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void error(const YAML::Node& at, std::string message);
  void warning(const YAML::Node& at, std::string message);
  void add(SourceLoc loc, std::string message, Severity severity);
  // yaml-cpp marks an empty value ("name:") at the token after it, often the next line; a
  // message about it belongs at its key.
  void rememberKeyOfNull(const YAML::Node& key, const YAML::Node& value);
  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& all() { return diags_; }
  bool hasErrors() const;
  SourceLoc locFor(const YAML::Node& at) const;

 private:
  std::string file_;
  std::vector<Diagnostic> diags_;
  std::vector<std::pair<YAML::Node, YAML::Node>> null_keys_;  // (value, key)
};

size_t editDistance(std::string_view a, std::string_view b);
// "; did you mean 'x'?" when a choice is close enough to be a likely typo, else "".
std::string didYouMean(std::string_view word, const std::vector<std::string>& choices);
// "a mapping", "a list", "a string", "nothing"
std::string_view nodeKind(const YAML::Node& node);

// A mapping read key by key. Construction reports a non-mapping value, unknown keys (with a
// suggestion) and duplicate keys; `path` ("spec.destinations[2]") names it in messages.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, const std::vector<std::string>& known,
            Diagnostics& diags);
  bool isMap() const { return is_map_; }
  const std::string& path() const { return path_; }
  // The value of `key`, or nullptr when absent.
  const YAML::Node* get(std::string_view key) const;
  // As get(), reporting "missing required field" at the mapping when absent.
  const YAML::Node* require(std::string_view key);
  const YAML::Node& node() const { return node_; }
  // Every (key node, value node) pair in file order, for maps keyed by names (vendors, labels).
  const std::vector<std::pair<YAML::Node, YAML::Node>>& entries() const { return entries_; }

 private:
  YAML::Node node_;
  std::string path_;
  Diagnostics& diags_;
  bool is_map_ = false;
  std::vector<std::pair<YAML::Node, YAML::Node>> entries_;
};

// A mapping whose keys are names chosen by the author (labels, vendor ids): reports a
// non-mapping value and duplicate keys, and returns the pairs in file order.
std::vector<std::pair<YAML::Node, YAML::Node>> readNamedMap(const YAML::Node& node,
                                                            const std::string& what,
                                                            Diagnostics& diags);

std::optional<std::string> readString(const YAML::Node& node, const std::string& what,
                                      Diagnostics& diags);
std::optional<bool> readBool(const YAML::Node& node, const std::string& what, Diagnostics& diags);
std::optional<int64_t> readInt(const YAML::Node& node, const std::string& what, int64_t min,
                               int64_t max, Diagnostics& diags);
// A list of scalars; each string comes with its node so later checks can point at it.
std::vector<std::pair<YAML::Node, std::string>> readStringList(const YAML::Node& node,
                                                               const std::string& what,
                                                               Diagnostics& diags);
// A list (a single item is reported, not silently accepted).
std::vector<YAML::Node> readList(const YAML::Node& node, const std::string& what,
                                 Diagnostics& diags);

// Reads one of `values`, reporting a bad value with the allowed ones and a suggestion.
template <typename E>
std::optional<E> readEnum(const YAML::Node& node, const std::string& what,
                          const std::vector<std::pair<std::string, E>>& values,
                          Diagnostics& diags) {
  auto text = readString(node, what, diags);
  if (!text) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [name, value] : values) {
    if (name == *text) return value;
    names.push_back(name);
  }
  std::string allowed;
  for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
  diags.error(node, "bad value '" + *text + "' for " + what + "; expected one of: " + allowed +
                        didYouMean(*text, names));
  return std::nullopt;
}

}  // namespace sluice::policy::detail
