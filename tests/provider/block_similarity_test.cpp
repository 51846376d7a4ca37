// Block similarity and block ids on byte strings whose answer is known by inspection.
#include "sim/provider/block_similarity.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/provider/image_catalog.hpp"

using namespace provider;

namespace {
std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }
}  // namespace

TEST_CASE("block_similarity: share of version 2's blocks found in version 1") {
  const std::string v1 = "AAAABBBBCCCC";
  const std::string v2 = "AAAADDDDCCCCEE";  // blocks AAAA DDDD CCCC EE\0\0
  const BlockSimilarity s = block_similarity(bytes(v1), bytes(v2), 4);
  CHECK(s.blocks_v2 == 4);
  CHECK(s.shared == 2);
  CHECK(s.share() == doctest::Approx(0.5));
  // Position does not matter (content-addressed); a padded tail matches a padded tail.
  CHECK(block_similarity(bytes("XXYYZZ"), bytes("ZZXXYY"), 2).shared == 3);
  CHECK(block_similarity(bytes(std::string("AB\0\0", 4)), bytes("AB"), 4).shared == 1);
  // Block size 3: v1 AAA ABB BBC CCC, v2 AAA ADD DDC CCC EE → AAA and CCC shared.
  CHECK(block_similarity(bytes(v1), bytes(v2), 3).shared == 2);
  CHECK_THROWS_AS(block_similarity(bytes(v1), bytes(v2), 0), std::invalid_argument);
}

TEST_CASE("block_similarity: block ids deduplicate within an image and are salted by model family") {
  const std::string s = "AAAABBBBAAAA";
  const auto ids = block_ids(bytes(s), 4, 1);
  CHECK(ids.size() == 2);
  CHECK(ids[0] != ids[1]);
  CHECK(block_ids(bytes("AAAA"), 4, 1)[0] == ids[0]);
  CHECK(block_ids(bytes("AAAA"), 4, 2)[0] != ids[0]);
  ImageCatalog catalog(4);
  const int a = catalog.add({"a", ids});
  const int b = catalog.add({"b", block_ids(bytes("BBBBCCCC"), 4, 1)});
  CHECK(catalog.images_with_block(ids[1]) == std::vector<int>{a, b});
  CHECK(catalog.images_with_block(ids[0]) == std::vector<int>{a});
  CHECK(catalog.images_with_block(12345).empty());
}
