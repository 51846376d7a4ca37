// MD5 of many inputs at once: the SQS client checks every received body against its MD5OfBody
// (as the AWS SDKs do), ten bodies per ReceiveMessage, and one MD5 stream is serial by design
// (~720 MB/s with OpenSSL, 14 µs for ten 1 KiB bodies: most of the client's receive overhead).
// On a CPU with AVX2, sixteen inputs are hashed side by side, one per 32-bit lane, in two
// independent vectors of eight (MD5 is latency-bound: one chain leaves the core idle); with
// AVX-512VL in fewer instructions. Elsewhere, and for a single input, each goes through OpenSSL
// (sigv4's md5_digest). No Debian library offers multi-buffer MD5 (Intel's isa-l_crypto is not
// packaged), hence this file. MD5 serves here as the integrity check
// SQS defines, not as a security property.
// Pure function of its inputs: thread-safe and deterministic; the result equals RFC 1321's MD5.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace engine::aws {

using Md5Digest = std::array<unsigned char, 16>;

// out[i] = MD5(inputs[i]); out.size() must equal inputs.size() (else std::invalid_argument).
void md5_many(std::span<const std::string_view> inputs, std::span<Md5Digest> out);

// digest written as 32 lowercase hex digits equals `hex` (how SQS writes MD5OfBody).
bool digest_matches_hex(const Md5Digest& digest, std::string_view hex);

// Whether md5_many takes the lane path on this CPU (AVX2), and whether it runs it with
// AVX-512VL's one-instruction round functions and rotations (tests run every path they can).
bool md5_many_vectorised();
bool md5_many_avx512vl();

namespace detail {
// The lane path alone, in its AVX2 or AVX-512VL build (each only where the CPU has it);
// the same contract as md5_many.
void md5_many_lanes(std::span<const std::string_view> inputs, std::span<Md5Digest> out, bool avx512vl);
}  // namespace detail

}  // namespace engine::aws
