// File: events.h
//
// The agent's event records as JSON. Every event says what happened (verdict, hook, rule),
// to what (destination), by whom (process attribution) and under which policy, in one line, so
// that a SIEM or `jq` can use it without a schema lookup.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/abi.h"
#include "sluice/agent/process_info.h"

namespace sluice::agent {

struct PolicyContext {
  std::string name;
  std::string sha256;
  uint32_t generation = 0;
  std::vector<std::string> rule_names;  // by rule id
};

std::string actionName(uint8_t action);
std::string hookName(uint8_t hook);
std::string className(uint8_t dest_class);
// Text form of a 16-byte address; IPv4-mapped addresses print as dotted quads.
std::string addressText(const uint8_t addr[16]);

// `mono_to_realtime_ns` converts the event's CLOCK_MONOTONIC stamp to wall-clock time.
nlohmann::json connEventJson(const sluice_conn_event& e, const ProcessInfo& process,
                             const PolicyContext& policy, int64_t mono_to_realtime_ns);

// An SNI or DNS verdict. `destroyed` says whether the agent ended the connection.
nlohmann::json nameEventJson(const sluice_name_event& e, const ProcessInfo& process,
                             const PolicyContext& policy, int64_t mono_to_realtime_ns,
                             const std::string& destroy_result);

// The offset to add to CLOCK_MONOTONIC nanoseconds to get CLOCK_REALTIME nanoseconds.
int64_t monotonicToRealtimeOffset();

std::string isoTime(int64_t realtime_ns);

}  // namespace sluice::agent
