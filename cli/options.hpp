// Command-line parsing shared by the subcommands: Boost.Program_options with a malformed command
// line turned into bad input (engine::InputError: one line on stderr, exit 2).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace cli {

// Parses args against opts (and positional, if given) and runs notify. Throws engine::InputError.
boost::program_options::variables_map parse_options(
    const std::vector<std::string>& args, const boost::program_options::options_description& opts,
    const boost::program_options::positional_options_description* positional = nullptr);

}  // namespace cli
