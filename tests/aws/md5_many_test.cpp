// md5_many against RFC 1321's test vectors and against OpenSSL (md5_hex, one input at a time) on
// inputs whose lengths cross every padding case (55/56/63/64 bytes: one or two tail blocks), in
// groups that fill 1..16 lanes (both chains), 17 (a second group), and lanes of very different lengths.
#include "engine/aws/md5_many.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "engine/aws/sigv4.hpp"

using namespace engine::aws;

namespace {

std::string hex(const Md5Digest& d) { return to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())); }

// The ways md5_many can hash: its own choice, and each eight-lane build the CPU can run.
enum class Path { kMd5Many, kAvx2, kAvx512vl };
std::vector<Path> paths() {
  std::vector<Path> p = {Path::kMd5Many};
  if (md5_many_vectorised()) p.push_back(Path::kAvx2);
  if (md5_many_avx512vl()) p.push_back(Path::kAvx512vl);
  return p;
}

void hash(Path path, std::span<const std::string_view> in, std::span<Md5Digest> out) {
  if (path == Path::kMd5Many) md5_many(in, out);
  else detail::md5_many_lanes(in, out, path == Path::kAvx512vl);
}

// Runs one path and compares with OpenSSL.
void check_against_openssl(const std::vector<std::string>& inputs, Path path) {
  std::vector<std::string_view> views(inputs.begin(), inputs.end());
  std::vector<Md5Digest> out(inputs.size());
  hash(path, views, out);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    CAPTURE(i);
    CAPTURE(inputs[i].size());
    CHECK(hex(out[i]) == md5_hex(inputs[i]));
  }
}

}  // namespace

TEST_CASE("aws: md5_many gives RFC 1321's test-suite digests in every lane") {
  const std::vector<std::pair<std::string, std::string>> rfc = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"}};
  std::vector<std::string_view> views;
  for (const auto& [in, _] : rfc) views.push_back(in);
  std::vector<Md5Digest> out(views.size());
  for (Path path : paths()) {
    CAPTURE(static_cast<int>(path));
    hash(path, views, out);
    for (std::size_t i = 0; i < rfc.size(); ++i) CHECK(hex(out[i]) == rfc[i].second);
  }
}

TEST_CASE("aws: digest_matches_hex accepts exactly SQS's lowercase hex of the digest") {
  const std::string_view in[] = {"message digest", "message digesT"};
  Md5Digest d[2];
  md5_many(in, d);
  CHECK(digest_matches_hex(d[0], "f96b697d7cb7938d525a2f31aaf161d0"));
  CHECK_FALSE(digest_matches_hex(d[0], "f96b697d7cb7938d525a2f31aaf161d1"));
  CHECK_FALSE(digest_matches_hex(d[0], "f96b697d7cb7938d525a2f31aaf161d"));   // short
  CHECK_FALSE(digest_matches_hex(d[0], "F96B697D7CB7938D525A2F31AAF161D0"));  // SQS sends lower case
  CHECK_FALSE(digest_matches_hex(d[1], "f96b697d7cb7938d525a2f31aaf161d0"));
}

TEST_CASE("aws: md5_many equals OpenSSL's MD5 for every padding case and lane count") {
  const unsigned seed = 20261123;
  std::printf("md5_many seed %u\n", seed);
  std::mt19937 rng(seed);
  auto random_text = [&](std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());  // every byte value, as binary bodies would be
    return s;
  };
  std::vector<std::string> edges;
  for (std::size_t n : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1024, 1000, 4097})
    edges.push_back(random_text(n));
  std::printf("md5_many paths: md5_many%s%s\n", md5_many_vectorised() ? ", avx2" : "",
              md5_many_avx512vl() ? ", avx512vl" : "");
  for (Path path : paths()) {
    CAPTURE(static_cast<int>(path));
    check_against_openssl(edges, path);  // 16 inputs: one full group
    for (std::size_t count = 1; count <= 17; ++count) {
      std::vector<std::string> inputs;
      for (std::size_t i = 0; i < count; ++i) inputs.push_back(random_text(rng() % 700));
      check_against_openssl(inputs, path);
    }
    // Lanes of very different lengths: one 64 KiB input beside empty and short ones.
    check_against_openssl({random_text(65536), "", random_text(3), random_text(200), random_text(64)}, path);
  }
  std::vector<Md5Digest> too_few(1);
  const std::string_view two[] = {"a", "b"};
  CHECK_THROWS_AS(md5_many(two, too_few), std::invalid_argument);
}
