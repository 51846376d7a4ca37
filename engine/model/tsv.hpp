// Graph Challenge TSV: one nonzero per line, "i<TAB>j<TAB>v", 1-based (spaces also accepted).
//
// read_tsv_matrix: rows and cols are the matrix size (the file has no header); an index beyond
// them, a malformed or truncated line (the file must end with a newline), a duplicate entry or an
// empty file throws engine::InputError "path:line: problem". rows < 0 means "as many as the
// largest row index" (image files: one row per image, the count is not written anywhere), at
// most 2^24 images.
// write_tsv_matrix writes the same format atomically: a temporary file in the same folder, then
// rename, so a reader never sees half a file. Values are printed with the shortest text that
// reads back to the same float. Stateless; thread-safe for distinct paths.
#pragma once

#include <cstdint>
#include <string>

#include "engine/model/network.hpp"

namespace engine {

SparseMatrix read_tsv_matrix(const std::string& path, std::int64_t rows, std::int64_t cols);

// Throws std::runtime_error if the file cannot be written (disk full, no such folder).
void write_tsv_matrix(const std::string& path, const SparseMatrix& matrix);

}  // namespace engine
