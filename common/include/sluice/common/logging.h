// File: logging.h
//
// One spdlog logger per component ("agent", "bpf", "policy", ...), all writing to stderr in
// the format chosen at start-up: human-readable text, or one JSON object per line for log
// shippers. libbpf's own output is routed into the "bpf" logger by the agent's loader.
//
//   auto log = sluice::logging::get("agent");
//   log->info("policy {} v{} active", name, version);   // level checked before formatting
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "sluice/common/result.h"

namespace sluice::logging {

enum class Format { kText, kJson };

Result<Format> parseFormat(std::string_view text);

// Sets the format and level for every logger, present and future. Call once, early.
void init(Format format, spdlog::level::level_enum level = spdlog::level::info);

// Returns the logger for a component, creating it on first use.
std::shared_ptr<spdlog::logger> get(const std::string& component);

// Escapes a string for embedding in a JSON string literal.
std::string jsonEscape(std::string_view in);

}  // namespace sluice::logging
