#!/usr/bin/python3
"""Builds the opset-sweep models: for every op TiGrIS claims (test/conformance/claimed_ops.txt),
small models at the op's oldest version in effect at opset 7 and at every later version up to 21
(onnx 1.12's schema history up to 17, NEWER_VERSIONS for 18..21), and in an opset-21 model for
ops unchanged since, with the attributes whose defaults or meaning changed between versions;
then real-model-shaped cases (MODELS: an IR-3 MNIST, ConstantOfShape weights, initializers that
are also graph inputs, weight-only DequantizeLinear, one model per opset 18..21 using the ops
that changed there). Deterministic (weights and inputs seeded by the case name); needs Debian's
python3-onnx.

Usage: /usr/bin/python3 gen_opset_models.py OUTDIR [--only REGEX]
Writes OUTDIR/<case>.onnx, OUTDIR/<case>.input_<k>.pb and OUTDIR/cases.tsv, one line per case:
  name  op  opset  threshold  expect  converts  compile_args
threshold 0 means bit-exact (data movement), "lsb1" integer outputs within 1 step (quantized
outputs of the QOperator ops), expect is "match" or "reject:<text the error must
contain>", converts says whether onnx 1.12's version converter (its Python binding, which infers
shapes first) takes the file as it is to opset 17 (TiGrIS patches some of these failures, see
docs/frontend.md, and imports the rest at their own opset; "n/a" above 17, where TiGrIS's own
normalization replaces it), compile_args are extra `tigris compile` arguments (e.g.
--input-shape for symbolic dims). OUTDIR/not_tested.tsv lists what is claimed but not compared,
with the reason (NOT_TESTED below). OUTDIR/<case>.oracle.onnx, when present, is what
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
from onnx import TensorProto, helper, mapping, numpy_helper, version_converter

TARGET_OPSET = 17   # what onnx 1.12 knows and converts to
NEWEST_OPSET = 21   # what TiGrIS imports (and onnxruntime 1.30 runs)
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
    ("Pow", "integer base", "Pow with an int32/int64 base is rejected (kUnsupported); float bases with float, "
     "int32 and int64 exponents are compared"),
    ("TopK", "sorted=0", "onnxruntime returns an implementation-defined order; TiGrIS always returns sorted output "
     "(a valid answer), so only sorted=1 is compared"),
    ("ReduceLogSumExp", "conformance", "ONNX 1.12's node tests of ReduceLogSumExp use float64 data (out of scope); "
     "the sweep compares it with onnxruntime, including inputs whose exp() overflows float32 without a shift"),
    ("Einsum", "conformance", "ONNX 1.12's node tests of Einsum use float64 data (out of scope); the sweep "
     "compares the matmul-like equations (batched, ellipsis, transposed operands, inner/outer products, "
     "sums, attention) with onnxruntime"),
    ("Einsum", "uppercase letters with an implicit output",
     "onnxruntime 1.30 rejects them ('only lower-cased and upper-cased letters allowed'); TiGrIS sorts the "
     "output letters in character order as numpy (ONNX's reference) does"),
    ("Resize", "align_corners with a fractional scale*in",
     "the ONNX reference uses length_resized = scale*in, onnxruntime the integer output length; TiGrIS's kernel "
     "follows ONNX (conformance test_resize_downsample_scales_linear_align_corners), so only integral products "
     "are compared here"),
    ("Resize", "antialias=1 with mode nearest (opset 18)",
     "onnxruntime refuses it ('only supports mode LINEAR and CUBIC'); TiGrIS follows ONNX: no effect"),
    ("AveragePool", "dilations > 1 with auto_pad SAME_* (opset 19)",
     "refused: onnxruntime sizes the SAME padding with the undilated kernel, ONNX with the dilated one"),
    ("Split", "num_outputs leaving the last chunk empty (opset 18)",
     "an invalid model: onnxruntime fails too ('Split size exceeds the remaining size'); TiGrIS refuses it"),
]

# Cases that are expected to be rejected (kUnsupported), with the text the error must contain:
# (regex on the case name, expectation).
EXPECT = [
    # ORT's opset-10 nearest rounding is per axis (floor when upsampling, ceil when downsampling);
    # the IR has one nearest_mode per node.
    (r"^Resize_v10_nearest_mixed$", "reject:both up- and downsampling"),
    # Antialiased downsampling (opset 18) widens the filter: the kernel has no such mode.
    (r"^Resize_v\d+_antialias_down", "reject:antialias=1 is supported only where no axis is downsampled"),
    # half_pixel_symmetric (opset 19) shifts the coordinates unless out == scale * in.
    (r"^Resize_v\d+_half_pixel_symmetric_frac", "reject:half_pixel_symmetric"),
    # An int64 tensor into an op that computes float32 only.
    (r"^Model_v\d+_int64_into_relu", "reject:Relu takes float32 here"),
    (r"^Model_v\d+_float64_input", "reject:element type float64"),
    # Einsum: a diagonal and more than two operands have no lowering.
    (r"^Einsum_v\d+_diagonal$", "reject:(a diagonal), which is not supported"),
    (r"^Einsum_v\d+_three_operands$", "reject:3 operands are not supported"),
]


def expectation(name):
    for pattern, expect in EXPECT:
        if re.search(pattern, name):
            return expect
    return "match"


# Versions of the claimed ops introduced at opsets 18..21 (ONNX's Changelog.md; onnx 1.12 has
# no schemas for them). The ops not listed did not change there.
NEWER_VERSIONS = {
    "ReduceMean": [18], "Split": [18], "Pad": [18, 19, 21], "Resize": [18, 19], "AveragePool": [19],
    "Transpose": [21], "Reshape": [19, 21], "Flatten": [21], "Squeeze": [21], "Unsqueeze": [21],
    "Identity": [19, 21], "Constant": [19, 21], "Shape": [19, 21], "DequantizeLinear": [19, 21],
    "QuantizeLinear": [19, 21], "QLinearMatMul": [21],
    "Gelu": [20], "Mish": [18], "Cast": [19, 21], "Equal": [19],  # new in / changed by 18..21
    "GroupNormalization": [18, 21], "ReduceMax": [18, 20], "ReduceMin": [18, 20], "ReduceProd": [18],
    "ReduceL1": [18], "ReduceL2": [18], "ReduceLogSum": [18], "ReduceLogSumExp": [18], "ReduceSumSquare": [18],
}

# The IR version each opset's onnx release wrote (helper.VERSION_TABLE stops at opset 17).
NEWER_IR = {18: 8, 19: 9, 20: 9, 21: 10}


def versions(op):
    """The op's versions to test, as opsets: the one in effect at opset 7, each later one up to
    21, and opset 21 itself for an op unchanged since its last version."""
    schemas = [s for s in onnx.defs.get_all_schemas_with_history() if s.name == op and s.domain == ""]
    since = sorted({s.since_version for s in schemas if not s.deprecated})
    out = [OLDEST_OPSET] if since and since[0] <= OLDEST_OPSET else []
    out += [v for v in since if OLDEST_OPSET < v <= TARGET_OPSET]
    if len(out) == 1 and out[0] != TARGET_OPSET:
        out.append(TARGET_OPSET)  # nothing changed since: still check the unconverted newest opset
    out += NEWER_VERSIONS.get(op, [])
    if not out:
        return out
    if out[-1] != NEWEST_OPSET and not any(s.deprecated for s in schemas):
        out.append(NEWEST_OPSET)  # the op's newest version, in a model of the newest opset
    return out


def ir_version(opset):
    """The IR version an exporter of that opset's onnx release wrote."""
    if opset in NEWER_IR:
        return NEWER_IR[opset]
    return max(ir for _, ir, op, *_ in helper.VERSION_TABLE if op <= opset)


class Builder:
    def __init__(self, out, only):
        self.out = out
        self.only = re.compile(only) if only else None
        self.rows = []
        self.names = set()

    def add(self, op, opset, variant, nodes, inputs, outputs, inits=None, exact=False, data=None, out_shapes=None,
            bind=None, inits_as_inputs=None, out_types=None, types=None,
            oracle_nodes=None, threshold=None):
        """inputs: [(name, shape)], a shape may hold symbolic dims (strings) that `bind`
        ({input: concrete shape}) fixes for the data and for `tigris compile --input-shape`;
        outputs: names; inits: {name: array}; data: {name: array} (its dtype is the input's);
        out_shapes: {output: shape} where onnx's inference cannot tell (an exporter would write
        it); out_types: {output: TensorProto type} for non-float outputs; inits_as_inputs: also
        list every initializer as a graph input, with its shape ("fixed"), symbolic dims
        ("symbolic") or no shape ("none"); IR < 4 models always list them (fixed); types: {input or
        output: TensorProto element type} (indices) where neither data nor out_types says;
        oracle_nodes: the same function for onnxruntime when it cannot run `nodes` (same inputs,
        outputs and initializers)."""
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
        types = types or {}
        out_types = dict(types, **(out_types or {}))
        def elem(n):
            if n in types:
                return types[n]
            return mapping.NP_TYPE_TO_TENSOR_TYPE[np.asarray(data[n]).dtype] if n in data else TensorProto.FLOAT
        vi_in = [helper.make_tensor_value_info(n, elem(n), list(s)) for n, s in inputs]
        ir = ir_version(opset)
        init_protos = [numpy_helper.from_array(np.asarray(a), k) for k, a in inits.items()]
        if ir < 4 and not inits_as_inputs:  # initializers were listed as graph inputs back then
            inits_as_inputs = "fixed"
        for t in init_protos if inits_as_inputs else []:
            dims = {"fixed": list(t.dims), "symbolic": ["%s_d%d" % (t.name, k) for k in range(len(t.dims))],
                    "none": None}[inits_as_inputs]
            vi_in.append(helper.make_tensor_value_info(t.name, t.data_type, dims))
        vi_out = [helper.make_tensor_value_info(o, (out_types or {}).get(o, TensorProto.FLOAT), (out_shapes or {}).get(o))
                  for o in outputs]
        for i, n in enumerate(nodes):
            if not n.name:
                n.name = "%s_%d" % (n.op_type.lower(), i)
        g = helper.make_graph(nodes, name, vi_in, vi_out, init_protos)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="tigris-opset-sweep")
        m.ir_version = ir
        if opset <= TARGET_OPSET:
            # Exporters write output shapes (and IR < 4 requires them): take them from inference.
            inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
            known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
            for o in m.graph.output:
                if o.name in known and known[o.name].type.tensor_type.HasField("shape"):
                    o.type.CopyFrom(known[o.name].type)
            if inits_as_inputs != "none":  # the checker wants a shape on every graph input
                onnx.checker.check_model(m)
            try:
                version_converter.convert_version(m, TARGET_OPSET)
                converts = "yes"
            except Exception as e:  # noqa: BLE001 - any converter failure is data here
                converts = "no: " + str(e).strip().splitlines()[0][:100].replace("\t", " ")
        else:
            # onnx 1.12 knows neither the schemas nor a conversion: onnxruntime is the check.
            converts = "n/a"
        onnx.save(m, os.path.join(self.out, name + ".onnx"))
        if oracle_nodes is not None:
            og = helper.make_graph(oracle_nodes, name + "_oracle", vi_in, list(m.graph.output), init_protos)
            om = helper.make_model(og, opset_imports=[helper.make_opsetid("", opset)], producer_name="tigris-opset-sweep")
            om.ir_version = ir
            if opset <= TARGET_OPSET:  # onnx 1.12's checker stops at 17
                onnx.checker.check_model(om)
            onnx.save(om, os.path.join(self.out, name + ".oracle.onnx"))
        bind = bind or {}
        for k, (n, s) in enumerate(inputs):
            s = bind.get(n, s)
            arr = np.asarray(data[n]) if n in data else rng.standard_normal(s).astype(np.float32)
            if n in types:
                arr = arr.astype(mapping.TENSOR_TYPE_TO_NP_TYPE[types[n]])
            with open(os.path.join(self.out, "%s.input_%d.pb" % (name, k)), "wb") as f:
                f.write(numpy_helper.from_array(arr, n).SerializeToString())
        thr = threshold or ("0" if exact else "1e-4")
        args = " ".join("--input-shape %s=%s" % (n, "x".join(map(str, s))) for n, s in sorted(bind.items()))
        self.rows.append("\t".join([name, op, str(opset), thr, expectation(name), converts, args]))


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
    # numpy semantics: 1-D operands (promoted, then the added dim dropped), broadcast batch dims
    B.add(op, v, "vec_mat", [N(op, ["a", "b"], ["y"])], [("a", (4,))], ["y"], {"b": lambda r: f32(r, 4, 5)})
    B.add(op, v, "mat_vec", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4))], ["y"], {"b": lambda r: f32(r, 4)})
    B.add(op, v, "vec_vec", [N(op, ["a", "b"], ["y"])], [("a", (4,)), ("b", (4,))], ["y"])
    B.add(op, v, "batch_broadcast", [N(op, ["a", "b"], ["y"])], [("a", (2, 1, 3, 4)), ("b", (5, 4, 6))], ["y"])
    B.add(op, v, "const_first_batched", [N(op, ["a", "b"], ["y"])], [("b", (2, 4, 5))], ["y"],
          {"a": lambda r: f32(r, 3, 4)})


def b_einsum(B, op, v):
    # The matmul-like equations TiGrIS lowers (Transpose/Reshape/ReduceSum/MatMul/Mul), spaces,
    # ellipses, implicit outputs and broadcast batch dims included; diagonals and three operands
    # are refused (EXPECT).
    def case(variant, eq, shapes, consts=(), exact=False):
        names = ["a", "b", "c"][:len(shapes)]
        inputs = [(nm, s) for nm, s in zip(names, shapes) if nm not in consts]
        inits = {nm: (lambda s: lambda r: f32(r, *s))(s) for nm, s in zip(names, shapes) if nm in consts}
        B.add(op, v, variant, [N(op, names, ["y"], equation=eq)], inputs, ["y"], inits, exact=exact)
    case("batch_matmul", "bij,bjk->bik", [(3, 2, 4), (3, 4, 5)])
    case("batch_matmul_spaces", "bij, bjk -> bik", [(3, 2, 4), (3, 4, 5)])
    case("ellipsis_matmul", "...ij,...jk->...ik", [(2, 3, 4, 5), (2, 3, 5, 6)])
    case("ellipsis_broadcast", "...ij,...jk->...ik", [(2, 1, 3, 4), (1, 5, 4, 6)])
    case("ellipsis_implicit", "...ij,jk", [(2, 3, 4), (4, 5)])
    case("letter_broadcast", "bij,bjk->bik", [(1, 2, 3), (4, 3, 5)])
    case("transposed_b_const", "ij,kj->ik", [(3, 4), (5, 4)], consts="b")
    case("transposed_both", "ji,kj->ik", [(4, 3), (5, 4)])
    case("linear_const", "bqd,ed->bqe", [(2, 5, 4), (6, 4)], consts="b")
    case("mat_vec", "ij,j->i", [(3, 4), (4,)])
    case("implicit_matmul", "ij,jk", [(3, 4), (4, 5)])
    case("upper_letters", "Ba,aC->BC", [(3, 4), (4, 5)])
    case("inner_product", "i,i", [(7,), (7,)])
    case("outer_product", "i,j->ij", [(3,), (4,)])
    case("hadamard_permuted", "ij,ji->ij", [(3, 4), (4, 3)])
    case("transpose", "ij->ji", [(3, 4)], exact=True)
    case("transpose_rank4", "nchw->nhwc", [(1, 3, 4, 5)], exact=True)
    case("sum_axis", "ij->i", [(3, 4)])
    case("sum_all", "ijk->", [(2, 3, 4)])
    case("sum_then_matmul", "ijk,jl->il", [(2, 3, 4), (3, 5)])
    case("attention_scores", "bhqd,bhkd->bhqk", [(1, 2, 5, 4), (1, 2, 6, 4)])
    case("attention_context", "bhqk,bhkd->bhqd", [(1, 2, 5, 6), (1, 2, 6, 4)])
    case("output_permuted", "bij,bjk->kbi", [(2, 3, 4), (2, 4, 5)])
    case("diagonal", "ii->i", [(3, 3)])
    case("three_operands", "ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)])


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
    if v >= 19:  # dilations since AveragePool-19: no opset-17 form, TiGrIS's own shape rule
        x8 = [("x", (1, 2, 8, 8))]
        B.add(op, v, "dilated_pads", [N(op, ["x"], ["y"], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1])],
              x8, ["y"])
        B.add(op, v, "dilated_include_pad_s2", [N(op, ["x"], ["y"], kernel_shape=[2, 3], dilations=[2, 2], strides=[2, 1],
                                                  pads=[1, 1, 1, 1], count_include_pad=1)], x8, ["y"])
        B.add(op, v, "dilated_ceil_mode", [N(op, ["x"], ["y"], kernel_shape=[2, 2], dilations=[2, 1], strides=[2, 2],
                                             ceil_mode=1)], x8, ["y"])
        B.add(op, v, "dilated_valid_then_relu", [N(op, ["x"], ["p"], kernel_shape=[3, 2], dilations=[2, 3],
                                                   auto_pad="VALID"), N("Relu", ["p"], ["y"])], x8, ["y"])
        B.add(op, v, "dilated_1d", [N(op, ["x"], ["y"], kernel_shape=[3], dilations=[2], pads=[2, 1])],
              [("x", (1, 3, 9))], ["y"])
        B.add(op, v, "dilations_ones", [N(op, ["x"], ["y"], kernel_shape=[3, 3], dilations=[1, 1], pads=[1, 1, 1, 1])],
              x8, ["y"])


def b_global(B, op, v):
    exact = op == "GlobalMaxPool"
    B.add(op, v, "rank4", [N(op, ["x"], ["y"])], [("x", (1, 3, 5, 6))], ["y"], exact=exact)
    B.add(op, v, "rank3", [N(op, ["x"], ["y"])], [("x", (2, 3, 7))], ["y"], exact=exact)


def b_reducemean(B, op, v):
    x = [("x", (2, 3, 4, 5))]

    def rm(variant, axes=None, **attrs):
        if v >= 18 and axes is not None:  # axes became an input at ReduceMean-18
            B.add(op, v, variant, [N(op, ["x", "ax"], ["y"], **attrs)], x, ["y"], {"ax": i64(*axes)})
        elif axes is not None:
            B.add(op, v, variant, [N(op, ["x"], ["y"], axes=axes, **attrs)], x, ["y"])
        else:
            B.add(op, v, variant, [N(op, ["x"], ["y"], **attrs)], x, ["y"])

    rm("axes_keepdims_default", [2, 3])
    rm("axis1_nokeep", [1], keepdims=0)
    rm("all_axes_default")
    rm("all_axes_nokeep", keepdims=0)
    if v >= 11:  # negative axes since ReduceMean-11
        rm("neg_axes", [-1, 1])
    if v >= 18:
        B.add(op, v, "axes_from_constant_node", [N("Constant", [], ["ax"], value=numpy_helper.from_array(i64(-2, 0))),
                                                 N(op, ["x", "ax"], ["y"], keepdims=0)], x, ["y"])
        B.add(op, v, "empty_axes_noop", [N(op, ["x", "ax"], ["r"], noop_with_empty_axes=1), N("Relu", ["r"], ["y"])],
              x, ["y"], {"ax": np.zeros((0,), np.int64)})
        B.add(op, v, "empty_axes_reduces_all", [N(op, ["x", "ax"], ["y"], keepdims=0)], x, ["y"],
              {"ax": np.zeros((0,), np.int64)})
        B.add(op, v, "noop_without_axes", [N(op, ["x"], ["r"], noop_with_empty_axes=1), N("Relu", ["r"], ["y"])], x, ["y"])
        # axes only constant folding finds: Shape -> Gather gives 3 (the last axis).
        B.add(op, v, "axes_from_folded_chain", [N("Shape", ["x"], ["s"]), N("Size", ["s"], ["n"]),
                                                N("Sub", ["n", "one"], ["last"]), N("Unsqueeze", ["last", "zero"], ["ax"]),
                                                N(op, ["x", "ax"], ["y"])], x, ["y"],
              {"one": np.array(1, np.int64), "zero": i64(0)})


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
    # Split-18 needs either the split input or num_outputs.
    n2 = {"num_outputs": 2} if v >= 18 else {}
    n3 = {"num_outputs": 3} if v >= 18 else {}
    B.add(op, v, "equal_default_axis", [N(op, ["x"], ["y0", "y1"], **n2)], x, ["y0", "y1"], exact=True)
    if v < 13:
        B.add(op, v, "sizes_axis1", [N(op, ["x"], ["y0", "y1"], axis=1, split=[2, 4])], x, ["y0", "y1"], exact=True)
    else:
        B.add(op, v, "sizes_axis1", [N(op, ["x", "sp"], ["y0", "y1"], axis=1)], x, ["y0", "y1"], {"sp": i64(2, 4)},
              exact=True)
    if v >= 11:
        B.add(op, v, "neg_axis_equal3", [N(op, ["x"], ["y0", "y1", "y2"], axis=-1, **n3)], x, ["y0", "y1", "y2"],
              exact=True)
    if v >= 18:  # num_outputs: an uneven split makes the last chunk smaller
        B.add(op, v, "num_outputs_uneven", [N(op, ["x"], ["y0", "y1", "y2"], axis=1, num_outputs=3)], [("x", (4, 7))],
              ["y0", "y1", "y2"], exact=True)
        # The split dim is known only from inference (a Conv's output channels).
        B.add(op, v, "num_outputs_after_conv", [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
                                                N(op, ["c"], ["a", "b"], axis=1, num_outputs=2),
                                                N("Concat", ["b", "a"], ["y"], axis=1)],
              [("x", (1, 2, 5, 5))], ["y"], {"w": lambda r: f32(r, 5, 2, 3, 3)})


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
    if v >= 18:  # an axes input: pads for those axes only
        B.add(op, v, "axes_subset", [N(op, ["x", "p", "", "ax"], ["y"])], x, ["y"], {"p": i64(1, 2, 0, 1), "ax": i64(-1, 2)},
              exact=True)
        B.add(op, v, "axes_value_reflect", [N(op, ["x", "p", "cv", "ax"], ["y"], mode="reflect")], x, ["y"],
              {"p": i64(2, 1), "cv": np.array(0.0, np.float32), "ax": i64(3)}, exact=True)
        B.add(op, v, "axes_constant_value", [N(op, ["x", "p", "cv", "ax"], ["y"])], x, ["y"],
              {"p": i64(1, 0, 2, 1), "cv": np.array(-0.5, np.float32), "ax": i64(1, 2)}, exact=True)
    if v >= 19:  # wrap mode since Pad-19
        B.add(op, v, "wrap", [N(op, ["x", "p"], ["y"], mode="wrap")], x, ["y"], {"p": i64(0, 0, 1, 2, 0, 0, 3, 4)},
              exact=True)
        B.add(op, v, "wrap_axes", [N(op, ["x", "p", "", "ax"], ["y"], mode="wrap")], x, ["y"],
              {"p": i64(2, 1, 1, 3), "ax": i64(2, 3)}, exact=True)


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
    if v >= 18:  # axes, keep_aspect_ratio_policy, antialias
        rs("axes_scales_linear", "linear", [2.5, 1.5], axes=[2, 3])
        rs("axes_neg_scales_nearest", "nearest", [2.6], axes=[-1])
        rs("axes_sizes_nearest", "nearest", sizes=[9], axes=[3])
        rs("axes_sizes_linear", "linear", sizes=[3, 7], axes=[3, 2])
        rs("not_larger_linear", "linear", sizes=[7, 7], axes=[2, 3], keep_aspect_ratio_policy="not_larger")
        rs("not_smaller_nearest", "nearest", sizes=[7, 7], axes=[2, 3], keep_aspect_ratio_policy="not_smaller")
        rs("not_larger_all_axes", "linear", sizes=[1, 2, 13, 9], keep_aspect_ratio_policy="not_larger")
        rs("not_smaller_round_half", "linear", sizes=[3, 13], axes=[2, 3], keep_aspect_ratio_policy="not_smaller")
        rs("stretch_explicit", "linear", sizes=[1, 2, 7, 9], keep_aspect_ratio_policy="stretch")
        rs("antialias_up_linear", "linear", [1, 1, 2.5, 1.5], antialias=1)
        rs("antialias_up_cubic", "cubic", [1, 1, 2, 1.5], antialias=1, cubic_coeff_a=-0.5)
        rs("antialias_up_sizes", "linear", sizes=[1, 2, 7, 9], antialias=1)
        rs("antialias_off", "linear", [1, 1, 0.6, 0.75], antialias=0)
        rs("antialias_down_linear", "linear", [1, 1, 0.6, 0.75], antialias=1)
    if v >= 19:  # half_pixel_symmetric: half_pixel where out == scale * in
        rs("half_pixel_symmetric_int", "linear", [1, 1, 2, 1.5], coordinate_transformation_mode="half_pixel_symmetric")
        rs("half_pixel_symmetric_sizes", "nearest", sizes=[1, 2, 7, 9],
           coordinate_transformation_mode="half_pixel_symmetric")
        rs("half_pixel_symmetric_frac", "linear", [1, 1, 1.25, 2.6], coordinate_transformation_mode="half_pixel_symmetric")


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


def b_dequantize(B, op, v):
    """Weight-only quantization: DequantizeLinear of constant int weights into a float op; the
    frontend folds it into float32 weights ((q - zero_point) * scale)."""
    def q(dtype, *shape):
        info = np.iinfo(dtype)
        return lambda r: r.integers(info.min, info.max, shape, endpoint=True).astype(dtype)

    def pos(*shape):
        return lambda r: r.uniform(0.005, 0.05, shape).astype(np.float32)

    x = [("x", (1, 2, 6, 6))]
    conv = N("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])
    B.add(op, v, "per_tensor_int8_conv", [N(op, ["wq", "s", "zp"], ["w"]), conv], x, ["y"],
          {"wq": q(np.int8, 4, 2, 3, 3), "s": np.array(0.02, np.float32), "zp": np.array(-3, np.int8)})
    B.add(op, v, "per_tensor_uint8_no_zp", [N(op, ["wq", "s"], ["w"]), conv], x, ["y"],
          {"wq": q(np.uint8, 4, 2, 3, 3), "s": np.array(0.01, np.float32)})
    B.add(op, v, "int32_bias", [N(op, ["wq", "s", "zp"], ["w"]), N(op, ["bq", "bs"], ["b"]),
                                N("Conv", ["x", "w", "b"], ["y"], pads=[1, 1, 1, 1])], x, ["y"],
          {"wq": q(np.uint8, 4, 2, 3, 3), "s": np.array(0.01, np.float32), "zp": np.array(128, np.uint8),
           "bq": lambda r: r.integers(-20000, 20000, (4,)).astype(np.int32), "bs": np.array(1e-4, np.float32)})
    if v >= 13:  # per-axis scales since DequantizeLinear-13
        B.add(op, v, "per_axis_int8_conv", [N(op, ["wq", "s", "zp"], ["w"], axis=0), conv], x, ["y"],
              {"wq": q(np.int8, 4, 2, 3, 3), "s": pos(4), "zp": lambda r: r.integers(-5, 5, (4,)).astype(np.int8)})
        B.add(op, v, "per_axis_uint8_matmul", [N(op, ["wq", "s", "zp"], ["w"], axis=1), N("MatMul", ["a", "w"], ["y"])],
              [("a", (3, 6))], ["y"],
              {"wq": q(np.uint8, 6, 5), "s": pos(5), "zp": lambda r: r.integers(100, 150, (5,)).astype(np.uint8)})
        B.add(op, v, "per_axis_default_axis_transpose", [N(op, ["wq", "s"], ["wt"]), N("Transpose", ["wt"], ["w"]),
                                                         N("Gemm", ["a", "w"], ["y"])], [("a", (3, 4))], ["y"],
              {"wq": q(np.int8, 5, 4), "s": pos(4)})
    if v >= 21:  # blocked quantization and int16 since DequantizeLinear-21
        B.add(op, v, "blocked_gemm", [N(op, ["wq", "s", "zp"], ["w"], axis=1, block_size=3),
                                      N("Gemm", ["a", "w"], ["y"], transB=1)], [("a", (2, 8))], ["y"],
              {"wq": q(np.int8, 5, 8), "s": pos(5, 3), "zp": lambda r: r.integers(-4, 4, (5, 3)).astype(np.int8)})
        B.add(op, v, "int16_per_axis_conv", [N(op, ["wq", "s"], ["w"], axis=0), conv], x, ["y"],
              {"wq": lambda r: r.integers(-3000, 3000, (4, 2, 3, 3)).astype(np.int16), "s": lambda r: r.uniform(1e-4, 5e-4, (4,)).astype(np.float32)})


def b_quantize(B, op, v):
    """QuantizeLinear of an activation, per tensor: int8 and uint8 outputs (round half to even,
    saturation), and the QDQ pair around a float op (DequantizeLinear of an activation)."""
    x = [("x", (2, 3, 4))]
    # values on and between the quantization steps, ties, and beyond the saturation points
    vals = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.5) * np.float32(0.375)
    B.add(op, v, "per_tensor_int8", [N(op, ["x", "s", "zp"], ["y"])], x, ["y"],
          {"s": np.array(0.25, np.float32), "zp": np.array(-3, np.int8)}, data={"x": vals}, exact=True,
          out_types={"y": TensorProto.INT8})
    B.add(op, v, "per_tensor_uint8_saturating", [N(op, ["x", "s", "zp"], ["y"])], x, ["y"],
          {"s": np.array(0.02, np.float32), "zp": np.array(128, np.uint8)}, data={"x": vals}, exact=True,
          out_types={"y": TensorProto.UINT8})
    B.add(op, v, "uint8_without_zero_point", [N(op, ["x", "s"], ["y"])], x, ["y"],
          {"s": np.array(0.0625, np.float32)}, data={"x": vals}, exact=True, out_types={"y": TensorProto.UINT8})
    B.add(op, v, "qdq_around_relu", [N(op, ["x", "s", "zp"], ["q"]), N("DequantizeLinear", ["q", "s", "zp"], ["d"]),
                                     N("Relu", ["d"], ["y"])], x, ["y"],
          {"s": np.array(0.125, np.float32), "zp": np.array(5, np.int8)}, data={"x": vals}, exact=True)


# ---- math, comparisons, logic, Where, Cast, Expand, Tile (ops.def rows 33..) --------------------
B_ = TensorProto.BOOL
EXACT_UNARY = ("Abs", "Floor", "Ceil", "Round")


def b_math_unary(B, op, v):
    x = [("x", (1, 3, 4, 5))]
    rng = np.random.default_rng(11)
    vals = rng.standard_normal((1, 3, 4, 5)).astype(np.float32) * 3
    if op in ("Floor", "Ceil", "Round"):  # halves (Round is half to even) and integers
        vals = (np.round(vals * 2) / 2).astype(np.float32)
    if op == "Sqrt":
        vals = np.abs(vals)
    if op == "Reciprocal":
        vals = (np.sign(vals) * (np.abs(vals) + 0.25)).astype(np.float32)
    attrs = {"Elu": {"alpha": 0.7}, "Selu": {"alpha": 1.5, "gamma": 1.2}, "Celu": {"alpha": 1.3}}.get(op, {})
    B.add(op, v, "rank4", [N(op, ["x"], ["y"])], x, ["y"], data={"x": vals}, exact=op in EXACT_UNARY)
    if attrs:
        B.add(op, v, "attrs", [N(op, ["x"], ["y"], **attrs)], x, ["y"], data={"x": vals})
    if op == "Erf":  # the GELU PyTorch exports below opset 20: x * 0.5 * (1 + erf(x / sqrt(2)))
        B.add(op, v, "gelu_pattern", [N("Div", ["x", "sqrt2"], ["d"]), N(op, ["d"], ["e"]),
                                      N("Add", ["e", "one"], ["a"]), N("Mul", ["x", "a"], ["m"]),
                                      N("Mul", ["m", "half"], ["y"])], x, ["y"],
              {"sqrt2": np.array(np.sqrt(2.0), np.float32), "one": np.array(1.0, np.float32),
               "half": np.array(0.5, np.float32)}, data={"x": vals})


def b_pow(B, op, v):
    x = [("x", (1, 3, 4, 5))]
    pos = (np.abs(np.random.default_rng(12).standard_normal((1, 3, 4, 5))) + 0.1).astype(np.float32)
    # YOLOv5's head: (sigmoid(x) * 2) ^ 2 with a constant 2
    B.add(op, v, "yolo_square", [N("Sigmoid", ["x"], ["s"]), N("Mul", ["s", "two"], ["m"]), N(op, ["m", "two"], ["y"])],
          x, ["y"], {"two": np.array(2.0, np.float32)})
    B.add(op, v, "cube_const", [N(op, ["x", "e"], ["y"])], x, ["y"], {"e": np.array([3.0], np.float32)})
    B.add(op, v, "bcast_exponent", [N(op, ["x", "e"], ["y"])], x, ["y"],
          {"e": np.array([0.5, 1.5, -1.0], np.float32).reshape(3, 1, 1)}, data={"x": pos})
    B.add(op, v, "two_inputs", [N(op, ["x", "e"], ["y"])], [("x", (1, 3, 4, 5)), ("e", (4, 5))], ["y"],
          data={"x": pos, "e": np.random.default_rng(13).uniform(-2, 2, (4, 5)).astype(np.float32)})
    if v >= 12:  # integer exponents since Pow-12
        B.add(op, v, "int64_exponent", [N(op, ["x", "e"], ["y"])], x, ["y"], {"e": np.array([2, -1, 3], np.int64)
                                                                            .reshape(3, 1, 1)})
        B.add(op, v, "int32_exponent_input", [N(op, ["x", "e"], ["y"])], [("x", (1, 3, 4, 5)), ("e", (5,))], ["y"],
              data={"e": np.array([0, 1, 2, 3, -2], np.int32)})


def b_variadic(B, op, v):
    rng = np.random.default_rng(14)
    a = rng.standard_normal((2, 3, 4)).astype(np.float32)
    exact = op in ("Max", "Min")
    B.add(op, v, "one_input", [N(op, ["x"], ["y"])], [("x", (2, 3, 4))], ["y"], exact=exact)
    B.add(op, v, "three_same", [N(op, ["x", "z", "c"], ["y"])], [("x", (2, 3, 4)), ("z", (2, 3, 4))], ["y"],
          {"c": lambda r: f32(r, 2, 3, 4)}, exact=exact)
    if v >= 8:  # multidirectional broadcasting since version 8
        B.add(op, v, "bcast", [N(op, ["x", "z", "c"], ["y"])], [("x", (2, 1, 4)), ("z", (3, 1))], ["y"],
              {"c": lambda r: f32(r, 4)}, exact=exact)
    if v >= 12 and op in ("Max", "Min"):  # integer types since Max/Min-12
        B.add(op, v, "int64", [N(op, ["x", "z"], ["y"])], [("x", (2, 3)), ("z", (3,))], ["y"],
              data={"x": np.array([[1, -5, 9], [4, 4, -2]], np.int64), "z": np.array([3, -7, 0], np.int64)},
              exact=True, out_types={"y": TensorProto.INT64})
    del a


def b_prelu(B, op, v):
    x = [("x", (1, 3, 4, 5))]
    B.add(op, v, "channel_slope", [N(op, ["x", "s"], ["y"])], x, ["y"], {"s": lambda r: f32(r, 3, 1, 1)}, exact=True)
    B.add(op, v, "scalar_slope", [N(op, ["x", "s"], ["y"])], x, ["y"], {"s": np.array([0.25], np.float32)}, exact=True)
    B.add(op, v, "full_slope_input", [N(op, ["x", "s"], ["y"])], [("x", (1, 3, 4, 5)), ("s", (1, 3, 4, 5))], ["y"],
          exact=True)


def b_where(B, op, v):
    rng = np.random.default_rng(15)
    cond = rng.standard_normal((3, 1)) > 0
    B.add(op, v, "bool_input_bcast", [N(op, ["c", "x", "z"], ["y"])], [("c", (3, 1)), ("x", (2, 3, 4)), ("z", (4,))],
          ["y"], data={"c": cond}, exact=True)
    # a mask computed on the fly (Greater), a constant fill: the pattern of masked softmax / NMS prep
    B.add(op, v, "mask_from_greater", [N("Greater", ["x", "t"], ["m"]), N(op, ["m", "x", "f"], ["y"])],
          [("x", (2, 3, 4))], ["y"], {"t": np.array(0.3, np.float32), "f": np.array(-1e4, np.float32)}, exact=True)
    B.add(op, v, "int64_values", [N(op, ["c", "x", "z"], ["y"])], [("c", (3, 1)), ("x", (3, 4)), ("z", (3, 4))], ["y"],
          data={"c": cond, "x": np.arange(12, dtype=np.int64).reshape(3, 4),
                "z": -np.arange(12, dtype=np.int64).reshape(3, 4)}, exact=True, out_types={"y": TensorProto.INT64})


def b_compare(B, op, v):
    rng = np.random.default_rng(16)
    a = np.round(rng.standard_normal((2, 3, 4)) * 2).astype(np.float32)  # ties happen
    b = np.round(rng.standard_normal((3, 1)) * 2).astype(np.float32)
    if op != "Equal" or v >= 11:  # Equal-7 has no float
        B.add(op, v, "float_bcast", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4)), ("b", (3, 1))], ["y"],
              data={"a": a, "b": b}, exact=True, out_types={"y": B_})
        B.add(op, v, "float_const", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4))], ["y"], {"b": np.array(0.0, np.float32)},
              data={"a": a}, exact=True, out_types={"y": B_})
    if op not in ("Less", "Greater") or v >= 9:  # Less/Greater-7 are float-only
        B.add(op, v, "int64_bcast", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4)), ("b", (4,))], ["y"],
              data={"a": a.astype(np.int64), "b": np.array([0, 1, -1, 2], np.int64)}, exact=True, out_types={"y": B_})
        B.add(op, v, "int32", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4)), ("b", (2, 3, 4))], ["y"],
              data={"a": a.astype(np.int32), "b": np.flip(a, 2).astype(np.int32)}, exact=True, out_types={"y": B_})
    if op == "Equal":
        B.add(op, v, "bool", [N(op, ["a", "b"], ["y"])], [("a", (2, 3, 4)), ("b", (4,))], ["y"],
              data={"a": a > 0, "b": np.array([True, False, True, False])}, exact=True, out_types={"y": B_})
    # the bool result consumed by float math through Cast, as exporters do
    if op != "Equal" or v >= 11:
        B.add(op, v, "cast_to_float", [N(op, ["a", "b"], ["m"]), N("Cast", ["m"], ["y"], to=TensorProto.FLOAT)],
              [("a", (2, 3, 4))], ["y"], {"b": np.array([0.5], np.float32)}, data={"a": a}, exact=True)


def b_logical(B, op, v):
    rng = np.random.default_rng(17)
    p, q = rng.standard_normal((2, 3, 4)) > 0, rng.standard_normal((3, 4)) > 0
    if op == "Not":
        B.add(op, v, "rank3", [N(op, ["p"], ["y"])], [("p", (2, 3, 4))], ["y"], data={"p": p}, exact=True,
              out_types={"y": B_})
        return
    B.add(op, v, "bcast", [N(op, ["p", "q"], ["y"])], [("p", (2, 3, 4)), ("q", (3, 4))], ["y"], data={"p": p, "q": q},
          exact=True, out_types={"y": B_})
    # masks from comparisons combined, then used
    B.add(op, v, "of_comparisons", [N("Greater", ["x", "lo"], ["a"]), N("Less", ["x", "hi"], ["b"]), N(op, ["a", "b"], ["m"]),
                                    N("Cast", ["m"], ["f"], to=TensorProto.FLOAT), N("Mul", ["x", "f"], ["y"])],
          [("x", (2, 3, 4))], ["y"], {"lo": np.array(-0.5, np.float32), "hi": np.array(0.5, np.float32)}, exact=True)


def b_cast(B, op, v):
    rng = np.random.default_rng(18)
    x = (rng.standard_normal((2, 3, 4)) * 4).astype(np.float32)
    x.flat[:6] = [2.5, -2.5, -0.7, 0.0, 3e9, -3e9]  # truncation toward zero, out of the int32 range
    xi = np.array([[2**40 + 5, -2**40 - 7, 2**31, -1], [0, 16777217, 7, -2**31 - 1]], np.int64)
    for to, tag in ((TensorProto.INT32, "int32"), (TensorProto.INT64, "int64"), (TensorProto.BOOL, "bool")):
        B.add(op, v, "float_to_" + tag, [N(op, ["x"], ["y"], to=to)], [("x", (2, 3, 4))], ["y"], data={"x": x},
              exact=True, out_types={"y": to})
    B.add(op, v, "int64_to_float", [N(op, ["x"], ["y"], to=TensorProto.FLOAT)], [("x", (2, 4))], ["y"], data={"x": xi},
          exact=True)
    B.add(op, v, "int64_to_int32", [N(op, ["x"], ["y"], to=TensorProto.INT32)], [("x", (2, 4))], ["y"], data={"x": xi},
          exact=True, out_types={"y": TensorProto.INT32})
    B.add(op, v, "bool_to_float", [N(op, ["x"], ["y"], to=TensorProto.FLOAT)], [("x", (2, 4))], ["y"],
          data={"x": xi > 0}, exact=True)
    B.add(op, v, "int32_to_int64", [N(op, ["x"], ["y"], to=TensorProto.INT64)], [("x", (2, 4))], ["y"],
          data={"x": (xi % 1000).astype(np.int32)}, exact=True, out_types={"y": TensorProto.INT64})
    B.add(op, v, "float_roundtrip", [N(op, ["x"], ["i"], to=TensorProto.INT32), N(op, ["i"], ["y"], to=TensorProto.FLOAT)],
          [("x", (2, 3, 4))], ["y"], data={"x": x / 1e3}, exact=True)


def b_expand(B, op, v):
    B.add(op, v, "bcast_and_new_dims", [N(op, ["x", "s"], ["y"])], [("x", (3, 1))], ["y"], {"s": i64(2, 3, 4)}, exact=True)
    # shape smaller than the input: the output is the broadcast of both
    B.add(op, v, "shape_of_ones", [N(op, ["x", "s"], ["y"])], [("x", (2, 3, 4))], ["y"], {"s": i64(3, 1)}, exact=True)
    B.add(op, v, "int64_values", [N(op, ["x", "s"], ["y"])], [("x", (1, 4))], ["y"], {"s": i64(3, 4)},
          data={"x": np.array([[1, -2, 3, 2**40]], np.int64)}, exact=True, out_types={"y": TensorProto.INT64})


def b_tile(B, op, v):
    B.add(op, v, "repeats", [N(op, ["x", "r"], ["y"])], [("x", (1, 2, 3))], ["y"], {"r": i64(2, 1, 3)}, exact=True)
    B.add(op, v, "after_relu", [N("Relu", ["x"], ["a"]), N(op, ["a", "r"], ["y"])], [("x", (2, 3))], ["y"],
          {"r": i64(1, 2)}, exact=True)
    B.add(op, v, "bool", [N(op, ["x", "r"], ["y"])], [("x", (2, 2))], ["y"], {"r": i64(3, 1)},
          data={"x": np.array([[True, False], [False, True]])}, exact=True, out_types={"y": B_})


# ---- reductions, index ops, normalizations, TopK -------------------------------------------------
I64 = TensorProto.INT64
I32 = TensorProto.INT32


def b_reduce(B, op, v):
    """ReduceX with axes as an attribute, or (ReduceSum from 13) as a constant input."""
    x = [("x", (2, 3, 4, 5))]
    exact = op in ("ReduceMax", "ReduceMin")
    data = None
    if op in ("ReduceLogSum", "ReduceProd"):  # positive sums for the log, products near 1
        data = {"x": np.random.default_rng(3).uniform(0.6, 1.5, (2, 3, 4, 5)).astype(np.float32)}
    if op == "ReduceLogSumExp":  # large values: a sum of exp() without a shift overflows
        data = {"x": (np.random.default_rng(4).standard_normal((2, 3, 4, 5)) * 30 + 60).astype(np.float32)}
    axes_input = (op == "ReduceSum" and v >= 13) or v >= 18  # the others' axes became an input at 18

    def red(variant, axes=None, **attrs):
        if axes is None:
            B.add(op, v, variant, [N(op, ["x"], ["y"], **attrs)], x, ["y"], exact=exact, data=data)
        elif axes_input:
            B.add(op, v, variant, [N(op, ["x", "ax"], ["y"], **attrs)], x, ["y"], {"ax": i64(*axes)}, exact=exact,
                  data=data)
        else:
            B.add(op, v, variant, [N(op, ["x"], ["y"], axes=axes, **attrs)], x, ["y"], exact=exact, data=data)

    red("axes_keepdims_default", [2, 3])
    red("axis1_nokeep", [1], keepdims=0)
    red("all_axes_default")
    red("all_axes_nokeep", keepdims=0)
    red("outer_axes", [0, 1])
    if v >= 11:  # negative axes since 11
        red("neg_axes", [-1, 1])
    if axes_input:
        B.add(op, v, "empty_axes_noop", [N(op, ["x", "ax"], ["y"], noop_with_empty_axes=1)], x, ["y"],
              {"ax": np.zeros((0,), np.int64)}, exact=op in ("ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd"), data=data)
        B.add(op, v, "empty_axes_reduce_all", [N(op, ["x", "ax"], ["y"])], x, ["y"], {"ax": np.zeros((0,), np.int64)},
              data=data)


def b_argmax(B, op, v):
    x = [("x", (2, 3, 4))]
    ties = {"x": np.random.default_rng(5).integers(0, 3, (2, 3, 4)).astype(np.float32)}
    ty = {"y": I64}
    B.add(op, v, "default_axis", [N(op, ["x"], ["y"])], x, ["y"], exact=True, types=ty)
    B.add(op, v, "axis2_nokeep", [N(op, ["x"], ["y"], axis=2, keepdims=0)], x, ["y"], exact=True, types=ty)
    B.add(op, v, "ties_axis1", [N(op, ["x"], ["y"], axis=1)], x, ["y"], exact=True, data=ties, types=ty)
    if v >= 11:
        B.add(op, v, "neg_axis", [N(op, ["x"], ["y"], axis=-1)], x, ["y"], exact=True, types=ty)
    if v >= 12:
        B.add(op, v, "select_last_ties", [N(op, ["x"], ["y"], axis=1, select_last_index=1)], x, ["y"], exact=True,
              data=ties, types=ty)


def b_gather(B, op, v):
    x = [("x", (1, 6, 3, 4))]
    shuffle = i64(0, 3, 1, 4, 2, 5)  # ShuffleNetV2's channel shuffle of two groups of 3
    B.add(op, v, "channel_shuffle", [N("Relu", ["x"], ["r"]), N(op, ["r", "ix"], ["y"], axis=1)], x, ["y"],
          {"ix": shuffle}, exact=True)
    B.add(op, v, "scalar_index_axis1", [N("Relu", ["x"], ["r"]), N(op, ["r", "ix"], ["y"], axis=1)], x, ["y"],
          {"ix": np.array(4, np.int64)}, exact=True)
    B.add(op, v, "int32_2d_indices_axis3", [N(op, ["x", "ix"], ["y"], axis=3)], x, ["y"],
          {"ix": np.array([[3, 0], [1, 1], [2, 3]], np.int32)}, exact=True)
    B.add(op, v, "default_axis0", [N(op, ["x", "ix"], ["y"])], [("x", (5, 3))], ["y"], {"ix": i64(4, 0, 2)}, exact=True)
    B.add(op, v, "runtime_indices", [N(op, ["x", "ix"], ["y"], axis=2)], [("x", (1, 6, 3, 4)), ("ix", (2, 2))], ["y"],
          exact=True, data={"ix": np.array([[2, 0], [1, 2]], np.int64)}, types={"ix": I64})
    if v >= 11:  # negative indices since 11
        B.add(op, v, "negative_indices", [N(op, ["x", "ix"], ["y"], axis=1)], x, ["y"], {"ix": i64(-1, 0, -6)},
              exact=True)
        B.add(op, v, "runtime_negative_indices", [N(op, ["x", "ix"], ["y"], axis=-1)],
              [("x", (1, 6, 3, 4)), ("ix", (3,))], ["y"], exact=True, data={"ix": np.array([-1, 0, -3], np.int64)},
              types={"ix": I64})


def b_gather_elements(B, op, v):
    x = [("x", (2, 3, 4))]
    ix = np.random.default_rng(6).integers(-3, 3, (2, 2, 4)).astype(np.int64)
    B.add(op, v, "axis1_const", [N(op, ["x", "ix"], ["y"], axis=1)], x, ["y"], {"ix": ix}, exact=True)
    B.add(op, v, "axis0_default", [N(op, ["x", "ix"], ["y"])], x, ["y"],
          {"ix": np.array([[[1, 0, 1, 1]]], np.int64)}, exact=True)
    B.add(op, v, "runtime_int32_last_axis", [N(op, ["x", "ix"], ["y"], axis=-1)], [("x", (2, 3, 4)), ("ix", (2, 3, 5))],
          ["y"], exact=True, data={"ix": np.random.default_rng(7).integers(-4, 4, (2, 3, 5)).astype(np.int32)},
          types={"ix": I32})


def b_depthtospace(B, op, v):
    B.add(op, v, "b2_default", [N(op, ["x"], ["y"], blocksize=2)], [("x", (1, 8, 2, 3))], ["y"], exact=True)
    B.add(op, v, "b3", [N(op, ["x"], ["y"], blocksize=3)], [("x", (2, 9, 2, 2))], ["y"], exact=True)
    if v >= 11:
        B.add(op, v, "crd", [N(op, ["x"], ["y"], blocksize=2, mode="CRD")], [("x", (1, 8, 2, 3))], ["y"], exact=True)
        B.add(op, v, "dcr", [N(op, ["x"], ["y"], blocksize=2, mode="DCR")], [("x", (1, 8, 2, 3))], ["y"], exact=True)


def b_spacetodepth(B, op, v):
    B.add(op, v, "b2", [N(op, ["x"], ["y"], blocksize=2)], [("x", (1, 3, 4, 6))], ["y"], exact=True)
    B.add(op, v, "b3", [N(op, ["x"], ["y"], blocksize=3)], [("x", (2, 2, 3, 6))], ["y"], exact=True)


def b_lpnorm(B, op, v):
    x = [("x", (2, 3, 4))]
    zero_line = np.random.default_rng(8).standard_normal((2, 3, 4)).astype(np.float32)
    zero_line[1, :, 2] = 0  # a line of zeros along axis 1: norm 0
    B.add(op, v, "default_p2_last_axis", [N(op, ["x"], ["y"])], x, ["y"])
    B.add(op, v, "p1_axis1", [N(op, ["x"], ["y"], axis=1, p=1)], x, ["y"])
    B.add(op, v, "p2_axis1_zero_line", [N(op, ["x"], ["y"], axis=1, p=2)], x, ["y"], data={"x": zero_line})


def b_instancenorm(B, op, v):
    sb = {"s": lambda r: r.uniform(0.5, 1.5, 3).astype(np.float32), "b": lambda r: f32(r, 3)}
    B.add(op, v, "rank4_default_eps", [N(op, ["x", "s", "b"], ["y"])], [("x", (2, 3, 4, 5))], ["y"], sb)
    B.add(op, v, "rank3_eps", [N(op, ["x", "s", "b"], ["y"], epsilon=1e-2)], [("x", (1, 3, 7))], ["y"], sb)
    B.add(op, v, "after_conv", [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]), N(op, ["c", "s", "b"], ["y"])],
          [("x", (1, 2, 5, 5))], ["y"], dict(sb, w=lambda r: f32(r, 3, 2, 3, 3)))


def b_layernorm(B, op, v):
    x = [("x", (2, 3, 4, 5))]
    B.add(op, v, "default_axis", [N(op, ["x", "s", "b"], ["y"])], x, ["y"],
          {"s": lambda r: f32(r, 5), "b": lambda r: f32(r, 5)})
    B.add(op, v, "axis1_no_bias", [N(op, ["x", "s"], ["y"], axis=1, epsilon=1e-3)], x, ["y"],
          {"s": lambda r: f32(r, 3, 4, 5)})
    B.add(op, v, "neg_axis_broadcast_scale", [N(op, ["x", "s", "b"], ["y"], axis=-2)], x, ["y"],
          {"s": lambda r: f32(r, 1, 5), "b": lambda r: f32(r, 4, 1)})
    B.add(op, v, "mean_invstd_outputs", [N(op, ["x", "s", "b"], ["y", "m", "i"], axis=2)], x, ["y", "m", "i"],
          {"s": lambda r: f32(r, 4, 5), "b": lambda r: f32(r, 4, 5)})


def b_groupnorm(B, op, v):
    """GroupNormalization-18 has one scale/bias value per group, -21 one per channel."""
    per = 2 if v < 21 else 6
    sb = {"s": lambda r: r.uniform(0.5, 1.5, per).astype(np.float32), "b": lambda r: f32(r, per)}
    B.add(op, v, "rank4_two_groups", [N(op, ["x", "s", "b"], ["y"], num_groups=2)], [("x", (1, 6, 4, 5))], ["y"], sb)
    B.add(op, v, "rank3_eps", [N(op, ["x", "s", "b"], ["y"], num_groups=2, epsilon=1e-2)], [("x", (2, 6, 7))], ["y"], sb)


def b_topk(B, op, v):
    x = [("x", (2, 3, 6))]
    ties = {"x": np.random.default_rng(9).integers(0, 3, (2, 3, 6)).astype(np.float32)}
    ty = {"i": I64}

    def tk(variant, k, data=None, **attrs):
        if v < 10:
            B.add(op, v, variant, [N(op, ["x"], ["val", "i"], k=k, **attrs)], x, ["val", "i"], exact=True, data=data,
                  types=ty)
        else:
            B.add(op, v, variant, [N(op, ["x", "k"], ["val", "i"], **attrs)], x, ["val", "i"], {"k": i64(k)},
                  exact=True, data=data, types=ty)

    tk("default_last_axis", 3)
    tk("axis1", 2, axis=1)
    tk("k_whole_axis", 6)
    tk("ties", 4, data=ties)
    if v >= 11:
        tk("smallest", 3, largest=0)
        tk("smallest_ties_neg_axis", 2, data=ties, largest=0, axis=-2)


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


def b_qoperator(B, op, v):
    """QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger (imported as their QDQ form,
    frontend/qoperators.h): int8 and uint8, per-tensor and per-channel weights. Quantized outputs
    within 1 LSB of onnxruntime's QOperator kernels ("lsb1"), int32 outputs exact."""
    def q(dtype, *shape):
        info = np.iinfo(dtype)
        return lambda r: r.integers(info.min, info.max, shape, endpoint=True).astype(dtype)

    def sc(v_):
        return np.array(v_, np.float32)
    rng = np.random.default_rng(zlib.crc32(("%s%d" % (op, v)).encode()))
    U8, I8, I32 = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32
    if op == "QLinearConv":
        xu = rng.integers(0, 256, (1, 3, 7, 7)).astype(np.uint8)
        B.add(op, v, "uint8_pads_bias", [N(op, ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], ["y"], pads=[1, 1, 1, 1])],
              [("x", (1, 3, 7, 7))], ["y"],
              {"xs": sc(0.02), "xz": np.array(128, np.uint8), "w": q(np.uint8, 4, 3, 3, 3), "ws": sc(0.005),
               "wz": np.array(127, np.uint8), "ys": sc(0.3), "yz": np.array(100, np.uint8),
               "b": lambda r: r.integers(-500, 500, (4,)).astype(np.int32)},
              data={"x": xu}, out_types={"y": U8}, threshold="lsb1")
        xs8 = rng.integers(-128, 128, (1, 4, 8, 8)).astype(np.int8)
        B.add(op, v, "int8_per_channel_depthwise", [N(op, ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"],
                                                      group=4, strides=[2, 2], pads=[1, 1, 1, 1])],
              [("x", (1, 4, 8, 8))], ["y"],
              {"xs": sc(0.03), "xz": np.array(-3, np.int8), "w": q(np.int8, 8, 1, 3, 3),
               "ws": lambda r: r.uniform(0.002, 0.01, (8,)).astype(np.float32), "wz": np.zeros(8, np.int8),
               "ys": sc(0.05), "yz": np.array(2, np.int8)},
              data={"x": xs8}, out_types={"y": I8}, threshold="lsb1")
    elif op == "QLinearMatMul":
        au = rng.integers(0, 256, (3, 8)).astype(np.uint8)
        B.add(op, v, "uint8_const_b", [N(op, ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"])], [("a", (3, 8))], ["y"],
              {"as": sc(0.02), "az": np.array(120, np.uint8), "b": q(np.uint8, 8, 5), "bs": sc(0.01),
               "bz": np.array(130, np.uint8), "ys": sc(0.2), "yz": np.array(128, np.uint8)},
              data={"a": au}, out_types={"y": U8}, threshold="lsb1")
        a8 = rng.integers(-128, 128, (2, 3, 6)).astype(np.int8)
        b8 = rng.integers(-128, 128, (2, 6, 4)).astype(np.int8)
        B.add(op, v, "int8_batched_activations", [N(op, ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"])],
              [("a", (2, 3, 6)), ("b", (2, 6, 4))], ["y"],
              {"as": sc(0.03), "az": np.array(1, np.int8), "bs": sc(0.02), "bz": np.array(-2, np.int8),
               "ys": sc(0.4), "yz": np.array(0, np.int8)},
              data={"a": a8, "b": b8}, out_types={"y": I8}, threshold="lsb1")
    elif op == "ConvInteger":
        xu = rng.integers(0, 256, (1, 2, 6, 6)).astype(np.uint8)
        B.add(op, v, "uint8_zero_points_pads", [N(op, ["x", "w", "xz", "wz"], ["y"], pads=[1, 0, 1, 0], strides=[1, 2])],
              [("x", (1, 2, 6, 6))], ["y"],
              {"w": q(np.uint8, 3, 2, 3, 3), "xz": np.array(130, np.uint8), "wz": np.array(125, np.uint8)},
              data={"x": xu}, out_types={"y": I32}, exact=True)
        B.add(op, v, "no_zero_points", [N(op, ["x", "w"], ["y"])], [("x", (1, 2, 6, 6))], ["y"],
              {"w": q(np.uint8, 2, 2, 2, 2)}, data={"x": xu}, out_types={"y": I32}, exact=True)
    elif op == "MatMulInteger":
        a8 = rng.integers(-128, 128, (2, 3, 10)).astype(np.int8)
        B.add(op, v, "int8_const_b", [N(op, ["a", "b", "az"], ["y"])], [("a", (2, 3, 10))], ["y"],
              {"b": q(np.int8, 10, 4), "az": np.array(-5, np.int8)}, data={"a": a8}, out_types={"y": I32}, exact=True)
        au = rng.integers(0, 256, (4, 6)).astype(np.uint8)
        bu = rng.integers(0, 256, (6, 3)).astype(np.uint8)
        B.add(op, v, "uint8_activations", [N(op, ["a", "b", "az", "bz"], ["y"])], [("a", (4, 6)), ("b", (6, 3))], ["y"],
              {"az": np.array(128, np.uint8), "bz": np.array(120, np.uint8)}, data={"a": au, "b": bu},
              out_types={"y": I32}, exact=True)


BUILDERS = {
    "QLinearConv": b_qoperator, "QLinearMatMul": b_qoperator, "ConvInteger": b_qoperator, "MatMulInteger": b_qoperator,
    "Conv": b_conv, "ConvTranspose": b_convtranspose, "Gemm": b_gemm, "MatMul": b_matmul,
    "Add": b_binary, "Sub": b_binary, "Mul": b_binary, "Div": b_binary,
    "Relu": b_unary, "Sigmoid": b_unary, "HardSwish": b_unary, "Tanh": b_unary, "Exp": b_unary, "Neg": b_unary,
    "Clip": b_clip, "LeakyRelu": b_leaky, "HardSigmoid": b_hardsigmoid, "Softmax": b_softmax,
    "MaxPool": b_maxpool, "AveragePool": b_avgpool, "GlobalAveragePool": b_global, "GlobalMaxPool": b_global,
    "ReduceMean": b_reducemean, "Concat": b_concat, "Split": b_split, "Slice": b_slice, "Transpose": b_transpose,
    "Pad": b_pad, "Resize": b_resize, "Upsample": b_upsample, "Reshape": b_reshape, "Flatten": b_flatten,
    "Squeeze": b_squeeze, "Unsqueeze": b_squeeze, "BatchNormalization": b_batchnorm, "Identity": b_identity,
    "Dropout": b_dropout, "Constant": b_constant, "Shape": b_shape, "DequantizeLinear": b_dequantize,
    "QuantizeLinear": b_quantize,
    "Pow": b_pow, "Max": b_variadic, "Min": b_variadic, "Sum": b_variadic, "Mean": b_variadic, "PRelu": b_prelu,
    "Where": b_where, "Equal": b_compare, "Less": b_compare, "Greater": b_compare, "LessOrEqual": b_compare,
    "GreaterOrEqual": b_compare, "Not": b_logical, "And": b_logical, "Or": b_logical, "Xor": b_logical,
    "Cast": b_cast, "Expand": b_expand, "Tile": b_tile,
    "LogSoftmax": b_softmax, "ReduceSum": b_reduce, "ReduceMax": b_reduce, "ReduceMin": b_reduce,
    "ReduceProd": b_reduce, "ReduceL1": b_reduce, "ReduceL2": b_reduce, "ReduceLogSum": b_reduce,
    "ReduceLogSumExp": b_reduce, "ReduceSumSquare": b_reduce, "ArgMax": b_argmax, "ArgMin": b_argmax,
    "Gather": b_gather, "GatherElements": b_gather_elements, "DepthToSpace": b_depthtospace,
    "SpaceToDepth": b_spacetodepth, "LpNormalization": b_lpnorm, "InstanceNormalization": b_instancenorm,
    "LayerNormalization": b_layernorm, "GroupNormalization": b_groupnorm, "TopK": b_topk,
    "LSTM": b_lstm, "GRU": b_gru, "RNN": b_rnn, "Einsum": b_einsum,
}
for _op in ("Sqrt", "Reciprocal", "Abs", "Floor", "Ceil", "Round", "Elu", "Selu", "Celu", "Softplus", "Softsign",
            "Erf", "Gelu", "Mish"):
    BUILDERS[_op] = b_math_unary


# ---- real-model-shaped cases -------------------------------------------------------------------
def he(*shape):
    """Conv/Gemm weights scaled like a trained network's, so activations stay O(1) with depth."""
    fan_in = int(np.prod(shape[1:]))
    return lambda r: (r.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def bn_params(prefix, c):
    return {prefix + "_s": lambda r: r.uniform(0.5, 1.5, c).astype(np.float32),
            prefix + "_b": lambda r: (0.1 * r.standard_normal(c)).astype(np.float32),
            prefix + "_m": lambda r: (0.1 * r.standard_normal(c)).astype(np.float32),
            prefix + "_v": lambda r: r.uniform(0.5, 2.0, c).astype(np.float32)}


def conv_bn_relu(nodes, inits, x, y, name, cin, cout, k=3, stride=1, relu=True):
    inits[name + "_w"] = he(cout, cin, k, k)
    nodes.append(N("Conv", [x, name + "_w"], [name + "_c"], name=name, pads=[k // 2] * 4, strides=[stride, stride]))
    inits.update(bn_params(name + "_bn", cout))
    p = name + "_bn"
    nodes.append(N("BatchNormalization", [name + "_c", p + "_s", p + "_b", p + "_m", p + "_v"],
                   [name + "_n" if relu else y], name=name + "_bn"))
    if relu:
        nodes.append(N("Relu", [name + "_n"], [y], name=name + "_relu"))


def m_mnist8(B):
    # The ONNX model zoo's MNIST-8 (CNTK export): IR 3, every initializer also a graph input,
    # auto_pad SAME_UPPER, Reshape shapes from initializers, a weight reshaped at run time.
    # Before commit da1c7ee: "node 'Convolution28' (Conv): output rank does not match its input".
    inits = {"Parameter5": lambda r: (0.2 * r.standard_normal((8, 1, 5, 5))).astype(np.float32),
             "Parameter6": lambda r: r.standard_normal((8, 1, 1)).astype(np.float32),
             "Parameter87": lambda r: (0.1 * r.standard_normal((16, 8, 5, 5))).astype(np.float32),
             "Parameter88": lambda r: r.standard_normal((16, 1, 1)).astype(np.float32),
             "Pooling160_Output_0_reshape0_shape": i64(1, 256),
             "Parameter193": lambda r: (0.1 * r.standard_normal((16, 4, 4, 10))).astype(np.float32),
             "Parameter193_reshape1_shape": i64(256, 10),
             "Parameter194": lambda r: r.standard_normal((1, 10)).astype(np.float32)}
    conv = dict(kernel_shape=[5, 5], strides=[1, 1], auto_pad="SAME_UPPER", group=1, dilations=[1, 1])
    nodes = [N("Reshape", ["Parameter193", "Parameter193_reshape1_shape"], ["Parameter193_reshape1"], name="Times212_reshape1"),
             N("Conv", ["Input3", "Parameter5"], ["Convolution28_Output_0"], name="Convolution28", **conv),
             N("Add", ["Convolution28_Output_0", "Parameter6"], ["Plus30_Output_0"], name="Plus30"),
             N("Relu", ["Plus30_Output_0"], ["ReLU32_Output_0"], name="ReLU32"),
             N("MaxPool", ["ReLU32_Output_0"], ["Pooling66_Output_0"], name="Pooling66", kernel_shape=[2, 2], strides=[2, 2],
               pads=[0, 0, 0, 0], auto_pad="NOTSET"),
             N("Conv", ["Pooling66_Output_0", "Parameter87"], ["Convolution110_Output_0"], name="Convolution110", **conv),
             N("Add", ["Convolution110_Output_0", "Parameter88"], ["Plus112_Output_0"], name="Plus112"),
             N("Relu", ["Plus112_Output_0"], ["ReLU114_Output_0"], name="ReLU114"),
             N("MaxPool", ["ReLU114_Output_0"], ["Pooling160_Output_0"], name="Pooling160", kernel_shape=[3, 3],
               strides=[3, 3], pads=[0, 0, 0, 0], auto_pad="NOTSET"),
             N("Reshape", ["Pooling160_Output_0", "Pooling160_Output_0_reshape0_shape"], ["Pooling160_Output_0_reshape0"],
               name="Times212_reshape0"),
             N("MatMul", ["Pooling160_Output_0_reshape0", "Parameter193_reshape1"], ["Times212_Output_0"], name="Times212"),
             N("Add", ["Times212_Output_0", "Parameter194"], ["Plus214_Output_0"], name="Plus214")]
    B.add("Model", 8, "mnist_ir3", nodes, [("Input3", (1, 1, 28, 28))], ["Plus214_Output_0"], inits,
          out_shapes={"Plus214_Output_0": [1, 10]})


def m_constantofshape_weights(B):
    # Conv weights made by ConstantOfShape (shape from an initializer / a Constant node), plus a
    # learned delta; a bias of zeros whose length comes from Shape(weight) -> Gather.
    for v in (9, 13, 17):
        nodes = [N("ConstantOfShape", ["ws"], ["w0"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.05])),
                 N("Add", ["w0", "wd"], ["w"]),
                 N("Shape", ["w"], ["s"]), N("Gather", ["s", "zero"], ["c0"], axis=0),
                 N("Unsqueeze", ["c0"] + ([] if v < 13 else ["axes0"]), ["c1"], **({"axes": [0]} if v < 13 else {})),
                 N("ConstantOfShape", ["c1"], ["b"]),
                 N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Relu", ["c"], ["y"])]
        inits = {"ws": i64(4, 2, 3, 3), "wd": he(4, 2, 3, 3), "zero": np.array(0, np.int64)}
        if v >= 13:
            inits["axes0"] = i64(0)
        B.add("Model", v, "constantofshape_weights", nodes, [("x", (1, 2, 6, 6))], ["y"], inits)
    nodes = [N("Constant", [], ["ws"], value=numpy_helper.from_array(i64(3, 2, 3, 3))),
             N("ConstantOfShape", ["ws"], ["w0"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
             N("Mul", ["w0", "scale"], ["w"]), N("Conv", ["x", "w"], ["y"], group=1, pads=[0, 1, 0, 1])]
    B.add("Model", 13, "constantofshape_weights_constant_node", nodes, [("x", (1, 2, 6, 6))], ["y"],
          {"scale": lambda r: r.uniform(-0.2, 0.2, (3, 1, 1, 1)).astype(np.float32)})


def m_initializers_as_inputs(B):
    # Initializers that are also graph inputs (PyTorch's keep_initializers_as_inputs, IR >= 4),
    # declared with their shape, with symbolic dims, or with no shape at all; a Reshape shape
    # among them; a symbolic batch bound to 1.
    for v, how in ((11, "fixed"), (11, "symbolic"), (13, "none")):
        nodes = [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Relu", ["c"], ["r"]),
                 N("Reshape", ["r", "shape"], ["f"]), N("Gemm", ["f", "fw", "fb"], ["y"], transB=1)]
        B.add("Model", v, "initializers_as_inputs_" + how, nodes, [("x", ("N", 2, 5, 5))], ["y"],
              {"w": he(3, 2, 3, 3), "b": lambda r: f32(r, 3), "shape": i64(1, -1), "fw": he(4, 75),
               "fb": lambda r: f32(r, 4)}, inits_as_inputs=how, bind={"x": (1, 2, 5, 5)})


def m_qdq_weight_only(B):
    # A weight-only quantized CNN: int8 per-channel conv weights, uint8 per-tensor FC weights,
    # float activations (onnxruntime's QDQ weight-only export).
    def q8(*shape):
        return lambda r: r.integers(-127, 127, shape, endpoint=True).astype(np.int8)
    nodes = [N("DequantizeLinear", ["w1q", "w1s"], ["w1"], axis=0), N("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
             N("Relu", ["c1"], ["r1"]),
             N("DequantizeLinear", ["w2q", "w2s", "w2z"], ["w2"], axis=0),
             N("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1], strides=[2, 2]), N("Relu", ["c2"], ["r2"]),
             N("GlobalAveragePool", ["r2"], ["g"]), N("Flatten", ["g"], ["f"]),
             N("DequantizeLinear", ["fq", "fs", "fz"], ["fw"]), N("Gemm", ["f", "fw", "fb"], ["y"], transB=1)]
    inits = {"w1q": q8(8, 3, 3, 3), "w1s": lambda r: r.uniform(0.002, 0.006, 8).astype(np.float32),
             "b1": lambda r: f32(r, 8), "w2q": q8(8, 8, 3, 3),
             "w2s": lambda r: r.uniform(0.001, 0.003, 8).astype(np.float32),
             "w2z": lambda r: r.integers(-3, 3, 8).astype(np.int8),
             "fq": lambda r: r.integers(0, 255, (5, 8), endpoint=True).astype(np.uint8),
             "fs": np.array(0.01, np.float32), "fz": np.array(128, np.uint8), "fb": lambda r: f32(r, 5)}
    for v in (13, 21):
        B.add("Model", v, "qdq_weight_only_cnn", nodes, [("x", (1, 3, 12, 12))], ["y"], inits)


def m_opset18(B):
    # MLPerf Tiny's image-classification ResNet-8 shape, as PyTorch's exporter writes it at
    # opset 18: Conv/BN/Relu stages with residual Adds, a strided stage with a 1x1 shortcut,
    # ReduceMean with an axes input as the global pool, Split by num_outputs, Gemm, Softmax.
    nodes, inits = [], {}
    conv_bn_relu(nodes, inits, "x", "s0", "stem", 3, 8)
    conv_bn_relu(nodes, inits, "s0", "a1", "b1a", 8, 8)
    conv_bn_relu(nodes, inits, "a1", "a2", "b1b", 8, 8, relu=False)
    nodes += [N("Add", ["a2", "s0"], ["a3"]), N("Relu", ["a3"], ["s1"])]
    conv_bn_relu(nodes, inits, "s1", "d1", "b2a", 8, 16, stride=2)
    conv_bn_relu(nodes, inits, "d1", "d2", "b2b", 16, 16, relu=False)
    conv_bn_relu(nodes, inits, "s1", "sc", "b2s", 8, 16, k=1, stride=2, relu=False)
    nodes += [N("Add", ["d2", "sc"], ["d3"]), N("Relu", ["d3"], ["s2"]),
              N("Split", ["s2"], ["h0", "h1"], axis=1, num_outputs=2),
              N("Add", ["h0", "h1"], ["hm"]),
              N("ReduceMean", ["hm", "axes"], ["gp"], keepdims=0),
              N("Gemm", ["gp", "fw", "fb"], ["logits"], transB=1), N("Softmax", ["logits"], ["y"], axis=-1)]
    inits.update({"axes": i64(2, 3), "fw": he(10, 8), "fb": lambda r: f32(r, 10)})
    B.add("Model", 18, "resnet8_like", nodes, [("x", (1, 3, 16, 16))], ["y"], inits)


def m_opset19(B):
    # A small segmentation net at opset 19: reflect Pad with an axes input, a dilated
    # AveragePool, a half_pixel_symmetric Resize over axes [2, 3], Identity and Reshape-19, a skip
    # Concat.
    nodes, inits = [], {}
    nodes.append(N("Pad", ["x", "pp", "", "pax"], ["xp"], mode="reflect"))
    inits.update({"pp": i64(1, 1, 1, 1), "pax": i64(2, 3)})
    conv_bn_relu(nodes, inits, "xp", "e1", "enc1", 3, 6)
    nodes += [N("AveragePool", ["e1"], ["p1"], kernel_shape=[2, 2], dilations=[2, 2], strides=[2, 2])]
    conv_bn_relu(nodes, inits, "p1", "e2", "enc2", 6, 6)
    nodes += [N("Resize", ["e2", "", "up"], ["u"], mode="linear", axes=[2, 3],
                coordinate_transformation_mode="half_pixel_symmetric"),
              N("Identity", ["u"], ["ui"]),
              N("Slice", ["e1", "st", "en", "sax"], ["e1c"]),
              N("Concat", ["ui", "e1c"], ["cat"], axis=1)]
    inits.update({"up": fl(2, 2), "st": i64(1, 1), "en": i64(17, 17), "sax": i64(2, 3)})
    conv_bn_relu(nodes, inits, "cat", "d1", "dec1", 12, 4, relu=False)
    nodes += [N("Reshape", ["d1", "rs"], ["y"])]
    inits["rs"] = i64(1, 4, -1)
    B.add("Model", 19, "segmentation_like", nodes, [("x", (1, 3, 16, 16))], ["y"], inits)


def m_opset20(B):
    # A 1-D convolutional autoencoder for anomaly detection, as a deployment framework writes it
    # at opset 20: strided Conv1d encoder, Split by num_outputs, ConstantOfShape-20 weights,
    # Resize over axis 2 only, a ReduceMean-18 score with axes from a Constant node.
    nodes = [N("Conv", ["x", "w1", "b1"], ["e1"], pads=[1, 1], strides=[2]), N("Relu", ["e1"], ["r1"]),
             N("Split", ["r1"], ["ra", "rb"], axis=1, num_outputs=2), N("Mul", ["ra", "rb"], ["g"]),
             N("ConstantOfShape", ["ws"], ["w2"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.1])),
             N("Conv", ["g", "w2"], ["e2"], pads=[1, 1]),
             N("Resize", ["e2", "", "sc"], ["u"], mode="linear", axes=[2]),
             N("Conv", ["u", "w3", "b3"], ["recon"], pads=[2, 2]),
             N("Sub", ["recon", "x"], ["d"]), N("Mul", ["d", "d"], ["d2"]),
             N("Constant", [], ["axes"], value=numpy_helper.from_array(i64(1, 2))),
             N("ReduceMean", ["d2", "axes"], ["score"], keepdims=0)]
    inits = {"w1": he(8, 4, 3), "b1": lambda r: f32(r, 8), "ws": i64(6, 4, 3), "sc": fl(2),
             "w3": he(4, 6, 5), "b3": lambda r: f32(r, 4)}
    B.add("Model", 20, "autoencoder_1d", nodes, [("x", (1, 4, 32))], ["recon", "score"], inits)


def m_opset21(B):
    # A detector head at opset 21: weights dequantized per block (DequantizeLinear-21), Split
    # into uneven chunks by num_outputs, Transpose/Reshape/Flatten/Squeeze/Unsqueeze-21, a Shape
    # chain, Pad-21 with axes, Sigmoid decode.
    def q8(*shape):
        return lambda r: r.integers(-127, 127, shape, endpoint=True).astype(np.int8)
    nodes = [N("DequantizeLinear", ["wq", "ws", "wz"], ["w"], axis=1, block_size=4),
             N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Sigmoid", ["c"], ["sg"]),
             N("Split", ["sg"], ["xy", "wh", "cls"], axis=1, num_outputs=3),
             N("Mul", ["xy", "two"], ["xy2"]), N("Mul", ["wh", "wh"], ["wh2"]),
             N("Concat", ["xy2", "wh2", "cls"], ["dec"], axis=1),
             N("Shape", ["dec"], ["ds"], end=2), N("Concat", ["ds", "m1"], ["ns"], axis=0),
             N("Reshape", ["dec", "ns"], ["flat"]), N("Transpose", ["flat"], ["t"], perm=[0, 2, 1]),
             N("Unsqueeze", ["t", "ax0"], ["tu"]), N("Squeeze", ["tu", "ax0"], ["ts"]),
             N("Pad", ["ts", "pp", "", "pax"], ["tp"]), N("Flatten", ["tp"], ["y"], axis=1)]
    inits = {"wq": q8(8, 8, 3, 3), "ws": lambda r: r.uniform(0.002, 0.006, (8, 2, 3, 3)).astype(np.float32),
             "wz": lambda r: r.integers(-2, 2, (8, 2, 3, 3)).astype(np.int8), "b": lambda r: f32(r, 8),
             "two": np.array(2.0, np.float32), "m1": i64(-1), "ax0": i64(0), "pp": i64(0, 1), "pax": i64(-1)}
    B.add("Model", 21, "detector_head", nodes, [("x", (1, 8, 5, 6))], ["y"], inits)


def m_dtypes(B):
    # int64/bool activations through views (what index and mask tensors need), an int64 tensor
    # where an op takes float32 only, and a float64 model, refused by name.
    for v in (13, 21):
        B.add("Model", v, "int64_input_reshape", [N("Reshape", ["x", "s"], ["y"])], [("x", (2, 3, 4))], ["y"],
              {"s": i64(4, -1)}, data={"x": np.arange(24, dtype=np.int64).reshape(2, 3, 4) * 1000003},
              out_types={"y": TensorProto.INT64}, exact=True)
        B.add("Model", v, "bool_input_flatten", [N("Flatten", ["x"], ["y"], axis=2)], [("x", (2, 3, 4))], ["y"],
              data={"x": np.arange(24).reshape(2, 3, 4) % 3 == 0}, out_types={"y": TensorProto.BOOL}, exact=True)
        B.add("Model", v, "int64_into_relu", [N("Relu", ["x"], ["y"])], [("x", (2, 3))], ["y"],
              data={"x": np.arange(6, dtype=np.int64).reshape(2, 3) - 3}, out_types={"y": TensorProto.INT64})
    B.add("Model", 13, "float64_input", [N("Relu", ["x"], ["y"])], [("x", (2, 3))], ["y"],
          data={"x": np.linspace(-1, 1, 6).reshape(2, 3)}, out_types={"y": TensorProto.DOUBLE})


MODELS = [m_mnist8, m_constantofshape_weights, m_initializers_as_inputs, m_qdq_weight_only, m_opset18, m_opset19,
          m_opset20, m_opset21, m_dtypes]


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
    ops = [op for op in ops if "." not in op]  # com.microsoft ops: test/int8/qop_ops.py
    missing = [op for op in ops if op not in BUILDERS]
    if missing:
        raise SystemExit("gen_opset_models: no builder for claimed op(s) %s" % ", ".join(missing))
    for op in ops:
        for v in versions(op):
            BUILDERS[op](B, op, v)
    for build in MODELS:
        build(B)
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        f.write("# name\top\topset\tthreshold\texpect\tconverts\tcompile_args\n")
        f.write("\n".join(B.rows) + "\n")
    with open(os.path.join(out, "not_tested.tsv"), "w") as f:
        for op, what, why in NOT_TESTED:
            f.write("%s\t%s\t%s\n" % (op, what, why))
    print("gen_opset_models: %d cases in %s" % (len(B.rows), out))


if __name__ == "__main__":
    main(sys.argv[1:])
