#include "command.h"

#include <algorithm>

namespace sluice::cli {

CommandRegistry& CommandRegistry::instance() {
  static CommandRegistry registry;
  return registry;
}

void CommandRegistry::add(Command command) {
  std::string name = command.name;
  commands_.emplace(std::move(name), std::move(command));
}

const Command* CommandRegistry::find(const std::string& name) const {
  auto it = commands_.find(name);
  return it == commands_.end() ? nullptr : &it->second;
}

bool FlagParser::parse(const std::vector<std::string>& with_value,
                       const std::vector<std::string>& bools, std::string& error) {
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < args_.size(); ++i) {
    const std::string& a = args_[i];
    if (a == "--") {
      positional_.insert(positional_.end(), args_.begin() + static_cast<long>(i) + 1, args_.end());
      break;
    }
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a;
      std::string value;
      bool inline_value = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        inline_value = true;
      }
      if (contains(with_value, name)) {
        if (!inline_value) {
          if (i + 1 >= args_.size()) {
            error = "flag " + name + " needs a value";
            return false;
          }
          value = args_[++i];
        }
        values_.emplace(name, value);
      } else if (contains(bools, name)) {
        values_.emplace(name, inline_value ? value : "true");
      } else {
        error = "unknown flag " + name;
        return false;
      }
    } else {
      positional_.push_back(a);
    }
  }
  return true;
}

std::string FlagParser::get(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second;
}

std::vector<std::string> FlagParser::getAll(const std::string& flag) const {
  std::vector<std::string> out;
  auto [b, e] = values_.equal_range(flag);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

}  // namespace sluice::cli
