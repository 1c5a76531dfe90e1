// Internal helpers shared by the normalize passes: constant float access, unique names and
// node removal that keeps the (topological) node order.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"

namespace tigris::passes::detail {

std::string Label(const ir::Node& n);
// Float32 values of a constant tensor (empty if it is not a float32 constant).
std::vector<double> ConstF32(const ir::Tensor& t);
// A constant float32 tensor from doubles (rounded to float32).
ir::Tensor MakeConstF32(std::string name, std::vector<int64_t> shape, const std::vector<double>& values);
// `base`, or `base_1`, `base_2`, ... so that it is not in `taken`; the result is added to it.
std::string UniqueName(const std::string& base, std::set<std::string>& taken);
std::set<std::string> NodeNames(const ir::Graph& g);
std::set<std::string> TensorNames(const ir::Graph& g);
bool IsGraphOutput(const ir::Graph& g, ir::TensorId t);
// Removes the nodes whose `dead` flag is set, keeping the order of the others.
void RemoveNodes(ir::Graph& g, const std::vector<bool>& dead);

}  // namespace tigris::passes::detail
