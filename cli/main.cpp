// fsd: plan, simulate, run and check fully serverless distributed inference of sparse DNNs.
// Dispatches to the registered subcommands; turns bad input into one line on stderr and exit 2.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "engine/common/input_error.hpp"

namespace {
void usage() {
  std::fprintf(stderr, "usage: fsd <command> [options]   (fsd <command> --help for its options)\n\ncommands:\n");
  for (const auto& c : cli::commands()) std::fprintf(stderr, "  %-10s %s\n", c.name.c_str(), c.summary.c_str());
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage();
    return argc < 2 ? 2 : 0;
  }
  const cli::Command* cmd = cli::find_command(argv[1]);
  if (!cmd) {
    std::fprintf(stderr, "fsd: unknown command '%s'\n", argv[1]);
    usage();
    return 2;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    return cmd->run(args);
  } catch (const engine::InputError& e) {
    std::fprintf(stderr, "fsd %s: %s\n", argv[1], e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fsd %s: error: %s\n", argv[1], e.what());
    return 1;
  }
}
