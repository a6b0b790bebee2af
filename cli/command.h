// File: command.h
//
// sluicectl is one binary with one top-level command per file (cli/cmd_<name>.cc). Each file
// registers itself with a static CommandRegistrar, so adding a command never edits a shared
// dispatch table. A command receives the arguments after its name and returns the exit status.
// The logic behind a command lives in a library (scanner/, policy/, agent/, controller/);
// these files only parse flags and print.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sluice::cli {

using Args = std::vector<std::string>;

struct Command {
  std::string name;
  std::string summary;  // one line for `sluicectl --help`
  std::function<int(const Args&)> run;
};

class CommandRegistry {
 public:
  static CommandRegistry& instance();
  void add(Command command);
  const Command* find(const std::string& name) const;
  const std::map<std::string, Command>& all() const { return commands_; }

 private:
  std::map<std::string, Command> commands_;
};

struct CommandRegistrar {
  explicit CommandRegistrar(Command command) {
    CommandRegistry::instance().add(std::move(command));
  }
};

// Small flag helper shared by commands: `--name value` and `--name=value` forms.
class FlagParser {
 public:
  explicit FlagParser(const Args& args) : args_(args) {}
  // Returns the positional arguments; flags listed in `with_value` consume the next argument.
  // Unknown flags are reported through `error` (empty when all is well).
  bool parse(const std::vector<std::string>& with_value, const std::vector<std::string>& bools,
             std::string& error);
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  std::vector<std::string> getAll(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  const Args& args_;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace sluice::cli
