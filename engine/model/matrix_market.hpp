// MatrixMarket reader (NIST format, as the Graph Challenge files converted for LAGraph use).
//
// Accepts `%%MatrixMarket matrix coordinate <real|integer|pattern> <general|symmetric>`;
// pattern entries have value 1. A symmetric file stores one triangle: every off-diagonal entry
// (i, j) also gives (j, i) — shared layer 6 depends on this. Indices are 1-based in the file,
// 0-based in the result. Anything else (array format, complex, a malformed or short line, an index
// out of range, fewer or more entries than declared, a duplicate) throws engine::InputError
// "path:line: problem". Stateless; thread-safe.
#pragma once

#include <string>

#include "engine/model/network.hpp"

namespace engine {

SparseMatrix read_matrix_market(const std::string& path);

}  // namespace engine
