// fsd cost: dollars of a metered usage file under a price book, exact or as the paper counts.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/bridge/usage_json.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {

namespace po = boost::program_options;

int run_cost(const std::vector<std::string>& args) {
  po::options_description opts("fsd cost --usage FILE.yaml [--prices NAME] [--accounting exact|paper] [--json]");
  opts.add_options()("help,h", "print this help")("usage", po::value<std::string>(),
                                                  "usage file (YAML): metered counts")(
      "prices", po::value<std::string>()->default_value("aws-us-east-1"), "price book name or path")(
      "accounting", po::value<std::string>()->default_value("exact"),
      "exact (what AWS bills) | paper (the authors' spreadsheet)")("json", "print JSON instead of a table");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  if (!vm.count("usage")) throw engine::InputError("--usage FILE.yaml is required (fsd cost --help)");
  cost::Accounting accounting{};
  try {
    accounting = cost::parse_accounting(vm["accounting"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw engine::InputError(std::string("--accounting: ") + e.what());
  }
  const cost::Usage usage = cost::load_usage(vm["usage"].as<std::string>());
  const cost::Prices prices = cost::load_prices(cost::price_book_path(vm["prices"].as<std::string>()));
  cost::Cost c;
  try {
    c = cost::cost_of(usage, prices, accounting);
  } catch (const std::invalid_argument& e) {
    throw engine::InputError(vm["usage"].as<std::string>(), 0, e.what());
  }
  if (vm.count("json")) {
    nlohmann::json j = cli::cost_to_json(c);
    j["prices"] = prices.name;
    j["accounting"] = cost::to_string(accounting);
    j["usage"] = cli::usage_to_json(usage);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("prices %s, %s accounting\n", prices.name.c_str(), cost::to_string(accounting));
  std::printf("%-8s %16s\n", "service", "usd");
  std::printf("%-8s %16.10f\n%-8s %16.10f\n%-8s %16.10f\n%-8s %16.10f\n%-8s %16.10f\n%-8s %16.10f\n", "lambda",
              c.lambda_usd, "sns", c.sns_usd, "sqs", c.sqs_usd, "s3", c.s3_usd, "ec2", c.ec2_usd, "total",
              c.total_usd());
  return 0;
}

const cli::RegisterCommand reg{"cost", "dollars of a metered usage file (exact or paper accounting)", run_cost};

}  // namespace
