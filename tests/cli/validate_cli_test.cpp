// `fsd validate` end to end: one published point simulated for real (the n1024 profile run and
// object P = 8, a few seconds), its validate.csv checked against the published numbers (typed from
// issue 6) and the exit status against the CSV's verdicts; --reuse keeps the records; without
// matplotlib the CSV is still written with a one-line note; a malformed table exits 2 naming file
// and line before anything is simulated.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli/sweep/csv_table.hpp"
#include "fsd_command.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;

namespace {

struct Output {
  int exit_code;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `ENV fsd validate ARGS` with stdout and stderr captured.
Output validate(const std::string& args, const std::string& env = "") {
  const std::string out = fsd_test::scratch("validate.out"), err = fsd_test::scratch("validate.err");
  const int rc = std::system((env + " " + FSD_EXE + " validate --shared-data " + FSD_SHARED_DATA + " " + args + " > " +
                              out + " 2> " + err)
                                 .c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
}

const std::string kPoint = "c1_1024n_8w_10000bs_S3";  // object P = 8: issue 6's fastest target

}  // namespace

TEST_CASE("fsd validate --points: one target simulated, validate.csv and the exit status agree") {
  const std::string dir = fsd_test::scratch("run");
  const Output first = validate("--points '^" + kPoint + "$' --work-dir " + dir);
  INFO(first.out, first.err);
  REQUIRE((first.exit_code == 0 || first.exit_code == 1));
  const auto csv = cli::sweep::read_csv(dir + "/validate.csv");
  CHECK(csv.header == std::vector<std::string>{"point", "variant", "neurons", "workers", "quantity", "measured",
                                               "simulated", "error", "role", "met", "status", "sim_wall_s"});
  REQUIRE(csv.rows.size() == 5);  // batch time, PUT, GET, LIST, bytes written
  // issue 6: object P=8: 58.2 s; 6452 PUT, 6450 GET, 1615 LIST, 240,694,300 bytes written
  const std::vector<std::pair<std::string, double>> published{
      {"batch time s", 58.2}, {"PUT", 6452}, {"GET", 6450}, {"LIST", 1615}, {"bytes written", 240694300}};
  bool all_met = true;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    CAPTURE(row[4]);
    CHECK(row[0] == kPoint);
    CHECK(row[1] == "object");
    CHECK(row[3] == "8");
    CHECK(row[4] == published[i].first);
    CHECK(std::stod(row[5]) == doctest::Approx(published[i].second).epsilon(0.001));
    const double simulated = std::stod(row[6]);
    CHECK(simulated > 0);
    CHECK(std::stod(row[7]) == doctest::Approx(simulated / std::stod(row[5]) - 1));
    CHECK(row[8] == "target");
    CHECK(row[9] == (i == 4 ? "" : std::abs(std::stod(row[7])) <= (i == 0 ? 0.15 : 0.10) ? "yes" : "no"));
    CHECK(row[10] == "ok");
    if (row[9] == "no") all_met = false;
  }
  CHECK(first.exit_code == (all_met ? 0 : 1));
  CHECK(first.err.find("validate: 2/2 " + kPoint + ": simulated in") != std::string::npos);

  // Resumed: the same records, not simulated again, the same table.
  const std::string table = slurp(dir + "/validate.csv");
  const auto start = std::chrono::steady_clock::now();
  const Output again = validate("--points '^" + kPoint + "$' --reuse --work-dir " + dir);
  CHECK(again.exit_code == first.exit_code);
  CHECK(again.err.find("validate: 2/2 " + kPoint + ": reused") != std::string::npos);
  CHECK(again.err.find("simulated in") == std::string::npos);
  CHECK(slurp(dir + "/validate.csv") == table);
  MESSAGE("reused run took " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");

  // A changed calibration file is a different key: simulated again.
  const std::string cal = fsd_test::scratch("cal.yaml");
  fs::copy_file(std::string(FSD_SOURCE_DIR) + "/configs/calibration/aws-lambda-2024.yaml", cal);
  std::ofstream(cal, std::ios::app) << "# edited\n";
  const Output changed = validate("--points '^" + kPoint + "$' --reuse --calibration " + cal + " --work-dir " + dir);
  CHECK(changed.err.find("validate: 1/2 profile: simulated in") != std::string::npos);
  CHECK(changed.err.find("validate: 2/2 " + kPoint + ": simulated in") != std::string::npos);
}

TEST_CASE("fsd validate without matplotlib: the CSV is written and one line says why there is no plot") {
  // A `matplotlib` package that fails to import as a missing one does, first on the path.
  const std::string fake = fsd_test::scratch("no-matplotlib/matplotlib");
  fs::create_directories(fake);
  std::ofstream(fake + "/__init__.py") << "raise ModuleNotFoundError(\"No module named 'matplotlib'\", name='matplotlib')\n";
  const std::string dir = fsd_test::scratch("run");
  const Output r = validate("--points '^" + kPoint + "$' --work-dir " + dir,
                            "PYTHONPATH=" + fsd_test::scratch("no-matplotlib"));
  INFO(r.out, r.err);
  CHECK((r.exit_code == 0 || r.exit_code == 1));
  CHECK(fs::exists(dir + "/validate.csv"));
  CHECK_FALSE(fs::exists(dir + "/validate.png"));
  CHECK(r.out.find("no plot: python3-matplotlib is not installed (the CSV is written)\n") != std::string::npos);
}

TEST_CASE("fsd validate: a malformed table or --points that match nothing exit 2 with one line") {
  const std::string header =
      "name,variant,neurons,workers,bfr,levels,memory_mb,batch_time_s,publish_calls,messages,polls,bytes_sent,"
      "put,get,list,bytes_written,communication_s,computation_s,compression_s,target\n";
  const std::string bad = fsd_test::write_scratch(
      "bad.csv", "# provenance\n" + header + "q8,queue,1024,8,8,1,1000,63.5,1102,6774,4318,1,,,,,1,1,1,yes\n" +
                     "q20,queue,1024,20,4,2,1000,93.6,4866,44257,16676,x,,,,,1,1,1,yes\n");
  const std::string dir = fsd_test::scratch("run");
  Output r = validate("--table " + bad + " --work-dir " + dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "fsd validate: " + bad + ":4: bytes_sent: expected a count (a whole number >= 0), got 'x'\n");
  CHECK_FALSE(fs::exists(dir));  // nothing simulated, nothing written

  r = validate("--points 'c99_,nothing' --work-dir " + dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "fsd validate: --points: no published point matches 'c99_,nothing'\n");
  r = validate("--points '(' --work-dir " + dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("fsd validate: --points: '(' is not a regular expression") == 0);
  r = validate("--table " + fsd_test::scratch("missing.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.err == "fsd validate: " + fsd_test::scratch("missing.csv") + ": cannot open\n");
}
