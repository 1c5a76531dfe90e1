#!/usr/bin/python3
"""Builds the opset-sweep models: for every op TiGrIS claims (test/conformance/claimed_ops.txt),
small models at the op's oldest version in effect at opset 7 and at every later version up to 17
(taken from onnx's schema history), with the attributes whose defaults or meaning changed between
versions. Deterministic (weights and inputs seeded by the case name); needs Debian's python3-onnx.

Usage: /usr/bin/python3 gen_opset_models.py OUTDIR [--only REGEX]
Writes OUTDIR/<case>.onnx, OUTDIR/<case>.input_<k>.pb and OUTDIR/cases.tsv, one line per case:
  name  op  opset  threshold  expect  converts  compile_args
threshold 0 means bit-exact (data movement), expect is "match" or "reject:<text the error must
contain>", converts says whether onnx 1.12's version converter (its Python binding, which infers
shapes first) takes the file as it is to opset 17 (TiGrIS patches some of these failures, see
docs/frontend.md, and imports the rest at their own opset), compile_args are extra
`tigris compile` arguments (e.g. --input-shape for symbolic dims). OUTDIR/not_tested.tsv lists what is claimed but
not compared, with the reason (NOT_TESTED below). OUTDIR/<case>.oracle.onnx, when present, is what
onnxruntime runs instead of the case's model: the same function written with ops onnxruntime
implements (it does not run LSTM/GRU/RNN with layout=1, so those cases' oracle is the layout-0
node between Transposes).
"""
import os
import re
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, version_converter

TARGET_OPSET = 17
OLDEST_OPSET = 7
HERE = os.path.dirname(os.path.abspath(__file__))
CLAIMED = os.path.join(HERE, "..", "conformance", "claimed_ops.txt")
INT64_MAX = np.iinfo(np.int64).max

# What is claimed but not compared here, and why (data, printed by the driver).
NOT_TESTED = [
    ("LSTM/GRU/RNN", "opset 1-6 (GRU-3)", "older than the opset-7 floor; onnxruntime has no kernel before opset 7"),
    ("LSTM/GRU/RNN", "layout=1 directly in onnxruntime", "onnxruntime 1.30 refuses batch-major layout ('not "
     "supported'): those cases compare with the layout-0 node between Transposes; ONNX's own test_*_batchwise "
     "data checks layout 1 in the conformance test"),
    ("RNN", "a sequence_lens of 0, and activation alpha/beta defaults",
     "onnxruntime's RNN reads Y[-1] for an empty sequence and defaults every alpha/beta to 0 (ONNX: the "
     "operator's default); only cases where both agree are compared"),
    ("Pad", "opset 1", "Pad-1 (attribute 'paddings') exists only before opset 2, older than the opset-7 floor"),
    ("Upsample", "opset 10", "Upsample-10 is deprecated (no schema to build against); opset-10 models use Resize-10"),
    ("Conv", "auto_pad SAME_* with dilations > 1",
     "onnxruntime rejects it ('Dilation not supported for AutoPadType::SAME_UPPER or SAME_LOWER'): no oracle"),
    ("Resize", "align_corners with a fractional scale*in",
     "the ONNX reference uses length_resized = scale*in, onnxruntime the integer output length; TiGrIS's kernel "
     "follows ONNX (conformance test_resize_downsample_scales_linear_align_corners), so only integral products "
     "are compared here"),
]

# Cases that are expected to be rejected (kUnsupported), with the text the error must contain.
EXPECT = {
    # ORT's opset-10 nearest rounding is per axis (floor when upsampling, ceil when downsampling);
    # the IR has one nearest_mode per node.
    "Resize_v10_nearest_mixed": "reject:both up- and downsampling",
}


def versions(op):
    """The op's versions to test, as opsets: the one in effect at opset 7 and each later one."""
    since = sorted({s.since_version for s in onnx.defs.get_all_schemas_with_history()
                    if s.name == op and s.domain == "" and not s.deprecated})
    out = [OLDEST_OPSET] if since and since[0] <= OLDEST_OPSET else []
    out += [v for v in since if OLDEST_OPSET < v <= TARGET_OPSET]
    if len(out) == 1 and out[0] != TARGET_OPSET:
        out.append(TARGET_OPSET)  # nothing changed since: still check the unconverted newest opset
    return out


def ir_version(opset):
    """The IR version an exporter of that opset's onnx release wrote."""
    return max(ir for _, ir, op, *_ in helper.VERSION_TABLE if op <= opset)


class Builder:
    def __init__(self, out, only):
        self.out = out
        self.only = re.compile(only) if only else None
        self.rows = []
        self.names = set()

    def add(self, op, opset, variant, nodes, inputs, outputs, inits=None, exact=False, data=None, out_shapes=None,
            bind=None, oracle_nodes=None):
        """inputs: [(name, shape)], a shape may hold symbolic dims (strings) that `bind`
        ({input: concrete shape}) fixes for the data and for `tigris compile --input-shape`;
        outputs: names; inits: {name: array}; data: {name: array}; out_shapes: {output: shape}
        where onnx's inference cannot tell (an exporter would write it); oracle_nodes: the same function
        for onnxruntime when it cannot run `nodes` (same inputs, outputs and initializers)."""
        name = "%s_v%d_%s" % (op, opset, variant)
        assert name not in self.names, name
        self.names.add(name)
        if self.only and not self.only.search(name):
            return
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        inits = dict(inits or {})
        data = dict(data or {})
        for k, v in list(inits.items()):
            if callable(v):
                inits[k] = v(rng)
        vi_in = [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s)) for n, s in inputs]
        ir = ir_version(opset)
        init_protos = [numpy_helper.from_array(np.asarray(a), k) for k, a in inits.items()]
        if ir < 4:  # initializers were listed as graph inputs back then
            vi_in += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in init_protos]
        vi_out = [helper.make_tensor_value_info(o, TensorProto.FLOAT, (out_shapes or {}).get(o)) for o in outputs]
        for i, n in enumerate(nodes):
            if not n.name:
                n.name = "%s_%d" % (n.op_type.lower(), i)
        g = helper.make_graph(nodes, name, vi_in, vi_out, init_protos)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="tigris-opset-sweep")
        m.ir_version = ir
        # Exporters write output shapes (and IR < 4 requires them): take them from inference.
        inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
        known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        for o in m.graph.output:
            if o.name in known and known[o.name].type.tensor_type.HasField("shape"):
                o.type.CopyFrom(known[o.name].type)
        onnx.checker.check_model(m)
        try:
            version_converter.convert_version(m, TARGET_OPSET)
            converts = "yes"
        except Exception as e:  # noqa: BLE001 - any converter failure is data here
            converts = "no: " + str(e).strip().splitlines()[0][:100].replace("\t", " ")
        onnx.save(m, os.path.join(self.out, name + ".onnx"))
        if oracle_nodes is not None:
            og = helper.make_graph(oracle_nodes, name + "_oracle", vi_in, list(m.graph.output), init_protos)
            om = helper.make_model(og, opset_imports=[helper.make_opsetid("", opset)], producer_name="tigris-opset-sweep")
            om.ir_version = ir
            onnx.checker.check_model(om)
            onnx.save(om, os.path.join(self.out, name + ".oracle.onnx"))
        bind = bind or {}
        for k, (n, s) in enumerate(inputs):
            s = bind.get(n, s)
            arr = data[n] if n in data else rng.standard_normal(s).astype(np.float32)
            with open(os.path.join(self.out, "%s.input_%d.pb" % (name, k)), "wb") as f:
                f.write(numpy_helper.from_array(arr.astype(np.float32), n).SerializeToString())
        thr = "0" if exact else "1e-4"
        args = " ".join("--input-shape %s=%s" % (n, "x".join(map(str, s))) for n, s in sorted(bind.items()))
        self.rows.append("\t".join([name, op, str(opset), thr, EXPECT.get(name, "match"), converts, args]))


N = helper.make_node


def f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def i64(*v):
    return np.array(v, dtype=np.int64)


def fl(*v):
    return np.array(v, dtype=np.float32)


# ---- elementwise -------------------------------------------------------------------------------
def b_binary(B, op, v):
    away = (lambda rng, *s: (rng.uniform(0.5, 2.0, s) * rng.choice([-1, 1], s)).astype(np.float32))
    B.add(op, v, "bcast_const", [N(op, ["x", "c"], ["y"])], [("x", (1, 3, 4, 5))], ["y"],
          {"c": lambda rng: away(rng, 3, 1, 1)})
    B.add(op, v, "const_first", [N(op, ["c", "x"], ["y"])], [("x", (1, 3, 4, 5))], ["y"],
          {"c": lambda rng: away(rng, 5)})
    rng = np.random.default_rng(7)
    B.add(op, v, "two_inputs", [N(op, ["x", "z"], ["y"])], [("x", (1, 3, 4, 5)), ("z", (1, 1, 4, 5))], ["y"],
          data={"z": away(rng, 1, 1, 4, 5)})


def b_unary(B, op, v):
    B.add(op, v, "rank4", [N(op, ["x"], ["y"])], [("x", (1, 3, 4, 5))], ["y"], exact=op in ("Relu", "Neg"))


def b_leaky(B, op, v):
    B.add(op, v, "default_alpha", [N(op, ["x"], ["y"])], [("x", (1, 3, 4, 5))], ["y"])
    B.add(op, v, "alpha", [N(op, ["x"], ["y"], alpha=0.3)], [("x", (1, 3, 4, 5))], ["y"])


def b_hardsigmoid(B, op, v):
    data = {"x": np.linspace(-4, 4, 60, dtype=np.float32).reshape(1, 3, 4, 5)}
    B.add(op, v, "defaults", [N(op, ["x"], ["y"])], [("x", (1, 3, 4, 5))], ["y"], data=data)
    B.add(op, v, "alpha_beta", [N(op, ["x"], ["y"], alpha=0.5, beta=0.25)], [("x", (1, 3, 4, 5))], ["y"], data=data)


def b_clip(B, op, v):
    x = [("x", (1, 3, 4, 5))]
    if v < 11:
        B.add(op, v, "min_max", [N(op, ["x"], ["y"], min=-0.5, max=0.7)], x, ["y"], exact=True)
        B.add(op, v, "min_only", [N(op, ["x"], ["y"], min=0.0)], x, ["y"], exact=True)
        B.add(op, v, "max_only", [N(op, ["x"], ["y"], max=0.3)], x, ["y"], exact=True)
        B.add(op, v, "no_bounds", [N(op, ["x"], ["y"])], x, ["y"], exact=True)
    else:
        B.add(op, v, "min_max", [N(op, ["x", "lo", "hi"], ["y"])], x, ["y"], {"lo": fl(-0.5)[0], "hi": fl(0.7)[0]},
              exact=True)
        B.add(op, v, "min_only", [N(op, ["x", "lo"], ["y"])], x, ["y"], {"lo": np.array(0.0, np.float32)}, exact=True)
        B.add(op, v, "max_only", [N(op, ["x", "", "hi"], ["y"])], x, ["y"], {"hi": np.array(0.3, np.float32)},
              exact=True)
        B.add(op, v, "no_bounds", [N(op, ["x"], ["y"])], x, ["y"], exact=True)


def b_softmax(B, op, v):
    # Before opset 13 the input is coerced to 2-D at `axis` (default 1); from 13 it is one axis
    # (default -1). The same node means something else at each version.
    B.add(op, v, "rank4_default_axis", [N(op, ["x"], ["y"])], [("x", (1, 3, 4, 5))], ["y"])
    B.add(op, v, "rank4_axis2", [N(op, ["x"], ["y"], axis=2)], [("x", (1, 3, 4, 5))], ["y"])
    B.add(op, v, "rank3_axis0", [N(op, ["x"], ["y"], axis=0)], [("x", (2, 3, 4))], ["y"])
    B.add(op, v, "rank2_default_axis", [N(op, ["x"], ["y"])], [("x", (3, 7))], ["y"])
    B.add(op, v, "rank4_last_axis", [N(op, ["x"], ["y"], axis=3)], [("x", (1, 3, 4, 5))], ["y"])
    if v >= 11:
        B.add(op, v, "rank4_axis_neg2", [N(op, ["x"], ["y"], axis=-2)], [("x", (1, 3, 4, 5))], ["y"])
    # Symbolic dims (a dynamic-size segmentation head): the converter's Softmax 12->13 adapter
    # builds its Reshape from the shape it knows at conversion time.
    B.add(op, v, "symbolic_hw_axis1", [N(op, ["x"], ["y"], axis=1)], [("x", ("N", 3, "H", "W"))], ["y"],
          bind={"x": (1, 3, 4, 5)})
    # An input shape only constant folding knows: the converter cannot convert this Softmax.
    B.add(op, v, "after_computed_reshape", [N("Shape", ["x"], ["s"]), N("Relu", ["x"], ["r"]),
                                            N("Reshape", ["r", "s"], ["rs"]), N(op, ["rs"], ["y"], axis=1)],
          [("x", (2, 3, 4, 5))], ["y"], out_shapes={"y": [2, 3, 4, 5]})


# ---- matmul-like -------------------------------------------------------------------------------
def b_gemm(B, op, v):
    B.add(op, v, "default_c_vector", [N(op, ["a", "b", "c"], ["y"])], [("a", (3, 4))], ["y"],
          {"b": lambda r: f32(r, 4, 5), "c": lambda r: f32(r, 5)})
    B.add(op, v, "trans_alpha_beta", [N(op, ["a", "b", "c"], ["y"], transA=1, transB=1, alpha=0.5, beta=2.0)],
          [("a", (4, 3))], ["y"], {"b": lambda r: f32(r, 5, 4), "c": lambda r: f32(r, 3, 5)})
    B.add(op, v, "c_scalar", [N(op, ["a", "b", "c"], ["y"], beta=0.5)], [("a", (3, 4))], ["y"],
          {"b": lambda r: f32(r, 4, 5), "c": lambda r: f32(r, 1)})
    B.add(op, v, "c_column", [N(op, ["a", "b", "c"], ["y"])], [("a", (3, 4))], ["y"],
          {"b": lambda r: f32(r, 4, 5), "c": lambda r: f32(r, 3, 1)})
    if v >= 11:  # C optional since Gemm-11
        B.add(op, v, "no_c", [N(op, ["a", "b"], ["y"], transB=1)], [("a", (3, 4))], ["y"], {"b": lambda r: f32(r, 5, 4)})


def b_matmul(B, op, v):
    B.add(op, v, "2d_const", [N(op, ["a", "b"], ["y"])], [("a", (3, 4))], ["y"], {"b": lambda r: f32(r, 4, 5)})
    B.add(op, v, "batched_const", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4))], ["y"], {"b": lambda r: f32(r, 4, 5)})
    B.add(op, v, "two_inputs", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4)), ("b", (2, 4, 5))], ["y"])


# ---- conv / pool -------------------------------------------------------------------------------
def b_conv(B, op, v):
    w = lambda *s: (lambda r: f32(r, *s))  # noqa: E731
    x8 = [("x", (1, 2, 8, 8))]
    B.add(op, v, "explicit_pads", [N(op, ["x", "w", "b"], ["y"], pads=[0, 1, 1, 2])], x8, ["y"],
          {"w": w(3, 2, 3, 3), "b": w(3)})
    for ap in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        tag = ap.lower()
        B.add(op, v, tag + "_s2", [N(op, ["x", "w"], ["y"], auto_pad=ap, strides=[2, 2])], x8, ["y"],
              {"w": w(3, 2, 3, 3)})
        B.add(op, v, tag + "_k4", [N(op, ["x", "w"], ["y"], auto_pad=ap, kernel_shape=[4, 4])], x8, ["y"],
              {"w": w(3, 2, 4, 4)})
    B.add(op, v, "dilated_pads", [N(op, ["x", "w"], ["y"], dilations=[3, 2], pads=[2, 1, 0, 1])], x8, ["y"],
          {"w": w(3, 2, 2, 2)})
    B.add(op, v, "same_lower_s2_1d", [N(op, ["x", "w"], ["y"], auto_pad="SAME_LOWER", strides=[2])],
          [("x", (1, 2, 9))], ["y"], {"w": w(4, 2, 4)})
    B.add(op, v, "depthwise", [N(op, ["x", "w", "b"], ["y"], group=2, pads=[1, 1, 1, 1])], x8, ["y"],
          {"w": w(4, 1, 3, 3), "b": w(4)})


def b_convtranspose(B, op, v):
    w = lambda *s: (lambda r: f32(r, *s))  # noqa: E731
    x = [("x", (1, 2, 4, 5))]
    B.add(op, v, "s2_pads_outpad", [N(op, ["x", "w", "b"], ["y"], strides=[2, 2], pads=[1, 1, 1, 1],
                                      output_padding=[1, 0])], x, ["y"], {"w": w(2, 3, 3, 3), "b": w(3)})
    # output_shape: full size 9x11, so 0 and 1 (odd) padding elements to drop
    B.add(op, v, "output_shape_odd", [N(op, ["x", "w"], ["y"], strides=[2, 2], output_shape=[9, 10])], x, ["y"],
          {"w": w(2, 3, 3, 3)})
    B.add(op, v, "output_shape_even", [N(op, ["x", "w"], ["y"], strides=[2, 2], output_shape=[7, 9])], x, ["y"],
          {"w": w(2, 3, 3, 3)})
    for ap in ("SAME_UPPER", "SAME_LOWER"):
        B.add(op, v, "output_shape_odd_" + ap.lower(), [N(op, ["x", "w"], ["y"], strides=[2, 2], output_shape=[8, 10],
                                                          auto_pad=ap)], x, ["y"], {"w": w(2, 3, 3, 3)})
    B.add(op, v, "same_upper_odd", [N(op, ["x", "w"], ["y"], strides=[2, 2], auto_pad="SAME_UPPER")], x, ["y"],
          {"w": w(2, 3, 3, 3)})
    B.add(op, v, "same_lower_odd", [N(op, ["x", "w"], ["y"], strides=[2, 2], auto_pad="SAME_LOWER")], x, ["y"],
          {"w": w(2, 3, 3, 3)})
    B.add(op, v, "same_upper_even", [N(op, ["x", "w"], ["y"], strides=[2, 2], auto_pad="SAME_UPPER")], x, ["y"],
          {"w": w(2, 3, 4, 4)})
    B.add(op, v, "same_lower_even", [N(op, ["x", "w"], ["y"], strides=[2, 2], auto_pad="SAME_LOWER")], x, ["y"],
          {"w": w(2, 3, 4, 4)})
    B.add(op, v, "valid", [N(op, ["x", "w"], ["y"], strides=[2, 1], auto_pad="VALID")], x, ["y"],
          {"w": w(2, 3, 3, 3)})
    B.add(op, v, "group_dilated", [N(op, ["x", "w"], ["y"], group=2, dilations=[2, 2])], x, ["y"],
          {"w": w(2, 2, 3, 3)})


def b_maxpool(B, op, v):
    x7 = [("x", (1, 2, 7, 7))]
    B.add(op, v, "pads_s2", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])], x7, ["y"],
          exact=True)
    for ap in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        B.add(op, v, ap.lower(), [N(op, ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2], auto_pad=ap)], x7, ["y"],
              exact=True)
    B.add(op, v, "1d_same_lower_k4", [N(op, ["x"], ["y"], kernel_shape=[4], auto_pad="SAME_LOWER")],
          [("x", (1, 3, 9))], ["y"], exact=True)
    if v >= 10:  # ceil_mode and dilations since MaxPool-10
        x8 = [("x", (1, 2, 8, 8))]
        B.add(op, v, "ceil_mode", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)], x8, ["y"],
              exact=True)
        B.add(op, v, "ceil_mode_pads", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 1, 0],
                                          ceil_mode=1)], x8, ["y"], exact=True)
        B.add(op, v, "dilated", [N(op, ["x"], ["y"], kernel_shape=[2, 2], dilations=[2, 2])], x8, ["y"], exact=True)
        B.add(op, v, "floor_mode_explicit", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=0)],
              x8, ["y"], exact=True)


def b_avgpool(B, op, v):
    x7 = [("x", (1, 2, 7, 7))]
    B.add(op, v, "pads_exclude_default", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])],
          x7, ["y"])
    B.add(op, v, "pads_include", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                                    count_include_pad=1)], x7, ["y"])
    for ap in ("SAME_UPPER", "SAME_LOWER"):
        B.add(op, v, ap.lower(), [N(op, ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2], auto_pad=ap)], x7, ["y"])
        B.add(op, v, ap.lower() + "_include", [N(op, ["x"], ["y"], kernel_shape=[4, 4], auto_pad=ap,
                                                 count_include_pad=1)], x7, ["y"])
    B.add(op, v, "valid", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="VALID")], x7, ["y"])
    B.add(op, v, "1d_pads", [N(op, ["x"], ["y"], kernel_shape=[3], pads=[2, 1])], [("x", (1, 3, 9))], ["y"])
    if v >= 10:  # ceil_mode since AveragePool-10
        x8 = [("x", (1, 2, 8, 8))]
        B.add(op, v, "ceil_mode", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)], x8, ["y"])
        B.add(op, v, "ceil_mode_pads_include", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                                                  pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1)], x8, ["y"])
        B.add(op, v, "ceil_mode_pads_exclude", [N(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                                                  pads=[1, 1, 1, 1], ceil_mode=1)], x8, ["y"])


def b_global(B, op, v):
    exact = op == "GlobalMaxPool"
    B.add(op, v, "rank4", [N(op, ["x"], ["y"])], [("x", (1, 3, 5, 6))], ["y"], exact=exact)
    B.add(op, v, "rank3", [N(op, ["x"], ["y"])], [("x", (2, 3, 7))], ["y"], exact=exact)


def b_reducemean(B, op, v):
    x = [("x", (2, 3, 4, 5))]
    B.add(op, v, "axes_keepdims_default", [N(op, ["x"], ["y"], axes=[2, 3])], x, ["y"])
    B.add(op, v, "axis1_nokeep", [N(op, ["x"], ["y"], axes=[1], keepdims=0)], x, ["y"])
    B.add(op, v, "all_axes_default", [N(op, ["x"], ["y"])], x, ["y"])
    B.add(op, v, "all_axes_nokeep", [N(op, ["x"], ["y"], keepdims=0)], x, ["y"])
    if v >= 11:  # negative axes since ReduceMean-11
        B.add(op, v, "neg_axes", [N(op, ["x"], ["y"], axes=[-1, 1])], x, ["y"])


def b_batchnorm(B, op, v):
    def params(c):
        return {"s": lambda r: r.uniform(0.5, 1.5, c).astype(np.float32), "b": lambda r: f32(r, c),
                "m": lambda r: f32(r, c), "var": lambda r: r.uniform(0.2, 2.0, c).astype(np.float32)}
    ins = ["x", "s", "b", "m", "var"]
    B.add(op, v, "rank4_default_eps", [N(op, ins, ["y"])], [("x", (1, 3, 4, 5))], ["y"], params(3))
    B.add(op, v, "rank4_eps_momentum", [N(op, ins, ["y"], epsilon=1e-2, momentum=0.8)], [("x", (2, 3, 4, 5))], ["y"],
          params(3))
    B.add(op, v, "rank2", [N(op, ins, ["y"])], [("x", (4, 3))], ["y"], params(3))
    B.add(op, v, "rank3", [N(op, ins, ["y"], epsilon=1e-3)], [("x", (2, 3, 6))], ["y"], params(3))
    if v == 7:
        B.add(op, v, "spatial1", [N(op, ins, ["y"], spatial=1)], [("x", (1, 3, 4, 5))], ["y"], params(3))
        p0 = {k: (lambda f: (lambda r: np.broadcast_to(f(r)[:, None, None], (3, 4, 5)).copy()))(f)
              for k, f in params(3).items()}
        B.add(op, v, "spatial0", [N(op, ins, ["y"], spatial=0)], [("x", (1, 3, 4, 5))], ["y"], p0)
    if v >= 14:
        B.add(op, v, "training_mode0", [N(op, ins, ["y"], training_mode=0)], [("x", (1, 3, 4, 5))], ["y"], params(3))
    w = {"w": lambda r: f32(r, 3, 2, 3, 3)}
    w.update(params(3))
    B.add(op, v, "after_conv", [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]), N(op, ["c", "s", "b", "m", "var"], ["y"])],
          [("x", (1, 2, 5, 5))], ["y"], w)


# ---- data movement -----------------------------------------------------------------------------
def b_concat(B, op, v):
    B.add(op, v, "axis1_const", [N(op, ["x", "c", "z"], ["y"], axis=1)], [("x", (1, 2, 3, 4)), ("z", (1, 3, 3, 4))],
          ["y"], {"c": lambda r: f32(r, 1, 1, 3, 4)}, exact=True)
    B.add(op, v, "axis0", [N(op, ["x", "z"], ["y"], axis=0)], [("x", (1, 2, 3)), ("z", (2, 2, 3))], ["y"], exact=True)
    if v >= 11:
        B.add(op, v, "axis_neg1", [N(op, ["x", "z"], ["y"], axis=-1)], [("x", (1, 2, 3)), ("z", (1, 2, 4))], ["y"],
              exact=True)


def b_split(B, op, v):
    x = [("x", (4, 6))]
    B.add(op, v, "equal_default_axis", [N(op, ["x"], ["y0", "y1"])], x, ["y0", "y1"], exact=True)
    if v < 13:
        B.add(op, v, "sizes_axis1", [N(op, ["x"], ["y0", "y1"], axis=1, split=[2, 4])], x, ["y0", "y1"], exact=True)
    else:
        B.add(op, v, "sizes_axis1", [N(op, ["x", "sp"], ["y0", "y1"], axis=1)], x, ["y0", "y1"], {"sp": i64(2, 4)},
              exact=True)
    if v >= 11:
        B.add(op, v, "neg_axis_equal3", [N(op, ["x"], ["y0", "y1", "y2"], axis=-1)], x, ["y0", "y1", "y2"], exact=True)


def b_slice(B, op, v):
    x = [("x", (1, 4, 5, 6))]

    def sl(variant, starts, ends, axes=None, steps=None):
        if v < 10:
            kw = {"starts": starts, "ends": ends}
            if axes is not None:
                kw["axes"] = axes
            B.add(op, v, variant, [N(op, ["x"], ["y"], **kw)], x, ["y"], exact=True)
        else:
            ins, inits = ["x", "st", "en"], {"st": i64(*starts), "en": i64(*ends)}
            if axes is not None or steps is not None:
                ins.append("ax" if axes is not None else "")
                if axes is not None:
                    inits["ax"] = i64(*axes)
            if steps is not None:
                ins.append("sp")
                inits["sp"] = i64(*steps)
            B.add(op, v, variant, [N(op, ins, ["y"])], x, ["y"], inits, exact=True)

    sl("axes", [0, 1], [2, 1000], [1, 2])
    sl("no_axes", [0, 1], [1, 3])
    sl("neg_start_int64max_end", [-3], [INT64_MAX], [3])
    sl("neg_end", [1], [-1], [2])
    if v >= 10:
        sl("steps", [0, 5], [4, 0], [1, 3], [2, -2])
        sl("neg_step_to_start", [-1], [-1000], [2], [-1])
        sl("steps_no_axes", [0, 0, 0], [1, 4, 5], None, [1, 3, 2])
    if v >= 11:
        sl("neg_axes", [1], [4], [-1])


def b_transpose(B, op, v):
    B.add(op, v, "default_perm_rank4", [N(op, ["x"], ["y"])], [("x", (1, 2, 3, 4))], ["y"], exact=True)
    B.add(op, v, "default_perm_rank3", [N(op, ["x"], ["y"])], [("x", (2, 3, 4))], ["y"], exact=True)
    B.add(op, v, "nhwc", [N(op, ["x"], ["y"], perm=[0, 2, 3, 1])], [("x", (1, 2, 3, 4))], ["y"], exact=True)


def b_pad(B, op, v):
    x = [("x", (1, 2, 4, 5))]
    pads = [0, 0, 1, 2, 0, 0, 2, 1]
    if v < 11:
        B.add(op, v, "constant_value", [N(op, ["x"], ["y"], pads=pads, value=1.5)], x, ["y"], exact=True)
        B.add(op, v, "constant_default_value", [N(op, ["x"], ["y"], pads=pads)], x, ["y"], exact=True)
        B.add(op, v, "constant_mode_no_value", [N(op, ["x"], ["y"], mode="constant", pads=pads)], x, ["y"], exact=True)
        B.add(op, v, "reflect", [N(op, ["x"], ["y"], mode="reflect", pads=pads)], x, ["y"], exact=True)
        B.add(op, v, "edge", [N(op, ["x"], ["y"], mode="edge", pads=pads)], x, ["y"], exact=True)
        # onnx's Pad 10->11 adapter reads `value` unconditionally: without it the whole model
        # stays at its opset, including the (coerced 2-D) Softmax after the Pad.
        B.add(op, v, "no_value_then_softmax", [N(op, ["x"], ["p"], pads=pads), N("Softmax", ["p"], ["y"])], x, ["y"])
    else:
        B.add(op, v, "constant_value", [N(op, ["x", "p", "cv"], ["y"])], x, ["y"],
              {"p": i64(*pads), "cv": np.array(1.5, np.float32)}, exact=True)
        B.add(op, v, "constant_default_value", [N(op, ["x", "p"], ["y"])], x, ["y"], {"p": i64(*pads)}, exact=True)
        B.add(op, v, "reflect", [N(op, ["x", "p"], ["y"], mode="reflect")], x, ["y"], {"p": i64(*pads)}, exact=True)
        B.add(op, v, "edge", [N(op, ["x", "p"], ["y"], mode="edge")], x, ["y"], {"p": i64(*pads)}, exact=True)
        B.add(op, v, "negative_crop", [N(op, ["x", "p"], ["y"])], x, ["y"], {"p": i64(0, 0, -1, 1, 0, 0, 1, -2)},
              exact=True)


# Scales chosen so that half_pixel and asymmetric coordinates pick different nearest pixels
# (1.25 on 5 rows, 2.6 on 4 columns) and interpolate differently.
def b_resize(B, op, v):
    x = [("x", (1, 2, 5, 4))]

    def rs(variant, mode, scales=None, sizes=None, exact=None, **attrs):
        exact = (mode == "nearest") if exact is None else exact
        inits = {}
        if v == 10:
            ins = ["x", "sc"]
            inits["sc"] = fl(*scales)
        else:
            ins = ["x", "roi" if v == 11 else ""]
            if v == 11:
                inits["roi"] = np.zeros((0,), np.float32)
            if scales is not None:
                ins.append("sc")
                inits["sc"] = fl(*scales)
            else:
                ins += ["" if v >= 13 else "sc", "sz"]
                if v < 13:
                    inits["sc"] = np.zeros((0,), np.float32)
                inits["sz"] = i64(*sizes)
        B.add(op, v, variant, [N(op, ins, ["r"], mode=mode, **attrs), N("Relu", ["r"], ["y"])], x, ["y"], inits,
              exact=exact)

    rs("nearest_up_frac", "nearest", [1, 1, 1.25, 2.6])
    rs("nearest_up_2x", "nearest", [1, 1, 2, 2])
    rs("linear_up_frac", "linear", [1, 1, 2.5, 1.5])
    rs("linear_up_2x", "linear", [1, 1, 2, 2])
    rs("linear_down", "linear", [1, 1, 0.6, 0.75])
    rs("nearest_down", "nearest", [1, 1, 0.6, 0.5])
    if v == 10:
        rs("nearest_mixed", "nearest", [1, 1, 0.6, 2.6])
        return
    rs("nearest_asymmetric_floor", "nearest", [1, 1, 1.25, 2.6], coordinate_transformation_mode="asymmetric",
       nearest_mode="floor")
    rs("nearest_align_corners_ceil", "nearest", [1, 1, 1.2, 2.5], coordinate_transformation_mode="align_corners",
       nearest_mode="ceil")
    rs("nearest_round_prefer_ceil", "nearest", [1, 1, 1.25, 2.6], nearest_mode="round_prefer_ceil")
    rs("nearest_tf_half_pixel_for_nn", "nearest", [1, 1, 1.25, 2.6],
       coordinate_transformation_mode="tf_half_pixel_for_nn")
    rs("linear_asymmetric", "linear", [1, 1, 2.5, 1.5], coordinate_transformation_mode="asymmetric")
    rs("linear_align_corners", "linear", [1, 1, 2, 1.5], coordinate_transformation_mode="align_corners")
    rs("linear_pytorch_half_pixel", "linear", [1, 1, 2.5, 1.5], coordinate_transformation_mode="pytorch_half_pixel")
    rs("cubic_default", "cubic", [1, 1, 2, 1.5])
    rs("cubic_a05_exclude_outside", "cubic", [1, 1, 2, 1.5], cubic_coeff_a=-0.5, exclude_outside=1)
    rs("sizes_linear", "linear", sizes=[1, 2, 7, 9])
    rs("sizes_nearest", "nearest", sizes=[1, 2, 3, 9])


def b_upsample(B, op, v):
    x = [("x", (1, 2, 5, 4))]

    def up(variant, mode, scales, as_output=False, chain=False):
        ins, inits, attrs = ["x"], {}, {"mode": mode}
        if v < 9:
            attrs["scales"] = [float(s) for s in scales]
        else:
            ins.append("sc")
            inits["sc"] = fl(*scales)
        nodes = [N(op, ins, ["u"], name="up", **attrs)]
        out = "u"
        if chain:  # a second Upsample on the first one's (renamed) output
            nodes += [N("Relu", ["u"], ["r"], name="relu0"),
                      N(op, ["r"] + ins[1:], ["u2"], name="up2", **dict(attrs, mode="nearest"))]
            out = "u2"
        if not as_output:
            nodes.append(N("Relu", [out], ["y"], name="relu"))
            out = "y"
        B.add(op, v, variant, nodes, x, [out], inits, exact=(mode == "nearest"))

    up("nearest_2x", "nearest", [1, 1, 2, 2])
    up("nearest_frac", "nearest", [1, 1, 1.25, 2.6])
    up("linear_2x", "linear", [1, 1, 2, 2])
    up("linear_frac", "linear", [1, 1, 2.5, 1.5])
    up("linear_frac_graph_output", "linear", [1, 1, 2.5, 1.5], as_output=True)
    up("linear_chain", "linear", [1, 1, 2, 1.5], chain=True)


def b_reshape(B, op, v):
    x = [("x", (2, 3, 4))]
    B.add(op, v, "zero_and_minus1", [N("Relu", ["x"], ["r"]), N(op, ["r", "s"], ["y"])], x, ["y"], {"s": i64(0, -1)},
          exact=True)
    B.add(op, v, "explicit", [N("Relu", ["x"], ["r"]), N(op, ["r", "s"], ["y"])], x, ["y"], {"s": i64(4, 6)},
          exact=True)
    if v >= 14:
        B.add(op, v, "allowzero1", [N("Relu", ["x"], ["r"]), N(op, ["r", "s"], ["y"], allowzero=1)], x, ["y"],
              {"s": i64(4, 3, 2)}, exact=True)


def b_flatten(B, op, v):
    x = [("x", (2, 3, 4, 5))]
    B.add(op, v, "default_axis", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["y"])], x, ["y"], exact=True)
    B.add(op, v, "axis0", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["y"], axis=0)], x, ["y"], exact=True)
    B.add(op, v, "axis3", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["y"], axis=3)], x, ["y"], exact=True)
    if v >= 11:
        B.add(op, v, "axis_neg2", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["y"], axis=-2)], x, ["y"], exact=True)


def b_squeeze(B, op, v):
    unsq = op == "Unsqueeze"
    x = [("x", (3, 5))] if unsq else [("x", (1, 3, 1, 5))]

    def sq(variant, axes, out_shape=None):
        nodes = [N("Relu", ["x"], ["r"])]
        inits = {}
        if axes is None:
            nodes.append(N(op, ["r"], ["y"]))
        elif v < 13:
            nodes.append(N(op, ["r"], ["y"], axes=axes))
        else:
            nodes.append(N(op, ["r", "ax"], ["y"]))
            inits["ax"] = i64(*axes)
        B.add(op, v, variant, nodes, x, ["y"], inits, exact=True, out_shapes={"y": out_shape} if out_shape else None)

    if unsq:
        sq("axes", [0, 3])
        sq("unsorted_axes", [3, 0])
        if v >= 11:
            sq("neg_axes", [-1])
    else:
        sq("axes", [0, 2])
        sq("no_axes", None, [3, 5])  # onnx 1.12 does not infer Squeeze-1 without axes
        if v >= 11:
            sq("neg_axes", [-2])


def b_identity(B, op, v):
    B.add(op, v, "after_relu", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["y"])], [("x", (1, 3, 4))], ["y"], exact=True)
    B.add(op, v, "input_to_output", [N(op, ["x"], ["y"])], [("x", (1, 3, 4))], ["y"], exact=True)
    B.add(op, v, "mid_graph", [N(op, ["x"], ["i"]), N("Relu", ["i"], ["y"])], [("x", (1, 3, 4))], ["y"], exact=True)


def b_dropout(B, op, v):
    x = [("x", (1, 3, 4))]
    if v < 12:
        B.add(op, v, "ratio_attr", [N(op, ["x"], ["d"], ratio=0.3), N("Relu", ["d"], ["y"])], x, ["y"], exact=True)
    else:
        B.add(op, v, "ratio_input", [N(op, ["x", "ratio"], ["d"]), N("Relu", ["d"], ["y"])], x, ["y"],
              {"ratio": np.array(0.3, np.float32)}, exact=True)
        B.add(op, v, "training_false", [N(op, ["x", "ratio", "t"], ["d"]), N("Relu", ["d"], ["y"])], x, ["y"],
              {"ratio": np.array(0.3, np.float32), "t": np.array(False)}, exact=True)
    B.add(op, v, "default_ratio", [N(op, ["x"], ["d"]), N("Relu", ["d"], ["y"])], x, ["y"], exact=True)


def b_constant(B, op, v):
    val = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(3, 4) / 8, "cv")
    B.add(op, v, "tensor_value", [N(op, [], ["c"], value=val), N("Add", ["x", "c"], ["y"])], [("x", (2, 3, 4))], ["y"])
    if v >= 12:
        B.add(op, v, "value_float", [N(op, [], ["c"], value_float=0.25), N("Mul", ["x", "c"], ["y"])],
              [("x", (2, 3, 4))], ["y"])
        B.add(op, v, "value_floats", [N(op, [], ["c"], value_floats=[1.0, -2.0, 0.5, 3.0]), N("Mul", ["x", "c"], ["y"])],
              [("x", (2, 3, 4))], ["y"])


def b_shape(B, op, v):
    x = [("x", (2, 3, 4, 5))]
    B.add(op, v, "reshape_to_own_shape", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["s"]), N("Reshape", ["r", "s"], ["y"])],
          x, ["y"], exact=True, out_shapes={"y": [2, 3, 4, 5]})
    if v >= 15:  # start/end since Shape-15
        B.add(op, v, "start_end", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["s"], start=2),
                                   N("Concat", ["m1", "s"], ["ns"], axis=0), N("Reshape", ["r", "ns"], ["y"])],
              x, ["y"], {"m1": i64(-1)}, exact=True, out_shapes={"y": [6, 4, 5]})
        B.add(op, v, "negative_end", [N("Relu", ["x"], ["r"]), N(op, ["r"], ["s"], end=-2),
                                      N("Concat", ["s", "m1"], ["ns"], axis=0), N("Reshape", ["r", "ns"], ["y"])],
              x, ["y"], {"m1": i64(-1)}, exact=True, out_shapes={"y": [2, 3, 20]})


# ---- recurrent layers -------------------------------------------------------------------------
def _rnn_weights(gates, dirs, inp, hidden):
    return {"W": lambda r: (0.5 * f32(r, dirs, gates * hidden, inp)).astype(np.float32),
            "R": lambda r: (0.5 * f32(r, dirs, gates * hidden, hidden)).astype(np.float32),
            "B": lambda r: (0.3 * f32(r, dirs, 2 * gates * hidden)).astype(np.float32)}


def _rnn_case(B, op, v, variant, attrs, t=5, b=2, inp=3, hidden=4, bias=True, seq=None, states=(), peephole=False,
              outputs=("Y", "Y_h", "Y_c"), layout=0):
    """One LSTM/GRU/RNN node: X (and the initial states in `states`) runtime inputs, W/R/B/P and
    sequence_lens initializers. layout 1: the oracle is the layout-0 node between Transposes."""
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
    dirs = 2 if attrs.get("direction") == "bidirectional" else 1
    if op != "LSTM":
        outputs = tuple(o for o in outputs if o != "Y_c")
    inits = _rnn_weights(gates, dirs, inp, hidden)
    if not bias:
        del inits["B"]
    names = ["X", "W", "R", "B" if bias else ""]
    if seq is not None:
        inits["seq"] = np.array(seq, np.int32)
    names.append("seq" if seq is not None else "")
    state = (b, dirs, hidden) if layout else (dirs, b, hidden)
    inputs = [("X", (b, t, inp) if layout else (t, b, inp))]
    for s in ("initial_h", "initial_c"):
        if s == "initial_c" and op != "LSTM":
            break
        names.append(s if s in states else "")
        if s in states:
            inputs.append((s, state))
    if peephole:
        inits["P"] = lambda r: (0.5 * f32(r, dirs, 3 * hidden)).astype(np.float32)
        names.append("P")
    while names and not names[-1]:
        names.pop()
    outs = [o if o in outputs else "" for o in ("Y", "Y_h", "Y_c")[:3 if op == "LSTM" else 2]]
    while outs and not outs[-1]:
        outs.pop()
    node = N(op, names, outs, hidden_size=hidden, **attrs)
    oracle = None
    if layout:
        node = N(op, names, outs, hidden_size=hidden, layout=1, **attrs)
        tn = [N("Transpose", ["X"], ["X_tb"], perm=[1, 0, 2])]
        onames = ["X_tb"] + names[1:]
        for s in ("initial_h", "initial_c"):
            if s in states:
                tn.append(N("Transpose", [s], [s + "_tb"], perm=[1, 0, 2]))
                onames[names.index(s)] = s + "_tb"
        oouts = [o + "_tb" if o else "" for o in outs]
        tn.append(N(op, onames, oouts, hidden_size=hidden, **attrs))
        for o in outs:
            if o:
                tn.append(N("Transpose", [o + "_tb"], [o], perm=[2, 0, 1, 3] if o == "Y" else [1, 0, 2]))
        oracle = tn
    B.add(op, v, variant, [node], inputs, [o for o in outs if o], inits, oracle_nodes=oracle)


def b_lstm(B, op, v):
    _rnn_case(B, op, v, "defaults_all_outputs", {})
    _rnn_case(B, op, v, "no_bias_y_h_only", {}, bias=False, outputs=("Y_h",))
    _rnn_case(B, op, v, "bidirectional_states_peepholes", {"direction": "bidirectional"},
              states=("initial_h", "initial_c"), peephole=True)
    _rnn_case(B, op, v, "reverse_sequence_lens", {"direction": "reverse"}, seq=[5, 3], states=("initial_h",))
    _rnn_case(B, op, v, "bidirectional_sequence_lens_with_empty", {"direction": "bidirectional"}, seq=[2, 0],
              outputs=("Y", "Y_c"))
    _rnn_case(B, op, v, "clip_input_forget_activations",
              {"clip": 0.7, "input_forget": 1, "activations": ["HardSigmoid", "Tanh", "Softsign"],
               "activation_alpha": [0.3], "activation_beta": [0.55]})
    _rnn_case(B, op, v, "bidirectional_activations",
              {"direction": "bidirectional",
               "activations": ["Sigmoid", "Relu", "Tanh", "Sigmoid", "LeakyRelu", "Elu"],
               "activation_alpha": [0.2, 0.9]})
    if v >= 14:
        _rnn_case(B, op, v, "layout1_bidirectional", {"direction": "bidirectional"}, states=("initial_h", "initial_c"),
                  layout=1)


def b_gru(B, op, v):
    _rnn_case(B, op, v, "defaults_all_outputs", {})
    _rnn_case(B, op, v, "linear_before_reset", {"linear_before_reset": 1}, states=("initial_h",))
    _rnn_case(B, op, v, "bidirectional_sequence_lens", {"direction": "bidirectional"}, seq=[5, 2],
              states=("initial_h",))
    _rnn_case(B, op, v, "reverse_lbr_empty_sequence", {"direction": "reverse", "linear_before_reset": 1},
              seq=[0, 4], outputs=("Y_h",))
    _rnn_case(B, op, v, "clip_activations", {"clip": 0.9, "activations": ["HardSigmoid", "Softplus"],
                                             "activation_alpha": [0.25], "activation_beta": [0.45]}, bias=False)
    if v >= 14:
        _rnn_case(B, op, v, "layout1_lbr", {"linear_before_reset": 1}, states=("initial_h",), seq=[3, 5], layout=1)


def b_rnn(B, op, v):
    _rnn_case(B, op, v, "defaults_all_outputs", {})
    _rnn_case(B, op, v, "bidirectional_sequence_lens", {"direction": "bidirectional"}, seq=[4, 5],
              states=("initial_h",))
    _rnn_case(B, op, v, "reverse_relu_clip", {"direction": "reverse", "activations": ["Relu"], "clip": 1.2},
              outputs=("Y_h",))
    _rnn_case(B, op, v, "leakyrelu_alpha", {"activations": ["LeakyRelu"], "activation_alpha": [0.15]}, bias=False)
    if v >= 14:
        _rnn_case(B, op, v, "layout1_bidirectional", {"direction": "bidirectional"}, states=("initial_h",), layout=1)


BUILDERS = {
    "Conv": b_conv, "ConvTranspose": b_convtranspose, "Gemm": b_gemm, "MatMul": b_matmul,
    "Add": b_binary, "Sub": b_binary, "Mul": b_binary, "Div": b_binary,
    "Relu": b_unary, "Sigmoid": b_unary, "HardSwish": b_unary, "Tanh": b_unary, "Exp": b_unary, "Neg": b_unary,
    "Clip": b_clip, "LeakyRelu": b_leaky, "HardSigmoid": b_hardsigmoid, "Softmax": b_softmax,
    "MaxPool": b_maxpool, "AveragePool": b_avgpool, "GlobalAveragePool": b_global, "GlobalMaxPool": b_global,
    "ReduceMean": b_reducemean, "Concat": b_concat, "Split": b_split, "Slice": b_slice, "Transpose": b_transpose,
    "Pad": b_pad, "Resize": b_resize, "Upsample": b_upsample, "Reshape": b_reshape, "Flatten": b_flatten,
    "Squeeze": b_squeeze, "Unsqueeze": b_squeeze, "BatchNormalization": b_batchnorm, "Identity": b_identity,
    "Dropout": b_dropout, "Constant": b_constant, "Shape": b_shape,
    "LSTM": b_lstm, "GRU": b_gru, "RNN": b_rnn,
}


def claimed_ops():
    ops = []
    with open(CLAIMED) as f:
        for line in f:
            line = line.split("#")[0].split()
            if line:
                ops.append(line[0])
    return ops


def main(argv):
    if not argv or argv[0].startswith("-"):
        raise SystemExit(__doc__)
    out = argv[0]
    only = argv[2] if len(argv) > 2 and argv[1] == "--only" else None
    os.makedirs(out, exist_ok=True)
    B = Builder(out, only)
    ops = claimed_ops()
    missing = [op for op in ops if op not in BUILDERS]
    if missing:
        raise SystemExit("gen_opset_models: no builder for claimed op(s) %s" % ", ".join(missing))
    for op in ops:
        for v in versions(op):
            BUILDERS[op](B, op, v)
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        f.write("# name\top\topset\tthreshold\texpect\tconverts\tcompile_args\n")
        f.write("\n".join(B.rows) + "\n")
    with open(os.path.join(out, "not_tested.tsv"), "w") as f:
        for op, what, why in NOT_TESTED:
            f.write("%s\t%s\t%s\n" % (op, what, why))
    print("gen_opset_models: %d cases in %s" % (len(B.rows), out))


if __name__ == "__main__":
    main(sys.argv[1:])
