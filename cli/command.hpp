// Subcommand registry of the `fsd` command. Each cli/cmd_<name>.cpp registers itself:
//
//   static const cli::RegisterCommand reg{"infer", "run serial inference on a network", run_infer};
//
// A command's run function gets its arguments (after the subcommand name) and returns the exit
// code. Bad input is reported by throwing engine::InputError; main prints it as one line, exit 2.
#pragma once

#include <string>
#include <vector>

namespace cli {

using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  std::string name;
  std::string summary;
  CommandFn run = nullptr;
};

struct RegisterCommand {
  RegisterCommand(const char* name, const char* summary, CommandFn run);
};

const std::vector<Command>& commands();  // sorted by name
const Command* find_command(const std::string& name);

}  // namespace cli
