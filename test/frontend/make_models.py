#!/usr/bin/python3
"""Generates the small ONNX models (and numpy expectations as TensorProto .pb files) that the
frontend and passes tests import. Run at build time into the build tree; deterministic (fixed
seeds), so nothing generated is committed. Needs Debian's python3-onnx and numpy."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(1234)


def save(model, name, opset=17):
    model.opset_import[0].version = opset
    model.ir_version = {18: 8, 19: 9, 20: 9, 21: 10, 22: 10}.get(opset, 8 if opset >= 15 else 7)
    onnx.save(model, os.path.join(OUT, name))


def save_tensor(arr, name):
    t = numpy_helper.from_array(arr, name)
    with open(os.path.join(OUT, name + ".pb"), "wb") as f:
        f.write(t.SerializeToString())


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def init(name, arr):
    return numpy_helper.from_array(arr, name)


# 1. PyTorch-style flatten: Shape -> Gather -> Unsqueeze -> Concat -> Reshape, symbolic batch.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 4, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
nodes = [
    helper.make_node("Relu", ["x"], ["r"], name="relu"),
    helper.make_node("Shape", ["r"], ["s"], name="shape"),
    helper.make_node("Gather", ["s", "zero"], ["b"], name="gather", axis=0),
    helper.make_node("Unsqueeze", ["b", "axes0"], ["bu"], name="unsq"),
    helper.make_node("Concat", ["bu", "minus1"], ["newshape"], name="concat", axis=0),
    helper.make_node("Reshape", ["r", "newshape"], ["y"], name="reshape"),
]
g = helper.make_graph(nodes, "shape_chain", [x], [y], [
    init("zero", np.array(0, dtype=np.int64)),
    init("axes0", np.array([0], dtype=np.int64)),
    init("minus1", np.array([-1], dtype=np.int64)),
])
save(helper.make_model(g), "shape_chain.onnx")

# 2. auto_pad: SAME_UPPER stride 2 (odd total), SAME_LOWER k=4, VALID, and a SAME_UPPER pool.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 7, 7])
nodes = [
    helper.make_node("Conv", ["x", "w3"], ["c1"], name="same_upper", auto_pad="SAME_UPPER", strides=[2, 2]),
    helper.make_node("Conv", ["c1", "w4"], ["c2"], name="same_lower", auto_pad="SAME_LOWER"),
    helper.make_node("Conv", ["c2", "w3b"], ["c3"], name="valid", auto_pad="VALID"),
    helper.make_node("MaxPool", ["x"], ["p"], name="pool", auto_pad="SAME_UPPER", kernel_shape=[2, 2], strides=[2, 2]),
]
g = helper.make_graph(nodes, "autopad", [x], [helper.make_tensor_value_info("c3", TensorProto.FLOAT, None),
                                              helper.make_tensor_value_info("p", TensorProto.FLOAT, None)],
                      [init("w3", f32(4, 2, 3, 3)), init("w4", f32(4, 4, 4, 4)), init("w3b", f32(2, 4, 3, 3))])
save(helper.make_model(g), "autopad.onnx")

# 3. BatchNorm after Conv (foldable) and a standalone BN on the input; numpy expectations.
C = 4
w = f32(C, 3, 3, 3)
b = f32(C)
gamma = rng.uniform(0.5, 1.5, C).astype(np.float32)
beta = f32(C)
mean = f32(C)
var = rng.uniform(0.1, 2.0, C).astype(np.float32)
gamma3 = rng.uniform(0.5, 1.5, 3).astype(np.float32)
beta3, mean3 = f32(3), f32(3)
var3 = rng.uniform(0.1, 2.0, 3).astype(np.float32)
eps = 1e-3
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 6, 6])
nodes = [
    helper.make_node("BatchNormalization", ["x", "g3", "be3", "m3", "v3"], ["xn"], name="bn_in", epsilon=eps),
    helper.make_node("Conv", ["xn", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("BatchNormalization", ["c", "g", "be", "m", "v"], ["bn"], name="bn", epsilon=eps),
    helper.make_node("Relu", ["bn"], ["y"], name="relu"),
]
g = helper.make_graph(nodes, "bn", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [
    init("w", w), init("b", b), init("g", gamma), init("be", beta), init("m", mean), init("v", var),
    init("g3", gamma3), init("be3", beta3), init("m3", mean3), init("v3", var3)])
save(helper.make_model(g), "bn.onnx")
scale = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + eps)
save_tensor((w.astype(np.float64) * scale[:, None, None, None]).astype(np.float32), "bn_expected_w")
save_tensor(((b.astype(np.float64) - mean) * scale + beta).astype(np.float32), "bn_expected_b")
scale3 = gamma3.astype(np.float64) / np.sqrt(var3.astype(np.float64) + eps)
save_tensor(scale3.astype(np.float32).reshape(3, 1, 1), "bn_expected_scale")
save_tensor((beta3 - mean3 * scale3).astype(np.float32).reshape(3, 1, 1), "bn_expected_shift")

# 4. An opset-9 model: Upsample (-> Resize, asymmetric/floor), BN v9, Flatten, Gemm.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 3])
nodes = [
    helper.make_node("Upsample", ["x", "scales"], ["u"], name="up", mode="nearest"),
    helper.make_node("BatchNormalization", ["u", "g", "be", "m", "v"], ["bn"], name="bn"),
    helper.make_node("Flatten", ["bn"], ["f"], name="flat"),
    helper.make_node("Gemm", ["f", "gw", "gb"], ["y"], name="fc", transB=1),
    helper.make_node("Softmax", ["y"], ["prob"], name="softmax"),
]
g = helper.make_graph(nodes, "opset9", [x], [helper.make_tensor_value_info("prob", TensorProto.FLOAT, None)], [
    init("scales", np.array([1, 1, 2, 2], dtype=np.float32)),
    init("g", np.ones(2, np.float32)), init("be", np.zeros(2, np.float32)),
    init("m", np.zeros(2, np.float32)), init("v", np.ones(2, np.float32)),
    init("gw", f32(5, 72)), init("gb", f32(5))])
save(helper.make_model(g), "opset9.onnx", opset=9)

# 5. An opset-11 model: Clip with constant min/max inputs, Pad with pads input, Squeeze axes
#    attribute, Softmax axis=1 on rank 2, Slice with constant inputs.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 1])
nodes = [
    helper.make_node("Clip", ["x", "lo", "hi"], ["c"], name="clip"),
    helper.make_node("Pad", ["c", "pads", "pv"], ["p"], name="pad", mode="constant"),
    helper.make_node("Squeeze", ["p"], ["s"], name="squeeze", axes=[3]),
    helper.make_node("Slice", ["s", "st", "en", "ax", "sp"], ["sl"], name="slice"),
    helper.make_node("Flatten", ["sl"], ["f"], name="flat"),
    helper.make_node("Softmax", ["f"], ["y"], name="softmax", axis=1),
]
g = helper.make_graph(nodes, "opset11", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [
    init("lo", np.array(0.0, np.float32)), init("hi", np.array(6.0, np.float32)),
    init("pads", np.array([0, 0, 1, 0, 0, 0, 2, 0], np.int64)), init("pv", np.array(0.5, np.float32)),
    init("st", np.array([-1, 0], np.int64)), init("en", np.array([-100, 100], np.int64)),
    init("ax", np.array([2, 1], np.int64)), init("sp", np.array([-2, 2], np.int64))])
save(helper.make_model(g), "opset11.onnx", opset=11)

# 6. Symbolic dims: x[batch, 8] -> Gemm; initializer also listed as a graph input.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 8])
wi = helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 8])
nodes = [helper.make_node("Gemm", ["x", "w"], ["y"], transB=1, alpha=0.5)]
g = helper.make_graph(nodes, "symbolic", [x, wi], [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])],
                      [init("w", f32(4, 8))])
save(helper.make_model(g), "symbolic.onnx")

# 7. Unsupported op, named and unnamed.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
nodes = [helper.make_node("Relu", ["x"], ["r"]),
         helper.make_node("Sin", ["r"], ["y"], name="my_sin")]
g = helper.make_graph(nodes, "unsupported", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "unsupported.onnx")
nodes = [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Sin", ["r"], ["y"])]
g = helper.make_graph(nodes, "unsupported", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "unsupported_unnamed.onnx")
nodes = [helper.make_node("Conv", ["x5", "w5"], ["y"], name="conv3d")]
g = helper.make_graph(nodes, "conv3d", [helper.make_tensor_value_info("x5", TensorProto.FLOAT, [1, 1, 4, 4, 4])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [init("w5", f32(1, 1, 2, 2, 2))])
save(helper.make_model(g), "conv3d.onnx")

# 8. A small CNN for the dump test: Conv -> Relu -> MaxPool -> Flatten -> Gemm -> Identity.
x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])
nodes = [
    helper.make_node("Conv", ["input", "cw", "cb"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu1"),
    helper.make_node("MaxPool", ["r"], ["p"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Flatten", ["p"], ["f"]),
    helper.make_node("Gemm", ["f", "fw", "fb"], ["g"], name="fc", transB=1),
    helper.make_node("Identity", ["g"], ["logits"], name="id"),
]
g = helper.make_graph(nodes, "tiny_cnn", [x], [helper.make_tensor_value_info("logits", TensorProto.FLOAT, None)], [
    init("cw", f32(2, 1, 3, 3)), init("cb", f32(2)), init("fw", f32(3, 32)), init("fb", f32(3))])
save(helper.make_model(g), "tiny_cnn.onnx")

# 9. Tensor files with typed fields (not raw_data).
t = helper.make_tensor("typed_f", TensorProto.FLOAT, [2, 2], [1.0, 2.0, 3.0, 4.5])
open(os.path.join(OUT, "typed_f.pb"), "wb").write(t.SerializeToString())
t = helper.make_tensor("typed_i64", TensorProto.INT64, [3], [1, -2, 3])
open(os.path.join(OUT, "typed_i64.pb"), "wb").write(t.SerializeToString())
t = helper.make_tensor("typed_i32", TensorProto.INT32, [2], [7, -8])
open(os.path.join(OUT, "typed_i32.pb"), "wb").write(t.SerializeToString())

# 10. Folding of float math and Range/ConstantOfShape feeding a runtime Add.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
nodes = [
    helper.make_node("Range", ["r0", "r4", "r1"], ["rng"], name="range"),
    helper.make_node("Cast", ["rng"], ["rngf"], name="cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["rngf", "two"], ["rng2"], name="mul_const"),
    helper.make_node("ConstantOfShape", ["shape4"], ["ones"], name="cos",
                     value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
    helper.make_node("Add", ["rng2", "ones"], ["bias"], name="add_const"),
    helper.make_node("Add", ["x", "bias"], ["y"], name="add"),
]
g = helper.make_graph(nodes, "fold_math", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [
    init("r0", np.array(0, np.int64)), init("r4", np.array(4, np.int64)), init("r1", np.array(1, np.int64)),
    init("two", np.array(2.0, np.float32)), init("shape4", np.array([4], np.int64))])
save(helper.make_model(g), "fold_math.onnx")

# 11. ConvTranspose with output_padding, and with output_shape.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 3])
nodes = [helper.make_node("ConvTranspose", ["x", "w"], ["a"], name="ct_outpad", strides=[2, 2], pads=[1, 1, 1, 1],
                          output_padding=[1, 1]),
         helper.make_node("ConvTranspose", ["x", "w"], ["b"], name="ct_outshape", strides=[2, 2], output_shape=[6, 6])]
g = helper.make_graph(nodes, "convtranspose", [x], [helper.make_tensor_value_info("a", TensorProto.FLOAT, None),
                                                    helper.make_tensor_value_info("b", TensorProto.FLOAT, None)],
                      [init("w", f32(2, 3, 3, 3))])
save(helper.make_model(g), "convtranspose.onnx")

# 12. DeepLab-style opset-9 head: Conv -> Upsample(linear) -> Relu, and a Resize-10 that
#     downsamples with nearest. The converter rebuilds the Upsample as a new Resize whose output
#     it renames; both keep their opset < 11 meaning (asymmetric; onnxruntime's rounding).
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 4])
nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("Upsample", ["c", "scales"], ["u"], name="up", mode="linear"),
         helper.make_node("Relu", ["u"], ["y"], name="relu")]
g = helper.make_graph(nodes, "upsample9", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                      [init("w", f32(3, 2, 3, 3)), init("scales", np.array([1, 1, 2.5, 1.5], np.float32))])
save(helper.make_model(g), "upsample_linear_opset9.onnx", opset=9)
nodes = [helper.make_node("Resize", ["x", "scales"], ["r"], name="down", mode="nearest"),
         helper.make_node("Relu", ["r"], ["y"], name="relu")]
g = helper.make_graph(nodes, "resize10", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                      [init("scales", np.array([1, 1, 0.6, 0.5], np.float32))])
save(helper.make_model(g), "resize_down_opset10.onnx", opset=10)

# 13. Softmax-11 over axis 1 of a rank-4 tensor (coerced to 2-D), without value_info: the
#     converter's Softmax 12->13 adapter needs the input shape (Conv output), and with symbolic
#     H/W it needs the bound shape.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 5])
nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("Softmax", ["c"], ["y"], name="softmax", axis=1)]
g = helper.make_graph(nodes, "softmax11", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                      [init("w", f32(3, 2, 3, 3))])
save(helper.make_model(g), "softmax11_after_conv.onnx", opset=11)
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])
g = helper.make_graph([helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=1)], "softmax11_dyn", [x],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "softmax11_symbolic.onnx", opset=11)

# 14. IR 3 (opset 7): initializers are also listed as graph inputs, a Conv feeds a BN (the
#     Conv output's shape needs the weight's), and Split-2's `split` attribute becomes a Constant
#     input in the converter.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 5])
inits = [init("w", f32(4, 2, 3, 3)), init("g", np.ones(4, np.float32)), init("be", np.zeros(4, np.float32)),
         init("m", np.zeros(4, np.float32)), init("v", np.ones(4, np.float32))]
nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("BatchNormalization", ["c", "g", "be", "m", "v"], ["bn"], name="bn"),
         helper.make_node("Split", ["bn"], ["s0", "s1"], name="split", axis=1, split=[1, 3])]
outs = [helper.make_tensor_value_info("s0", TensorProto.FLOAT, [1, 1, 5, 5]),
        helper.make_tensor_value_info("s1", TensorProto.FLOAT, [1, 3, 5, 5])]
ins = [x] + [helper.make_tensor_value_info(t.name, TensorProto.FLOAT, list(t.dims)) for t in inits]
model = helper.make_model(helper.make_graph(nodes, "ir3", ins, outs, inits))
model.opset_import[0].version = 7
model.ir_version = 3
onnx.checker.check_model(model)
onnx.save(model, os.path.join(OUT, "ir3_opset7.onnx"))

# 15. A constant Pad-2 that relies on the default value (onnx's Pad 10->11 adapter asserts on
#     it), before an op TiGrIS rejects: the error tells whether the model was converted.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 3])
nodes = [helper.make_node("Pad", ["x"], ["p"], name="pad", pads=[0, 0, 1, 1, 0, 0, 1, 1]),
         helper.make_node("Sin", ["p"], ["y"], name="sin")]
g = helper.make_graph(nodes, "pad2", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "pad2_default_value.onnx", opset=7)

# 16. Softmax-11 over axis 1 of a tensor whose shape only constant folding finds (Shape ->
#     Reshape): the converter cannot rewrite it, the model is imported at opset 11.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4, 5])
nodes = [helper.make_node("Shape", ["x"], ["s"], name="shape"),
         helper.make_node("Relu", ["x"], ["r"], name="relu"),
         helper.make_node("Reshape", ["r", "s"], ["rs"], name="reshape"),
         helper.make_node("Softmax", ["rs"], ["y"], name="softmax", axis=1)]
g = helper.make_graph(nodes, "softmax11_fallback", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "softmax11_unconvertible.onnx", opset=11)

# 17. BatchNormalization-7 with spatial=0: statistics per activation ([C, H, W]).
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 2, 3])
nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn", spatial=0, epsilon=0.25)]
per = (2, 2, 3)
g = helper.make_graph(nodes, "bn_spatial0", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 2, 3])], [
    init("s", np.full(per, 2.0, np.float32)), init("b", np.arange(12, dtype=np.float32).reshape(per)),
    init("m", np.ones(per, np.float32)), init("v", np.full(per, 0.75, np.float32))])
save(helper.make_model(g), "bn_spatial0_opset7.onnx", opset=7)

# 18. Opsets 18..22: a model above 21 is refused by its opset; unknown and new-but-unsupported
#     ops are refused by name, all at once, with the known ops TiGrIS does not map.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
g = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="relu")], "opset22", [x], [y])
save(helper.make_model(g), "opset22.onnx", opset=22)
nodes = [helper.make_node("FooBar", ["x"], ["a"], name="foo"),
         helper.make_node("Acos", ["a"], ["b"], name="acos"),
         helper.make_node("DeformConv", ["b", "dw", "off"], ["c"], name="deform"),
         helper.make_node("Acos", ["c"], ["y"], name="acos2")]
g = helper.make_graph(nodes, "unknown19", [x], [y], [init("dw", f32(2, 3, 3, 3)), init("off", f32(1, 18, 2, 2))])
save(helper.make_model(g), "unknown_ops_opset19.onnx", opset=19)
nodes = [helper.make_node("Gelu", ["x"], ["y"], name="gelu")]
save(helper.make_model(helper.make_graph(nodes, "gelu19", [x], [y])), "gelu_opset19.onnx", opset=19)

# 19. Every op TiGrIS cannot map, in one error: Asin twice, Acos and Hardmax; a model with an op
#     of another domain too.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
nodes = [helper.make_node("Asin", ["x"], ["a"], name="asin_first"),
         helper.make_node("Relu", ["a"], ["r"], name="relu"),
         helper.make_node("Acos", ["r"], ["b"], name="acos"),
         helper.make_node("Asin", ["b"], ["c"], name="asin_second"),
         helper.make_node("Hardmax", ["c"], ["y"], name="hardmax", axis=1)]
g = helper.make_graph(nodes, "many", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "unsupported_many.onnx", opset=13)
nodes = [helper.make_node("FusedConv", ["x"], ["a"], name="fused", domain="com.microsoft"),
         helper.make_node("Acos", ["a"], ["y"], name="acos")]
m = helper.make_model(helper.make_graph(nodes, "domain", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]),
                      opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
m.ir_version = 7
onnx.save(m, os.path.join(OUT, "unsupported_domain.onnx"))

# 20. Dtypes: float64 / float16 inputs and a bfloat16 initializer are refused naming the tensor;
#     int64 and bool activations pass through views; an int64 input into Relu is refused.
def one_node(name, op, in_type, out_type, inits=(), extra_inputs=(), **attrs):
    xi = helper.make_tensor_value_info("x", in_type, [2, 3])
    nd = helper.make_node(op, ["x"] + list(extra_inputs), ["y"], name="n", **attrs)
    g = helper.make_graph([nd], name, [xi], [helper.make_tensor_value_info("y", out_type, None)], list(inits))
    save(helper.make_model(g), name + ".onnx", opset=13)


one_node("float64_input", "Relu", TensorProto.DOUBLE, TensorProto.DOUBLE)
one_node("float16_input", "Relu", TensorProto.FLOAT16, TensorProto.FLOAT16)
one_node("bfloat16_initializer", "Add", TensorProto.FLOAT, TensorProto.FLOAT, extra_inputs=["c"],
         inits=[helper.make_tensor("c", TensorProto.BFLOAT16, [3], [1, 2, 3])])
one_node("int64_reshape", "Reshape", TensorProto.INT64, TensorProto.INT64, extra_inputs=["s"], inits=[init("s", np.array([3, 2], np.int64))])
one_node("bool_flatten", "Flatten", TensorProto.BOOL, TensorProto.BOOL)
one_node("int64_relu", "Relu", TensorProto.INT64, TensorProto.INT64)
one_node("cast_bfloat16", "Cast", TensorProto.FLOAT, TensorProto.BFLOAT16, to=TensorProto.BFLOAT16)

# 21. Opset-18 forms the frontend rewrites to opset 17 (newer_opsets.cpp).
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 5, 7])
nodes = [helper.make_node("ReduceMean", ["x", "ax"], ["r"], name="mean", keepdims=0),
         helper.make_node("Split", ["x"], ["s0", "s1", "s2"], name="split", axis=3, num_outputs=3),
         helper.make_node("Pad", ["x", "pp", "", "pax"], ["p"], name="pad"),
         helper.make_node("Resize", ["x", "", "", "sz"], ["z"], name="resize", mode="linear", axes=[2, 3],
                          keep_aspect_ratio_policy="not_larger"),
         helper.make_node("ReduceMean", ["x", "empty"], ["n"], name="noop", noop_with_empty_axes=1),
         helper.make_node("Relu", ["n"], ["nr"], name="relu")]
outs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in ["r", "s0", "s1", "s2", "p", "z", "nr"]]
g = helper.make_graph(nodes, "opset18", [x], outs, [
    init("ax", np.array([1, -1], np.int64)), init("pp", np.array([1, 2, 0, 1], np.int64)),
    init("pax", np.array([-1, 1], np.int64)), init("sz", np.array([10, 10], np.int64)),
    init("empty", np.zeros((0,), np.int64))])
save(helper.make_model(g), "opset18_forms.onnx", opset=18)
# ReduceMean-18 whose axes are a runtime input: no opset-17 form, refused naming the input.
xa = helper.make_tensor_value_info("axes", TensorProto.INT64, [1])
g = helper.make_graph([helper.make_node("ReduceMean", ["x", "axes"], ["y"], name="mean")], "runtime_axes", [x, xa],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "opset18_runtime_axes.onnx", opset=18)

# 22. Weight-only DequantizeLinear per axis, folded: the expected float weights from numpy.
wq = rng.integers(-128, 127, (4, 2, 3, 3), endpoint=True).astype(np.int8)
ws = rng.uniform(0.001, 0.01, 4).astype(np.float32)
wz = rng.integers(-4, 4, 4).astype(np.int8)
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 5])
nodes = [helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["w"], name="dq", axis=0),
         helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])]
g = helper.make_graph(nodes, "dq", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                      [init("wq", wq), init("ws", ws), init("wz", wz)])
save(helper.make_model(g), "dequantize_per_axis.onnx", opset=13)
save_tensor(((wq.astype(np.int32) - wz.astype(np.int32)[:, None, None, None]).astype(np.float32) *
             ws[:, None, None, None]).astype(np.float32), "dequantize_per_axis_expected_w")

# 23. int64/bool activations through the ops that take them (Equal, Where, Cast, Tile), and the
#     refusals: Relu-14 on int32, Pow with an int32 base, Expand to a runtime shape.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
idx = helper.make_tensor_value_info("idx", TensorProto.INT64, [2, 3])
nodes = [helper.make_node("Equal", ["idx", "three"], ["eq"], name="eq"),
         helper.make_node("Where", ["eq", "x", "zero"], ["w"], name="where"),
         helper.make_node("Cast", ["idx"], ["c"], name="cast", to=TensorProto.FLOAT),
         helper.make_node("Add", ["w", "c"], ["y"], name="add"),
         helper.make_node("Tile", ["idx", "reps"], ["t"], name="tile")]
g = helper.make_graph(nodes, "dtypes", [x, idx],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3]),
                       helper.make_tensor_value_info("eq", TensorProto.BOOL, [2, 3]),
                       helper.make_tensor_value_info("t", TensorProto.INT64, [2, 6])],
                      [init("three", np.array([3, 1, 4], np.int64)), init("zero", np.zeros((1,), np.float32)),
                       init("reps", np.array([1, 2], np.int64))])
save(helper.make_model(g), "element_types.onnx")
xi = helper.make_tensor_value_info("xi", TensorProto.INT32, [2, 3])
g = helper.make_graph([helper.make_node("Relu", ["xi"], ["y"], name="relu_i32")], "relu_i32", [xi],
                      [helper.make_tensor_value_info("y", TensorProto.INT32, [2, 3])])
save(helper.make_model(g), "relu_int32.onnx")
g = helper.make_graph([helper.make_node("Pow", ["xi", "xi"], ["y"], name="pow_i32")], "pow_i32", [xi],
                      [helper.make_tensor_value_info("y", TensorProto.INT32, [2, 3])])
save(helper.make_model(g), "pow_int32_base.onnx")
shp = helper.make_tensor_value_info("shp", TensorProto.INT64, [2])
g = helper.make_graph([helper.make_node("Expand", ["x", "shp"], ["y"], name="expand_dyn")], "expand_dyn", [x, shp],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
save(helper.make_model(g), "expand_runtime_shape.onnx")

# 24. Recurrent layers (rnn_import_test.cpp): activation names in any case with alpha/beta
#     consumed in order, a sequence_lens of full lengths (dropped), Y omitted; a partial
#     sequence_lens (kept, int32); a runtime sequence_lens and an Affine without alpha (refused).
def rnn_model(name, op, gates, attrs, seq=None, seq_runtime=False, outputs=("", "y_h", "y_c"), opset=14):
    t, b, i, h = 3, 2, 4, 5
    d = 2 if attrs.get("direction") == "bidirectional" else 1
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [t, b, i])]
    inits = [init("w", f32(d, gates * h, i)), init("r", f32(d, gates * h, h)), init("bias", f32(d, 2 * gates * h))]
    names = ["x", "w", "r", "bias"]
    if seq is not None:
        names.append("seq")
        if seq_runtime:
            inputs.append(helper.make_tensor_value_info("seq", TensorProto.INT32, [b]))
        else:
            inits.append(init("seq", np.array(seq, np.int32)))
    outs = [o for o in outputs if o]
    node = helper.make_node(op, names, list(outputs), name="rnn", hidden_size=h, **attrs)
    g = helper.make_graph([node], name, inputs, [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outs],
                          inits)
    save(helper.make_model(g), name + ".onnx", opset=opset)


rnn_model("lstm_attrs", "LSTM", 4, {"direction": "bidirectional",
                                    "activations": ["sigmoid", "TANH", "Tanh", "HardSigmoid", "Tanh", "LeakyRelu"],
                                    "activation_alpha": [0.3, 0.05], "activation_beta": [0.6], "clip": 3.0},
          seq=[3, 3])
rnn_model("lstm_seq_partial", "LSTM", 4, {"input_forget": 1}, seq=[3, 1], outputs=("y", "", "y_c"))
rnn_model("gru_seq_runtime", "GRU", 3, {"linear_before_reset": 1}, seq=[3, 1], seq_runtime=True,
          outputs=("y", "y_h"))
rnn_model("rnn_affine_no_alpha", "RNN", 1, {"activations": ["Affine"]}, outputs=("y", "y_h"))
rnn_model("rnn_opset7", "RNN", 1, {"direction": "reverse"}, outputs=("y", "y_h"), opset=7)

# 25. Einsum (einsum_import_test.cpp): attention-style equations at opset 12 whose output shapes
#     only our shape rule knows (onnx 1.12 infers the rank), one a graph output and one feeding a
#     Softmax; a weight contracted on its second dim (the transpose folds into the constant);
#     and the refusals: a diagonal and three operands.
q = helper.make_tensor_value_info("q", TensorProto.FLOAT, [1, 2, 5, 4])
k = helper.make_tensor_value_info("k", TensorProto.FLOAT, [1, 2, 6, 4])
v = helper.make_tensor_value_info("v", TensorProto.FLOAT, [1, 2, 6, 4])
nodes = [helper.make_node("Einsum", ["q", "k"], ["s"], name="scores", equation="bhqd,bhkd->bhqk"),
         helper.make_node("Softmax", ["s"], ["p"], name="softmax", axis=-1),
         helper.make_node("Einsum", ["p", "v"], ["o"], name="context", equation="bhqk, bhkd -> bhqd"),
         helper.make_node("Einsum", ["o", "wo"], ["y"], name="proj", equation="bhqd,ed->bhqe")]
g = helper.make_graph(nodes, "einsum_attention", [q, k, v], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
                                                            helper.make_tensor_value_info("s", TensorProto.FLOAT, None)],
                      [init("wo", f32(3, 4))])
save(helper.make_model(g), "einsum_attention.onnx", opset=12)
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 3])
g = helper.make_graph([helper.make_node("Einsum", ["x"], ["y"], name="diag", equation="bii->bi")], "einsum_diagonal",
                      [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
save(helper.make_model(g), "einsum_diagonal.onnx", opset=12)
a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])
g = helper.make_graph([helper.make_node("Einsum", ["a", "b", "c"], ["y"], name="chain", equation="ij,jk,kl->il")],
                      "einsum_three", [a], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                      [init("b", f32(3, 4)), init("c", f32(4, 5))])
save(helper.make_model(g), "einsum_three_operands.onnx", opset=12)

open(os.path.join(OUT, "not_onnx.onnx"), "w").write("this is not an ONNX model\n")
