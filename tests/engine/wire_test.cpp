// Wire format: round trips, the base-85 alphabet against the published Ascii85 example, and every
// kind of malformed input rejected with a clear error.
#include <doctest/doctest.h>

#include <cstdio>
#include <limits>
#include <random>

#include "engine/channel/wire.hpp"

using namespace engine;

namespace {
RowBlock random_block(int neurons, int images, double density, std::uint64_t seed) {
  std::printf("random_block seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  RowBlock b;
  for (int i = 0; i < neurons; i += 3) {
    b.add_row(i);
    for (int img = 0; img < images; ++img)
      if (u(rng) < density) b.add_value(img, static_cast<float>(1 + u(rng) * 31));
  }
  return b;
}
const wire::BlockId kId{4, 1, 2};
const wire::Limits kLimits{300, 50};
}  // namespace

TEST_CASE("wire: Ascii85 alphabet, as the published example encodes \"Man \" to \"9jqo^\"") {
  CHECK(wire::to_text("Man ") == "9jqo^");
  CHECK(wire::to_text("") == "");
  CHECK(*wire::from_text("9jqo^") == "Man ");
  CHECK(wire::text_size(4) == 5);
  CHECK(wire::text_size(5) == 7);
}

TEST_CASE("wire: text round trip for every length 0..64 and random bytes") {
  std::mt19937_64 rng(9);
  for (std::size_t n = 0; n <= 64; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const std::string text = wire::to_text(bytes);
    CHECK(text.size() == wire::text_size(n));
    for (char c : text) CHECK((c >= '!' && c <= 'u'));
    auto back = wire::from_text(text);
    REQUIRE(back);
    CHECK(*back == bytes);
  }
}

TEST_CASE("wire: a block round trips compressed and raw, an empty block too") {
  const RowBlock b = random_block(300, 50, 0.3, 1);
  for (bool compress : {true, false}) {
    auto back = wire::decode_block(wire::encode_block(kId, b, compress, 3), kId, kLimits);
    REQUIRE(back);
    CHECK(*back == b);
  }
  auto empty = wire::decode_block(wire::encode_block(kId, RowBlock{}, true, 3), kId, kLimits);
  REQUIRE(empty);
  CHECK(empty->empty());
  // Raw size: 28-byte header + 8 per row + 8 per nonzero, plus the codec byte.
  CHECK(wire::encode_block(kId, b, false, 0).size() == 1 + 28 + static_cast<std::size_t>(b.row_bytes()));
}

// --- Errors last ---
TEST_CASE("wire: malformed frames are rejected with a clear error") {
  const RowBlock b = random_block(300, 50, 0.3, 2);
  const std::string raw = wire::encode_block(kId, b, false, 0);
  const std::string zst = wire::encode_block(kId, b, true, 3);
  auto rejects = [&](const std::string& frame, const char* what, wire::BlockId id = kId, wire::Limits lim = kLimits) {
    auto r = wire::decode_block(frame, id, lim);
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(what) != std::string::npos, r.error().what);
  };
  rejects("", "empty frame");
  rejects("X" + raw.substr(1), "unknown codec");
  rejects(raw.substr(0, 20), "truncated header");
  rejects(raw.substr(0, raw.size() - 4), "truncated");
  rejects(raw + "1234", "header implies");
  rejects(zst.substr(0, zst.size() / 2), "zstd");
  std::string flipped = zst;
  flipped[flipped.size() / 2] ^= 0x5A;
  CHECK(!wire::decode_block(flipped, kId, kLimits));  // corrupt payload: an error, whatever byte
  std::string magic = raw;
  magic[1] = 'X';
  rejects(magic, "bad magic");
  rejects(raw, "expected layer", wire::BlockId{5, 1, 2});
  rejects(raw, "out of range", kId, wire::Limits{200, 50});  // neuron 201 ≥ 200
  RowBlock far;
  far.add_row(7);
  far.add_value(20, 1.0f);
  rejects(wire::encode_block(kId, far, true, 3), "image 20 out of range", kId, wire::Limits{300, 10});
  // Rows out of order, values not positive: forged raw frames.
  RowBlock unordered;
  unordered.add_row(5);
  unordered.add_value(1, 1.0f);
  unordered.add_row(3);
  unordered.add_value(1, 1.0f);
  rejects(wire::encode_block(kId, unordered, false, 0), "not ascending");
  RowBlock negative;
  negative.add_row(5);
  negative.add_value(1, -1.0f);
  rejects(wire::encode_block(kId, negative, false, 0), "positive");
  RowBlock nan;
  nan.add_row(5);
  nan.add_value(1, std::numeric_limits<float>::quiet_NaN());
  rejects(wire::encode_block(kId, nan, false, 0), "finite");
  // A zstd frame claiming more than the limits allow (a decompression bomb) is refused unread.
  rejects(zst, "more than the limits allow", kId, wire::Limits{1, 1});
}

TEST_CASE("wire: random corruption of frames and text is rejected or decodes to a valid block, never crashes") {
  const RowBlock b = random_block(300, 50, 0.2, 4);
  const std::string frames[2] = {wire::encode_block(kId, b, true, 3), wire::encode_block(kId, b, false, 0)};
  std::mt19937_64 rng(2024);
  std::printf("corruption seed 2024\n");
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string f = frames[trial % 2];
    switch (trial % 3) {
      case 0: f[rng() % f.size()] ^= static_cast<char>(1 + rng() % 255); break;  // flip a byte
      case 1: f.resize(rng() % f.size()); break;                                 // truncate
      case 2: f.insert(rng() % f.size(), 1, static_cast<char>(rng())); break;    // insert a byte
    }
    auto r = (trial % 5 == 0) ? [&] {  // sometimes through the text layer, corrupting the text
      std::string t = wire::to_text(frames[trial % 2]);
      t[rng() % t.size()] = static_cast<char>(rng() % 128);
      auto bytes = wire::from_text(t);
      return bytes ? wire::decode_block(*bytes, kId, kLimits) : Result<RowBlock>(bytes.error());
    }()
                              : wire::decode_block(f, kId, kLimits);
    if (!r) {
      ++rejected;
      CHECK(r.error().code == ErrorCode::kInvalidInput);
      continue;
    }
    // Accepted: every invariant the receiver relies on holds.
    REQUIRE(r->offsets.size() == r->rows() + 1);
    REQUIRE(r->offsets.back() == r->nnz());
    for (std::size_t i = 0; i < r->rows(); ++i) {
      CHECK((r->neurons[i] >= 0 && r->neurons[i] < kLimits.neurons));
      if (i) CHECK(r->neurons[i] > r->neurons[i - 1]);
    }
    for (std::int64_t e = 0; e < r->nnz(); ++e) CHECK((r->images[e] >= 0 && r->images[e] < kLimits.images));
  }
  CHECK(rejected > 2000);  // almost every corruption is caught (raw value bytes may flip unnoticed)
}

TEST_CASE("wire: malformed text is rejected") {
  CHECK(wire::from_text("9jqo^9").error().what.find("truncated") != std::string::npos);
  CHECK(!wire::from_text("9jqo~"));   // '~' is outside the alphabet
  CHECK(!wire::from_text("uuuuu"));   // 85^5 − 1 > 2^32 − 1
  CHECK(!wire::from_text("9j q^"));
}
