// Loading and saving whole networks and image batches in the Graph Challenge layouts.
//
// A weights folder holds one file per layer, n<N>-l<k>.tsv (Graph Challenge TSV) or
// n<N>-l<k>.mtx (MatrixMarket), k = 1..L; the bias is the challenge's for N (generated_bias).
// Images: sparse-images-<N>.tsv or any .mtx, one row per image, at most N columns.
// Every problem — a missing layer, a non-square layer, layers that disagree on N, images wider
// than N, a malformed file — throws engine::InputError naming the file (and line).
// write_network writes every layer atomically (temp file + rename); nothing else is touched.
// Stateless; thread-safe for distinct paths.
#pragma once

#include <string>

#include "engine/model/network.hpp"

namespace engine {

// Path of layer k (1-based) inside dir: the .tsv if it exists, else the .mtx (even if missing, so
// the error names it).
std::string layer_path(const std::string& dir, int neurons, int layer);

Network read_network(const std::string& dir, int neurons, int layers);

// .mtx by MatrixMarket, anything else as TSV. Values as stored (the challenge's images are 1).
Activations read_images(const std::string& path, int neurons);

// Writes dir/n<N>-l<k>.tsv for every layer (creates dir).
void write_network(const std::string& dir, const Network& net);

}  // namespace engine
