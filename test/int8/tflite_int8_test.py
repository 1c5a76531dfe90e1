#!/usr/bin/python3
"""Tests of the numpy TFLite integer model (tflite_int8.py) and the group finder (qgraph.py).

- the fixed-point primitives on hand-derived values (gemmlowp/TFLite definitions);
- the same primitives against test/kernels/gen_s8_model_cases.py, an independent Python-integer
  model of the same semantics written for the kernel tests, on random values;
- Conv (plain, strided/padded, depthwise with multiplier, grouped), FullyConnected, Add, Mean and
  AveragePool against scalar loops written like TFLite's reference kernels;
- that TFLite's requantization stays within 1 LSB of the exactly rounded value;
- qgraph's groups on a small QDQ graph (a QAT-style weight QuantizeLinear, a Shape chain).

Usage: /usr/bin/python3 test/int8/tflite_int8_test.py   (exit 0 when all pass)
"""

import os
import sys
import unittest

import numpy as np
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "kernels"))
import qgraph  # noqa: E402
import tflite_int8 as T  # noqa: E402

try:
    import gen_s8_model_cases as K  # the kernel tests' model, another implementation
except ImportError:  # pragma: no cover
    K = None

I32MIN, I32MAX = -(1 << 31), (1 << 31) - 1


class Primitives(unittest.TestCase):
    def test_srdhm(self):
        self.assertEqual(int(T.srdhm(I32MIN, I32MIN)), I32MAX)
        self.assertEqual(int(T.srdhm(1 << 30, 1 << 30)), 1 << 29)
        self.assertEqual(int(T.srdhm(100, 1 << 30)), 50)     # 50 exactly
        self.assertEqual(int(T.srdhm(101, 1 << 30)), 51)     # 50.5 rounds up
        self.assertEqual(int(T.srdhm(-101, 1 << 30)), -50)   # -50.5 rounds up too
        self.assertEqual(int(T.srdhm(-103, 1 << 30)), -51)   # -51.5 -> -51
        self.assertEqual(int(T.srdhm(I32MAX, I32MAX)), I32MAX - 1)

    def test_rdbpot(self):
        self.assertEqual([int(T.rdbpot(v, 1)) for v in (5, -5, 4, -4, 3, -3)], [3, -3, 2, -2, 2, -2])
        self.assertEqual(int(T.rdbpot(-6, 2)), -2)   # -1.5 -> -2 (half away from zero)
        self.assertEqual(int(T.rdbpot(6, 2)), 2)
        self.assertEqual(int(T.rdbpot(-5, 2)), -1)   # -1.25 -> -1
        self.assertEqual(int(T.rdbpot(7, 0)), 7)
        np.testing.assert_array_equal(T.rdbpot(np.array([10, 10, -10]), np.array([0, 2, 2])), [10, 3, -3])

    def test_quantize_multiplier(self):
        self.assertEqual(T.quantize_multiplier(0.0), (0, 0))
        self.assertEqual(T.quantize_multiplier(0.5), (1 << 30, 0))
        self.assertEqual(T.quantize_multiplier(1.0), (1 << 30, 1))
        self.assertEqual(T.quantize_multiplier(0.75), (1610612736, 0))
        self.assertEqual(T.quantize_multiplier(2.0 ** -40), (0, 0))
        self.assertEqual(T.quantize_multiplier(2.0 ** 40), (I32MAX, 30))
        # a mantissa that rounds to 2^31 halves with the shift + 1
        self.assertEqual(T.quantize_multiplier(1.0 - 2.0 ** -40), (1 << 30, 1))

    def test_mbqm(self):
        m, s = T.quantize_multiplier(0.5)
        self.assertEqual(int(T.mbqm(7, m, s)), 4)     # 3.5 rounds up in SRDHM
        m, s = T.quantize_multiplier(0.25)            # (2^30, -1): right shift 1
        self.assertEqual([int(T.mbqm(v, m, s)) for v in (6, -6, 2, -2)], [2, -2, 1, -1])
        m, s = T.quantize_multiplier(3.0)             # left shift 2
        self.assertEqual(int(T.mbqm(1000, m, s)), 3000)
        # the left shift saturates at INT32_MAX before the multiply by 0.75
        self.assertEqual(int(T.mbqm(I32MAX, m, s)), 1610612735)

    def test_round_div(self):
        self.assertEqual([int(T.round_div(v, 4)) for v in (6, -6, 5, -5, 7, -7)], [2, -2, 1, -1, 2, -2])
        np.testing.assert_array_equal(T.round_div_arr(np.array([6, 6, -9]), np.array([4, 3, 6])), [2, 2, -2])

    @unittest.skipIf(K is None, "test/kernels/gen_s8_model_cases.py not importable")
    def test_against_the_kernel_tests_model(self):
        rng = np.random.default_rng(8)
        a = rng.integers(I32MIN, I32MAX, size=4000, endpoint=True)
        b = rng.integers(I32MIN, I32MAX, size=4000, endpoint=True)
        a[:3], b[:3] = I32MIN, [I32MIN, I32MAX, -1]
        got = T.srdhm(a, b)
        self.assertEqual(list(got), [K.srdhm(int(x), int(y)) for x, y in zip(a, b)])
        e = rng.integers(0, 31, size=4000)
        self.assertEqual(list(T.rdbpot(a, e)), [K.rdbpot(int(x), int(y)) for x, y in zip(a, e)])
        reals = np.exp(rng.uniform(np.log(1e-11), np.log(1e10), size=3000))
        for r in reals:
            self.assertEqual(T.quantize_multiplier(r), K.quantize_multiplier(float(r)), r)
        x = rng.integers(-(1 << 24), 1 << 24, size=3000)
        for xv, r in zip(x, reals):
            m, s = T.quantize_multiplier(r)
            self.assertEqual(int(T.mbqm(xv, m, s)), K.requant(int(xv), m, s), (xv, r))
        n = rng.integers(1, 5000, size=3000)
        self.assertEqual(list(T.round_div_arr(x, n)), [K.div_round(int(v), int(k)) for v, k in zip(x, n)])

    def test_requant_within_one_lsb_of_exact(self):
        rng = np.random.default_rng(9)
        acc = rng.integers(-(1 << 22), 1 << 22, size=20000)
        real = np.exp(rng.uniform(np.log(1e-6), np.log(0.9), size=acc.size))
        got = np.array([int(T.mbqm(v, *T.quantize_multiplier(r))) for v, r in zip(acc, real)])
        exact = np.floor(acc * real + 0.5)
        self.assertLessEqual(int(np.abs(got - exact).max()), 1)


# -- scalar references written like TFLite's reference kernels ---------------------------------

def ref_conv(x, x_zp, w, bias, real, y_zp, lo, hi, stride, pads, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    t, left, b, r = pads
    oh = (h + t + b - kh) // stride + 1
    ow = (wd + left + r - kw) // stride + 1
    y = np.zeros((n, m, oh, ow), np.int64)
    mg = m // group
    for oc in range(m):
        mult, shift = T.quantize_multiplier(real[oc])
        g = oc // mg
        for i in range(oh):
            for j in range(ow):
                acc = 0
                for ic in range(cg):
                    for u in range(kh):
                        for v in range(kw):
                            yy, xx = i * stride - t + u, j * stride - left + v
                            if 0 <= yy < h and 0 <= xx < wd:
                                acc += (int(x[0, g * cg + ic, yy, xx]) - x_zp) * int(w[oc, ic, u, v])
                acc += int(bias[oc])
                out = int(T.mbqm(acc, mult, shift)) + y_zp
                y[0, oc, i, j] = min(max(out, lo), hi)
    return y


class Ops(unittest.TestCase):
    def conv_case(self, seed, c, m, k, stride, pads, group):
        rng = np.random.default_rng(seed)
        x = rng.integers(-128, 128, size=(1, c, 7, 6))
        w = rng.integers(-127, 128, size=(m, c // group, k, k))
        bias = rng.integers(-3000, 3000, size=m)
        x_s, y_s = 0.02, 0.05
        w_s = rng.uniform(0.001, 0.01, size=m)
        real = x_s * w_s / y_s
        x_zp, y_zp = -3, 5
        lo, hi = -100, 127
        want = ref_conv(x, x_zp, w, bias, real, y_zp, lo, hi, stride, pads, group)
        acc = T.int_conv(x, x_zp, w, np.zeros(m), bias, (stride, stride), pads, group)
        got = T.requant_out(acc, real, y_zp, lo, hi, axis=1, ndim=4)
        np.testing.assert_array_equal(got, want)

    def test_conv(self):
        self.conv_case(1, 3, 4, 3, 1, [1, 1, 1, 1], 1)
        self.conv_case(2, 3, 5, 3, 2, [0, 1, 2, 0], 1)

    def test_depthwise_and_grouped(self):
        self.conv_case(3, 4, 4, 3, 1, [1, 1, 1, 1], 4)   # depthwise
        self.conv_case(4, 3, 6, 3, 2, [1, 0, 1, 1], 3)   # multiplier 2
        self.conv_case(5, 4, 6, 1, 1, [0, 0, 0, 0], 2)   # grouped

    def test_fully_connected(self):
        rng = np.random.default_rng(6)
        a = rng.integers(-128, 128, size=(2, 9))
        b = rng.integers(-127, 128, size=(9, 4))
        bias = rng.integers(-500, 500, size=4)
        real = rng.uniform(1e-4, 1e-2, size=4)
        got = T.requant_out(T.int_matmul(a, 7, b, np.zeros(4), bias), real, -2, -128, 127, axis=1, ndim=2)
        for i in range(2):
            for j in range(4):
                acc = sum((int(a[i, k]) - 7) * int(b[k, j]) for k in range(9)) + int(bias[j])
                want = min(max(int(T.mbqm(acc, *T.quantize_multiplier(real[j]))) - 2, -128), 127)
                self.assertEqual(int(got[i, j]), want)

    def test_add(self):
        rng = np.random.default_rng(7)
        a = rng.integers(-128, 128, size=50)
        b = rng.integers(-128, 128, size=50)
        a_s, b_s, y_s = 0.03, 0.011, 0.04
        got = T.int_add(a, a_s, 4, b, b_s, -9, y_s, 3, -128, 127)
        tw = 2 * max(a_s, b_s)
        m1, s1 = T.quantize_multiplier(a_s / tw)
        m2, s2 = T.quantize_multiplier(b_s / tw)
        mo, so = T.quantize_multiplier(tw / ((1 << 20) * y_s))
        for k in range(50):
            sa = int(T.mbqm((int(a[k]) - 4) << 20, m1, s1))
            sb = int(T.mbqm((int(b[k]) + 9) << 20, m2, s2))
            want = min(max(int(T.mbqm(sa + sb, mo, so)) + 3, -128), 127)
            self.assertEqual(int(got[k]), want)
            exact = ((int(a[k]) - 4) * a_s + (int(b[k]) + 9) * b_s) / y_s + 3
            self.assertLessEqual(abs(int(got[k]) - min(max(np.floor(exact + 0.5), -128), 127)), 1)

    def test_mean_and_avgpool(self):
        rng = np.random.default_rng(8)
        x = rng.integers(-128, 128, size=(1, 3, 5, 4))
        got = T.int_mean(x, [2, 3], 0.05, -10, 0.02, 7, -128, 127, True)
        m, s = T.quantize_multiplier(0.05 / 0.02)
        for c in range(3):
            acc = int(sum(int(v) + 10 for v in x[0, c].reshape(-1)))
            want = min(max(int(T.round_div(int(T.mbqm(acc, m, s)), 20)) + 7, -128), 127)
            self.assertEqual(int(got[0, c, 0, 0]), want)
        total, cnt = T.int_avgpool(x, (3, 3), (2, 2), [1, 1, 1, 1], 0)
        y = T.round_div_arr(total, cnt)
        # the corner window sees 2x2 valid taps
        self.assertEqual(int(y[0, 0, 0, 0]), int(T.round_div(int(x[0, 0, :2, :2].sum()), 4)))
        self.assertEqual(int(y[0, 1, 1, 1]), int(T.round_div(int(x[0, 1, 1:4, 1:4].sum()), 9)))


class Groups(unittest.TestCase):
    def test_qdq_groups(self):
        i8 = TensorProto.INT8
        inits = [numpy_helper.from_array(np.array(0.1, np.float32), "s"),
                 numpy_helper.from_array(np.array(0, np.int8), "z"),
                 numpy_helper.from_array(np.ones((2, 1, 1, 1), np.float32), "w"),
                 numpy_helper.from_array(np.array([0.5, 0.5], np.float32), "ws"),
                 numpy_helper.from_array(np.zeros(2, np.int8), "wz"),
                 numpy_helper.from_array(np.array([0], np.int64), "idx"),
                 numpy_helper.from_array(np.array([-1], np.int64), "minus1")]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"]),
                 helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["xd"]),
                 helper.make_node("QuantizeLinear", ["w", "ws", "wz"], ["wq"], axis=0),   # QAT weight
                 helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], axis=0),
                 helper.make_node("Conv", ["xd", "wd"], ["c"]),
                 helper.make_node("Relu", ["c"], ["r"]),
                 helper.make_node("QuantizeLinear", ["r", "s", "z"], ["rq"]),
                 helper.make_node("DequantizeLinear", ["rq", "s", "z"], ["rd"]),
                 helper.make_node("Shape", ["rd"], ["sh"]),
                 helper.make_node("Gather", ["sh", "idx"], ["sh2"]),
                 helper.make_node("Concat", ["sh2", "minus1"], ["sh3"], axis=0),
                 helper.make_node("Reshape", ["rd", "sh3"], ["f"]),
                 helper.make_node("QuantizeLinear", ["f", "s", "z"], ["fq"])]
        g = helper.make_graph(nodes, "t", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2])],
                              [helper.make_tensor_value_info("fq", i8, None)], inits)
        qg = qgraph.QGraph(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]))
        self.assertEqual(qg.quantized, ["xq", "rq", "fq"])
        got = [(x.output, x.inputs, [n.op_type for n in x.nodes]) for x in qg.groups]
        self.assertEqual(got, [
            ("xq", ["x"], ["QuantizeLinear"]),
            ("rq", ["xq"], ["DequantizeLinear", "QuantizeLinear", "DequantizeLinear", "Conv", "Relu",
                            "QuantizeLinear"]),
            ("fq", ["rq"], ["DequantizeLinear", "Shape", "Gather", "Concat", "Reshape", "QuantizeLinear"])])
        self.assertEqual(qg.groups[1].ops(), ["Conv", "Relu"])
        self.assertEqual(qg.groups[2].ops(), ["Reshape"])
        # the QAT group on the integer path: Conv 1x1 weight 1.0 (q 2 at 0.5), Relu clamp
        x = np.array([[[[-0.3, 0.1], [0.2, 0.45]]]], np.float32)
        outs, how = T.run_model(qg.model, {"x": x})
        self.assertEqual(how["rq"], "int:Conv")
        np.testing.assert_array_equal(outs["fq"], np.array([[0, 1, 2, 4, 0, 1, 2, 4]], np.int8))


if __name__ == "__main__":
    unittest.main()
