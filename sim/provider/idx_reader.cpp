// read_idx_images / read_idx_labels: zlib gzread of the whole file, then header checks.
#include "sim/provider/idx_reader.hpp"

#include <zlib.h>

#include "engine/common/input_error.hpp"

namespace provider {
namespace {

std::vector<std::uint8_t> gunzip_file(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw engine::InputError(path, 0, "cannot open");
  std::vector<std::uint8_t> data;
  std::uint8_t buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) {
    data.insert(data.end(), buf, buf + n);
    if (data.size() > (std::size_t(1) << 31)) break;
  }
  int err = Z_OK;
  const std::string msg = n < 0 ? gzerror(f, &err) : "";
  gzclose(f);
  if (n < 0) throw engine::InputError(path, 0, "gzip: " + msg);
  if (data.size() > (std::size_t(1) << 31)) throw engine::InputError(path, 0, "larger than 2 GiB");
  return data;
}

std::uint32_t be32(const std::vector<std::uint8_t>& d, std::size_t off) {
  return std::uint32_t(d[off]) << 24 | std::uint32_t(d[off + 1]) << 16 | std::uint32_t(d[off + 2]) << 8 | d[off + 3];
}

}  // namespace

IdxImages read_idx_images(const std::string& path) {
  const auto d = gunzip_file(path);
  if (d.size() < 16 || be32(d, 0) != 0x803) throw engine::InputError(path, 0, "not an IDX image file (magic 0x803)");
  IdxImages im;
  const std::uint32_t count = be32(d, 4), rows = be32(d, 8), cols = be32(d, 12);
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096 || count > (1u << 24))
    throw engine::InputError(path, 0, "implausible dimensions");
  if (d.size() - 16 != std::uint64_t(count) * rows * cols)
    throw engine::InputError(path, 0,
                             "payload of " + std::to_string(d.size() - 16) + " bytes, expected " +
                                 std::to_string(std::uint64_t(count) * rows * cols));
  im.count = int(count);
  im.rows = int(rows);
  im.cols = int(cols);
  im.pixels.assign(d.begin() + 16, d.end());
  return im;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  const auto d = gunzip_file(path);
  if (d.size() < 8 || be32(d, 0) != 0x801) throw engine::InputError(path, 0, "not an IDX label file (magic 0x801)");
  if (d.size() - 8 != be32(d, 4)) throw engine::InputError(path, 0, "label count does not match the payload");
  return {d.begin() + 8, d.end()};
}

}  // namespace provider
