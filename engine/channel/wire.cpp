#include "engine/channel/wire.hpp"

#include <zstd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace engine::wire {
static_assert(std::endian::native == std::endian::little, "the wire format is little-endian");

namespace {
constexpr char kMagic[4] = {'F', 'S', 'D', '1'};
constexpr std::size_t kHeaderBytes = 4 + 4 * 4 + 8;

Error bad(const std::string& what) { return Error{ErrorCode::kInvalidInput, "wire::decode_block", what}; }

template <class T>
void put(char*& p, const T* src, std::size_t n) {
  if (n == 0) return;  // an empty vector's data() may be null: memcpy must not see it
  std::memcpy(p, src, n * sizeof(T));
  p += n * sizeof(T);
}
template <class T>
void get(const char*& p, T* dst, std::size_t n) {
  if (n == 0) return;
  std::memcpy(dst, p, n * sizeof(T));
  p += n * sizeof(T);
}
}  // namespace

std::string encode_block(const BlockId& id, const RowBlock& b, bool compress, int level) {
  const auto rows = static_cast<std::int32_t>(b.rows());
  const std::int64_t nnz = b.nnz();
  const std::size_t raw_bytes = kHeaderBytes + 8 * static_cast<std::size_t>(rows) + 8 * static_cast<std::size_t>(nnz);
  std::string raw(raw_bytes, '\0');
  char* p = raw.data();
  put(p, kMagic, 4);
  const std::int32_t head[4] = {id.layer, id.source, id.target, rows};
  put(p, head, 4);
  put(p, &nnz, 1);
  put(p, b.neurons.data(), b.rows());
  for (std::int32_t r = 0; r < rows; ++r) {
    const auto count = static_cast<std::int32_t>(b.offsets[r + 1] - b.offsets[r]);
    put(p, &count, 1);
  }
  put(p, b.images.data(), b.images.size());
  put(p, b.values.data(), b.values.size());
  if (!compress) return 'R' + raw;
  // One context per thread, reused (creating one per block costs more than compressing a small
  // block); the frame carries zstd's content checksum, so a corrupted payload is detected.
  struct Ctx {
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    ~Ctx() { ZSTD_freeCCtx(ctx); }
  };
  thread_local Ctx cctx;
  ZSTD_CCtx_reset(cctx.ctx, ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_checksumFlag, 1);
  std::string frame(1 + ZSTD_compressBound(raw.size()), '\0');
  frame[0] = 'Z';
  const std::size_t n = ZSTD_compress2(cctx.ctx, frame.data() + 1, frame.size() - 1, raw.data(), raw.size());
  if (ZSTD_isError(n)) throw std::logic_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  frame.resize(1 + n);
  return frame;
}

Result<RowBlock> decode_block(std::string_view frame, const BlockId& expected, const Limits& limits) {
  if (frame.empty()) return bad("empty frame");
  // The largest raw frame the limits allow: every neuron, every image.
  const std::uint64_t max_raw = kHeaderBytes + 8ull * static_cast<std::uint64_t>(limits.neurons) +
                                8ull * static_cast<std::uint64_t>(limits.neurons) * static_cast<std::uint64_t>(limits.images);
  std::string owned;
  std::string_view raw;
  if (frame[0] == 'R') {
    raw = frame.substr(1);
  } else if (frame[0] == 'Z') {
    const auto content = ZSTD_getFrameContentSize(frame.data() + 1, frame.size() - 1);
    if (content == ZSTD_CONTENTSIZE_ERROR) return bad("corrupt zstd frame");
    if (content == ZSTD_CONTENTSIZE_UNKNOWN) return bad("zstd frame without a content size");
    if (content > max_raw) return bad("zstd frame claims " + std::to_string(content) + " bytes, more than the limits allow");
    owned.resize(content);
    // As for compression: one decompression context per thread, reused across blocks.
    struct DCtx {
      ZSTD_DCtx* ctx = ZSTD_createDCtx();
      ~DCtx() { ZSTD_freeDCtx(ctx); }
    };
    thread_local DCtx dctx;
    const std::size_t n = ZSTD_decompressDCtx(dctx.ctx, owned.data(), owned.size(), frame.data() + 1, frame.size() - 1);
    if (ZSTD_isError(n)) return bad(std::string("corrupt zstd frame: ") + ZSTD_getErrorName(n));
    if (n != content) return bad("zstd frame shorter than its content size");
    raw = owned;
  } else {
    return bad("unknown codec byte " + std::to_string(static_cast<unsigned char>(frame[0])));
  }
  if (raw.size() < kHeaderBytes) return bad("truncated header (" + std::to_string(raw.size()) + " bytes)");
  const char* p = raw.data();
  if (std::memcmp(p, kMagic, 4) != 0) return bad("bad magic");
  p += 4;
  std::int32_t head[4];
  get(p, head, 4);
  std::int64_t nnz = 0;
  get(p, &nnz, 1);
  const BlockId id{head[0], head[1], head[2]};
  if (!(id == expected))
    return bad("block is for layer " + std::to_string(id.layer) + " " + std::to_string(id.source) + "→" +
               std::to_string(id.target) + ", expected layer " + std::to_string(expected.layer) + " " +
               std::to_string(expected.source) + "→" + std::to_string(expected.target));
  const std::int32_t rows = head[3];
  if (rows < 0 || rows > limits.neurons) return bad("row count " + std::to_string(rows) + " out of range");
  if (nnz < 0 || nnz > static_cast<std::int64_t>(rows) * limits.images)
    return bad("nonzero count " + std::to_string(nnz) + " out of range");
  const std::uint64_t need = kHeaderBytes + 8ull * static_cast<std::uint64_t>(rows) + 8ull * static_cast<std::uint64_t>(nnz);
  if (raw.size() != need)
    return bad("frame has " + std::to_string(raw.size()) + " bytes, its header implies " + std::to_string(need) +
               (raw.size() < need ? " (truncated)" : ""));
  RowBlock b;
  b.neurons.resize(rows);
  get(p, b.neurons.data(), rows);
  std::vector<std::int32_t> counts(rows);
  get(p, counts.data(), rows);
  b.images.resize(nnz);
  get(p, b.images.data(), nnz);
  b.values.resize(nnz);
  get(p, b.values.data(), nnz);
  b.offsets.assign(rows + 1, 0);
  for (std::int32_t r = 0; r < rows; ++r) {
    const std::int32_t n = b.neurons[r];
    if (n < 0 || n >= limits.neurons) return bad("row " + std::to_string(n) + " out of range [0, " + std::to_string(limits.neurons) + ")");
    if (r > 0 && n <= b.neurons[r - 1]) return bad("rows not ascending at row " + std::to_string(n));
    if (counts[r] < 0 || counts[r] > limits.images) return bad("row " + std::to_string(n) + ": bad count");
    b.offsets[r + 1] = b.offsets[r] + counts[r];
  }
  if (b.offsets[rows] != nnz) return bad("row counts sum to " + std::to_string(b.offsets[rows]) + ", header says " + std::to_string(nnz));
  for (std::int32_t r = 0; r < rows; ++r) {
    for (std::int64_t e = b.offsets[r]; e < b.offsets[r + 1]; ++e) {
      const std::int32_t img = b.images[e];
      if (img < 0 || img >= limits.images)
        return bad("row " + std::to_string(b.neurons[r]) + ": image " + std::to_string(img) + " out of range");
      if (e > b.offsets[r] && img <= b.images[e - 1])
        return bad("row " + std::to_string(b.neurons[r]) + ": images not ascending");
      const float v = b.values[e];
      if (!(std::isfinite(v) && v > 0)) return bad("row " + std::to_string(b.neurons[r]) + ": value not finite and positive");
    }
  }
  return b;
}

// --- base-85 text (Ascii85 alphabet '!'..'u', without the 'z' shortcut) ---
std::size_t text_size(std::size_t bytes) { return bytes / 4 * 5 + (bytes % 4 ? bytes % 4 + 1 : 0); }

std::string to_text(std::string_view bytes) {
  std::string out(text_size(bytes.size()), '\0');
  char* o = out.data();
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t full = bytes.size() / 4;
  for (std::size_t g = 0; g < full; ++g, in += 4, o += 5) {
    std::uint32_t v = (std::uint32_t(in[0]) << 24) | (std::uint32_t(in[1]) << 16) | (std::uint32_t(in[2]) << 8) | in[3];
    for (int i = 4; i >= 0; --i) {
      o[i] = static_cast<char>('!' + v % 85);
      v /= 85;
    }
  }
  if (const std::size_t rest = bytes.size() % 4) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | (i < rest ? in[i] : 0);
    char group[5];
    for (int i = 4; i >= 0; --i) {
      group[i] = static_cast<char>('!' + v % 85);
      v /= 85;
    }
    std::memcpy(o, group, rest + 1);
  }
  return out;
}

Result<std::string> from_text(std::string_view text) {
  auto err = [](const std::string& what) { return Error{ErrorCode::kInvalidInput, "wire::from_text", what}; };
  const std::size_t full = text.size() / 5, rest = text.size() % 5;
  if (rest == 1) return err("truncated text (a final group of 1 character)");
  std::string out(full * 4 + (rest ? rest - 1 : 0), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  auto group_value = [&](const char* c, std::uint64_t& v) -> bool {
    v = 0;
    for (int i = 0; i < 5; ++i) {
      const unsigned d = static_cast<unsigned char>(c[i]) - '!';
      if (d >= 85) return false;
      v = v * 85 + d;
    }
    return v <= 0xFFFFFFFFull;
  };
  for (std::size_t g = 0; g < full; ++g, o += 4) {
    std::uint64_t v;
    if (!group_value(text.data() + 5 * g, v)) return err("bad character or group at offset " + std::to_string(5 * g));
    o[0] = v >> 24, o[1] = v >> 16, o[2] = v >> 8, o[3] = v;
  }
  if (rest) {
    char c[5] = {'u', 'u', 'u', 'u', 'u'};  // pad with the largest digit, as Ascii85 does
    std::memcpy(c, text.data() + 5 * full, rest);
    std::uint64_t v;
    if (!group_value(c, v)) return err("bad character or group at offset " + std::to_string(5 * full));
    for (std::size_t i = 0; i + 1 < rest; ++i) o[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
  }
  return out;
}

}  // namespace engine::wire
