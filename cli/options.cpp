#include "cli/options.hpp"

#include "engine/common/input_error.hpp"

namespace cli {
namespace po = boost::program_options;

po::variables_map parse_options(const std::vector<std::string>& args, const po::options_description& opts,
                                const po::positional_options_description* positional) {
  po::variables_map vm;
  try {
    po::command_line_parser parser(args);
    parser.options(opts);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw engine::InputError(e.what());
  }
  return vm;
}

}  // namespace cli
