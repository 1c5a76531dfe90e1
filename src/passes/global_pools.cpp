// GlobalizePools: an AveragePool whose one window is the whole input (kernel = the spatial dims,
// no padding, dilation 1, a 1x1 output) becomes a GlobalAveragePool. Both kernels sum the plane in
// row-major order from 0 and divide by the element count, so the values are bit-identical; the
// global form can be accumulated strip by strip when the partitioner tiles its input.
// Pre: canonical attributes (docs/ir.md). Post: such pools are GlobalAveragePool nodes without
// attributes; tensors and node order unchanged.
#include "tigris/passes/passes.h"

namespace tigris::passes {

Status GlobalizePools(ir::Graph& g) {
  for (ir::Node& n : g.nodes) {
    if (n.kind != ir::OpKind::kAveragePool || n.inputs.empty() || n.outputs.size() != 1) continue;
    const ir::Tensor& x = g.tensor(n.inputs[0]);
    const ir::Tensor& y = g.tensor(n.outputs[0]);
    if (x.shape.size() < 3 || x.shape.size() != y.shape.size()) continue;
    const size_t ns = x.shape.size() - 2;
    const std::vector<int64_t> k = n.GetInts("kernel_shape"), pads = n.GetInts("pads"), dil = n.GetInts("dilations");
    bool whole = k.size() == ns;
    for (size_t d = 0; whole && d < ns; ++d)
      whole = k[d] == x.shape[d + 2] && y.shape[d + 2] == 1 && (d >= dil.size() || dil[d] == 1);
    for (int64_t p : pads) whole = whole && p == 0;
    if (!whole) continue;
    n.kind = ir::OpKind::kGlobalAveragePool;
    n.attrs.clear();
  }
  return Status::Ok();
}

}  // namespace tigris::passes
