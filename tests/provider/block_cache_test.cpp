// LRU behaviour and per-image counters, checked against a sequence worked out by hand.
#include "sim/provider/block_cache.hpp"

#include <doctest/doctest.h>

using namespace provider;

TEST_CASE("block_cache: LRU block cache evicts the least recently used block") {
  ImageCatalog catalog(1024);
  const int x = catalog.add({"x", {10, 11, 12}});
  const int y = catalog.add({"y", {12, 13}});
  BlockCache cache(catalog, 3);
  CHECK(cache.touch(10));
  CHECK(cache.touch(11));
  CHECK(cache.touch(12));  // LRU order (old → new): 10 11 12
  CHECK(cache.cached_blocks_of(x) == 3);
  CHECK(cache.cached_blocks_of(y) == 1);
  CHECK(cache.touch(13));  // evicts 10 → 11 12 13
  CHECK_FALSE(cache.contains(10));
  CHECK(cache.cached_blocks_of(x) == 2);
  CHECK(cache.cached_blocks_of(y) == 2);
  CHECK_FALSE(cache.touch(11));  // hit, refreshed → 12 13 11
  CHECK(cache.touch(14));        // evicts 12 → 13 11 14
  CHECK_FALSE(cache.contains(12));
  CHECK(cache.contains(11));
  CHECK(cache.cached_blocks_of(x) == 1);
  CHECK(cache.cached_blocks_of(y) == 1);
  CHECK(cache.size_blocks() == 3);
  CHECK(cache.cached_blocks_of(7) == 0);  // an index outside the catalog
}

TEST_CASE("block_cache: a zero-capacity cache caches nothing") {
  ImageCatalog catalog(1024);
  catalog.add({"x", {1}});
  BlockCache cache(catalog, 0);
  CHECK(cache.touch(1));
  CHECK(cache.touch(1));
  CHECK(cache.cached_blocks_of(0) == 0);
}
