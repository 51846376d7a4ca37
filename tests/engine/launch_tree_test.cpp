// LaunchTree: every worker id 0..P−1 exactly once, depth-first, from invocations alone.
#include "engine/launch/launch_tree.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <stdexcept>
#include <vector>

#include "engine/common/input_error.hpp"

namespace {

// Launch the whole tree as the workers would: each one sees only its own invocation.
std::vector<int> launch_ids(const engine::LaunchTree& tree) {
  std::vector<int> ids;
  std::function<void(const engine::Invocation&)> run = [&](const engine::Invocation& inv) {
    ids.push_back(tree.worker_id(inv));
    for (const auto& child : tree.children(inv)) run(child);
  };
  for (const auto& inv : tree.root_invocations()) run(inv);
  return ids;
}

}  // namespace

TEST_CASE("launch tree: the paper's sizes give ids 0..P-1 exactly once") {
  struct Case {
    int bfr, levels, workers;
  };
  // 8 = 8; 20 = 4+16; 42 = 6+36; 62 = 2+4+8+16+32; 84 = 4+16+64.
  for (const Case c : {Case{8, 1, 8}, Case{4, 2, 20}, Case{6, 2, 42}, Case{2, 5, 62}, Case{4, 3, 84}}) {
    CAPTURE(c.bfr);
    CAPTURE(c.levels);
    const engine::LaunchTree tree(c.bfr, c.levels);
    CHECK(tree.workers() == c.workers);
    CHECK(engine::LaunchTree::for_workers(c.workers, c.bfr) == tree);
    const auto ids = launch_ids(tree);
    const std::set<int> distinct(ids.begin(), ids.end());
    CHECK(ids.size() == static_cast<std::size_t>(c.workers));
    CHECK(distinct.size() == static_cast<std::size_t>(c.workers));
    CHECK(*distinct.begin() == 0);
    CHECK(*distinct.rbegin() == c.workers - 1);
  }
}

TEST_CASE("launch tree: ids are the depth-first order of the launch") {
  // Visiting children in index order, a pre-order walk must meet ids 0, 1, 2, … in sequence.
  for (const auto& tree : {engine::LaunchTree(2, 5), engine::LaunchTree(4, 3), engine::LaunchTree({3, 1, 2})}) {
    const auto ids = launch_ids(tree);
    for (std::size_t n = 0; n < ids.size(); ++n) CHECK(ids[n] == static_cast<int>(n));
  }
}

TEST_CASE("launch tree: bfr 2, two levels, by hand") {
  // coordinator → 0 (children 1, 2) and 3 (children 4, 5); subtree of a level-1 worker = 3.
  const engine::LaunchTree tree(2, 2);
  REQUIRE(tree.workers() == 6);
  const auto roots = tree.root_invocations();
  REQUIRE(roots.size() == 2);
  CHECK(roots[1] == engine::Invocation{-1, 1, 3, 1});
  CHECK(tree.worker_id(roots[0]) == 0);
  CHECK(tree.worker_id(roots[1]) == 3);
  const auto kids = tree.children(roots[1]);
  REQUIRE(kids.size() == 2);
  CHECK(kids[0] == engine::Invocation{3, 0, 1, 2});
  CHECK(tree.worker_id(kids[0]) == 4);
  CHECK(tree.worker_id(kids[1]) == 5);
  CHECK(tree.children(kids[1]).empty());
}

TEST_CASE("launch tree: per-level fan-outs") {
  // 3 level-1 workers, each with 2 children, each with 4: P = 3 + 6 + 24 = 33.
  const engine::LaunchTree tree({3, 2, 4});
  CHECK(tree.workers() == 33);
  CHECK(tree.levels() == 3);
  const auto ids = launch_ids(tree);
  CHECK(std::set<int>(ids.begin(), ids.end()).size() == 33);
}

TEST_CASE("launch tree: invocations that do not belong to the tree are rejected") {
  const engine::LaunchTree tree(4, 2);  // P = 20, level-1 subtree 5
  CHECK(tree.valid({-1, 3, 5, 1}));
  CHECK(tree.valid({5, 3, 1, 2}));
  CHECK_FALSE(tree.valid({-1, 4, 5, 1}));  // index beyond the fan-out
  CHECK_FALSE(tree.valid({-1, 0, 4, 1}));  // wrong subtree size
  CHECK_FALSE(tree.valid({0, 0, 5, 1}));   // a level-1 worker's parent is the coordinator
  CHECK_FALSE(tree.valid({6, 0, 1, 2}));   // worker 6 is a leaf, not a level-1 worker
  CHECK_FALSE(tree.valid({20, 0, 1, 2}));  // no such worker
  CHECK_FALSE(tree.valid({-1, 0, 5, 0}));  // level 0 is the coordinator
  CHECK_FALSE(tree.valid({5, 0, 1, 3}));   // deeper than the tree
  CHECK_THROWS_AS(tree.worker_id({6, 0, 1, 2}), engine::InputError);
  CHECK_THROWS_AS(tree.children({-1, -1, 5, 1}), engine::InputError);
}

TEST_CASE("launch tree: bad shapes are refused") {
  CHECK_THROWS_AS(engine::LaunchTree(0, 2), std::invalid_argument);
  CHECK_THROWS_AS(engine::LaunchTree(2, 0), std::invalid_argument);
  CHECK_THROWS_AS(engine::LaunchTree(std::vector<int>{2, 0}), std::invalid_argument);
  CHECK_THROWS_AS(engine::LaunchTree(1000, 4), std::invalid_argument);  // 10^12 workers
  CHECK_THROWS_AS(engine::LaunchTree::for_workers(21, 4), std::invalid_argument);
}
