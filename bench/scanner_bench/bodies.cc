#include "bodies.h"

#include <iterator>
#include <cmath>
#include <random>
#include <string_view>

namespace sluice::bench {
namespace {

constexpr std::string_view kWords[] = {
    "the", "patient", "was", "seen", "for", "follow", "up", "of", "and", "with", "a", "to",
    "in", "is", "on", "that", "this", "by", "blood", "pressure", "stable", "reports", "mild",
    "pain", "denies", "fever", "chills", "plan", "continue", "current", "medication", "review",
    "labs", "within", "normal", "limits", "please", "summarize", "following", "note", "into",
    "bullet", "points", "function", "returns", "value", "error", "request", "response", "model",
    "context", "window", "token", "user", "assistant", "system", "prompt", "data", "table",
    "query", "select", "from", "where", "order", "group", "count", "average", "weekly", "report",
    "team", "meeting", "schedule", "discuss", "results", "trial", "cohort", "dose", "mg",
    "daily", "twice", "history", "diabetes", "hypertension", "asthma", "renal", "cardiac",
    "imaging", "unremarkable", "therapy", "physical", "exam", "vitals", "heart", "rate"};
constexpr std::string_view kPhi[] = {
    "Patient: Maria Gonzalez, DOB 03/14/1962",
    "SSN 536-22-1234",
    "MRN: 00482913",
    "call (217) 555-0143",
    "email jane.doe@example.org",
    "lives at 42 Oak Street, Springfield, IL 62704",
    "Member ID: XJH123456789",
    "card 4111 1111 1111 1111",
    "seen by Dr. Okonkwo on March 3, 2021",
    "PID|1||4455667^^^HOSP^MR||DOE^JANE^A||19750412|F",
    "NPI 1234567893",
    "a 93-year-old man"};

std::string prose(std::mt19937_64& rng, size_t bytes) {
  std::string out;
  std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  bool capital = true;
  while (out.size() < bytes) {
    std::string_view w = kWords[word(rng)];
    if (capital) {
      out.push_back(static_cast<char>(w[0] - 32 * (w[0] >= 'a' && w[0] <= 'z')));
      out.append(w.substr(1));
    } else {
      out.append(w);
    }
    capital = false;
    int p = percent(rng);
    if (p < 3) {
      out += " " + std::to_string(rng() % 1000);
    }
    if (p < 8) {
      out += ". ";
      capital = true;
    } else if (p < 10) {
      out += "\\n";
      capital = true;
    } else if (p < 12) {
      out += ", ";
    } else {
      out += " ";
    }
  }
  out.resize(bytes);
  return out;
}

std::string wrap(std::mt19937_64& rng, const std::string& text) {
  switch (rng() % 4) {
    case 0:
      return R"({"model":"gpt-4o-2024-08-06","messages":[{"role":"system","content":"You are )"
             R"(a helpful assistant."},{"role":"user","content":")" + text +
             R"("}],"temperature":0.2})";
    case 1:
      return R"({"model":"claude-3-5-sonnet-20241022","max_tokens":1024,"messages":[{"role":)"
             R"("user","content":[{"type":"text","text":")" + text + R"("}]}]})";
    case 2:
      return R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":800,"messages":[{)"
             R"("role":"user","content":[{"type":"text","text":")" + text + R"("}]}]})";
    default:
      return R"({"contents":[{"role":"user","parts":[{"text":")" + text +
             R"("}]}],"generationConfig":{"temperature":0.4}})";
  }
}

std::string body(std::mt19937_64& rng, size_t size) {
  std::string text = prose(rng, size > 200 ? size - 200 : size);
  // Half of the bodies carry PHI: one value per ~2 KB, at random places.
  if (rng() % 2 == 0) {
    for (size_t n = 0; n < 1 + text.size() / 2048; ++n) {
      size_t at = rng() % text.size();
      while (at < text.size() && text[at] != ' ') ++at;
      text.insert(at, std::string(" ") + std::string(kPhi[rng() % std::size(kPhi)]) + " ");
    }
  }
  return wrap(rng, text);
}

}  // namespace

std::vector<std::string> makeBodies(uint64_t seed, size_t total_bytes) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> log_size(std::log(1024.0), std::log(65536.0));
  std::vector<std::string> out;
  size_t total = 0;
  while (total < total_bytes) {
    out.push_back(body(rng, static_cast<size_t>(std::exp(log_size(rng)))));
    total += out.back().size();
  }
  return out;
}

std::vector<std::string> makeFixedBodies(uint64_t seed, size_t count, size_t size) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    std::string b = body(rng, size);
    b.resize(size, ' ');
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace sluice::bench
