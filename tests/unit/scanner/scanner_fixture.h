// Shared by the scanner tests: one Scanner per test binary (compiling the databases takes
// about a second), and helpers that show findings as (TYPE, text) pairs so assertions read
// like the input.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sluice/scanner/scanner.h"

namespace sluice::scanner::testing {

inline const Scanner& sharedScanner() {
  static std::shared_ptr<Scanner> scanner = [] {
    auto created = Scanner::create();
    if (!created) {
      ADD_FAILURE() << created.error().toString();
      std::abort();
    }
    return *created;
  }();
  return *scanner;
}

// One scan of `body` and the seconds it took, for the tests that keep detectors linear.
struct TimedScan {
  Result<std::vector<Finding>> findings;
  double seconds;
};

inline TimedScan timedScan(std::string_view body) {
  auto started = std::chrono::steady_clock::now();
  auto findings = sharedScanner().scan(body, Reach::kAll);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return {std::move(findings), seconds};
}

using Found = std::vector<std::pair<std::string, std::string>>;

inline Found describe(std::string_view text, const std::vector<Finding>& findings) {
  Found out;
  for (const Finding& f : findings) {
    out.emplace_back(std::string(typeName(f.type)),
                     std::string(text.substr(f.start, f.end - f.start)));
  }
  return out;
}

// Detectors are tested in any context (Reach::kAll): what a detector finds in a request not
// about health is dropped afterwards, which health_context_test.cc tests on its own.
inline Found found(std::string_view text) {
  auto findings = sharedScanner().scan(text, Reach::kAll);
  EXPECT_TRUE(findings.ok());
  return findings.ok() ? describe(text, *findings) : Found{};
}

// Some findings make a request PHI only beside another identifier (a name with no cue, a
// date with no cue, a phone number outside clinical text). Their detectors are tested with
// a patient's SSN after the text, which is then left out of the findings.
inline constexpr std::string_view kBesideIdentifier = "536-22-1234";

inline Found foundBeside(std::string_view text) {
  std::string request = std::string(text) + "\n" + std::string(kBesideIdentifier);
  Found out = found(request);
  std::erase_if(out, [](const auto& f) { return f.second == kBesideIdentifier; });
  return out;
}

inline bool has(const Found& f, const std::string& type, const std::string& text) {
  for (const auto& [t, s] : f) {
    if (t == type && s == text) return true;
  }
  return false;
}

inline std::string dump(const Found& f) {
  std::string out;
  for (const auto& [t, s] : f) out += t + "='" + s + "' ";
  return out;
}

// The findings of `text` (in any context, as found()), after checking that each (type, text)
// of `expected` is among them.
inline Found foundAll(std::string_view text, const Found& expected) {
  Found f = found(text);
  for (const auto& [type, value] : expected) {
    EXPECT_TRUE(has(f, type, value))
        << "expected " << type << "='" << value << "' in: " << text << "\nfound: " << dump(f);
  }
  return f;
}

}  // namespace sluice::scanner::testing

#define EXPECT_FINDS(text, type, value)                                              \
  do {                                                                               \
    auto found_ = ::sluice::scanner::testing::found(text);                           \
    EXPECT_TRUE(::sluice::scanner::testing::has(found_, type, value))                \
        << "expected " << type << "='" << value << "' in: " << (text) << "\nfound: " \
        << ::sluice::scanner::testing::dump(found_);                                 \
  } while (0)

#define EXPECT_FINDS_BESIDE(text, type, value)                                                  \
  do {                                                                                          \
    auto found_ = ::sluice::scanner::testing::foundBeside(text);                                \
    EXPECT_TRUE(::sluice::scanner::testing::has(found_, type, value))                           \
        << "expected " << type << "='" << value << "' beside another identifier in: " << (text) \
        << "\nfound: " << ::sluice::scanner::testing::dump(found_);                             \
  } while (0)

#define EXPECT_CLEAN(text)                                                                \
  do {                                                                                    \
    auto found_ = ::sluice::scanner::testing::found(text);                                \
    EXPECT_TRUE(found_.empty()) << "expected no findings in: " << (text)                  \
                                << "\nfound: " << ::sluice::scanner::testing::dump(found_); \
  } while (0)
