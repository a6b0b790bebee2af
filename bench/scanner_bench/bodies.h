// File: bodies.h
//
// Synthetic AI-API request bodies for the scanner benchmark: OpenAI, Anthropic, Bedrock and
// Gemini JSON around prose, clinical notes and code, 1-64 KB each, with PHI values sprinkled
// into a share of them. Deterministic for a seed so runs compare.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::bench {

// Bodies totalling about `total_bytes`, sizes drawn log-uniformly from [1 KB, 64 KB].
std::vector<std::string> makeBodies(uint64_t seed, size_t total_bytes);
// `count` bodies of exactly `size` bytes (padded prose), for the latency figure.
std::vector<std::string> makeFixedBodies(uint64_t seed, size_t count, size_t size);

}  // namespace sluice::bench
