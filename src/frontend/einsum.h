// Internal to the frontend: Einsum equations ("bij,bjk->bik", "...ij,...jk", "ij->i"), parsed
// against the operands' ranks into one label per dim. Shared by our Einsum shape rule (onnx 1.12
// infers only the output's rank, newer_opsets.cpp) and the mapper, which lowers the supported
// forms into Transpose, Reshape, ReduceSum, MatMul and Mul (op_mapper.cpp, docs/frontend.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::frontend {

// A letter's label is its character code; the k-th dim covered by an ellipsis, counted from the
// left of the widest ellipsis (operands' ellipses are right-aligned, as numpy broadcasts them),
// is kEllipsisLabel + k.
constexpr int kEllipsisLabel = 256;

struct EinsumLabels {
  std::vector<std::vector<int>> inputs;  // per operand, one label per dim
  std::vector<int> output;               // one label per output dim
  bool implicit_output = false;          // no "->": ellipsis dims, then the once-used letters sorted
  size_t ellipsis_rank = 0;              // dims the widest ellipsis covers
};

// Parses `equation` for operands of the given ranks. Spaces are ignored. Without "->" the output
// is, as numpy (ONNX's reference) defines it, the ellipsis dims followed by the letters used
// exactly once, in character order. Fails (kInvalidModel) on a malformed equation, a term whose
// dims do not match its operand's rank, an output letter that no operand has or that repeats,
// and an ellipsis covering dims that an explicit output drops. Repeated letters within one
// operand (diagonals) and any number of operands parse; the mapper decides what it lowers.
Expected<EinsumLabels> ParseEinsum(const std::string& equation, const std::vector<size_t>& ranks);

// The output shape: each label's size, where operands may disagree only by a size of 1 (numpy
// broadcasting; onnxruntime broadcasts letters and ellipsis dims alike). kInvalidModel otherwise.
Expected<std::vector<int64_t>> EinsumOutputShape(const EinsumLabels& labels,
                                                 const std::vector<std::vector<int64_t>>& shapes);

// "'i'" for a letter, "ellipsis dim 0" for an ellipsis dim (messages).
std::string EinsumLabelName(int label);

}  // namespace tigris::frontend
