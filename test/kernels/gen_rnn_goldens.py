#!/usr/bin/python3
"""Writes test/kernels/rnn_goldens.inc: golden inputs and outputs of the LSTM/GRU/RNN kernel tests
(test/kernels/rnn_test.cpp), produced by onnxruntime (test/oracle/run_ort.js, onnxruntime-node)
on one-node ONNX models; never by TiGrIS code. Each case's attributes are restated by hand in
rnn_test.cpp's params. Regenerate with
    NODE_PATH=build/test/e2e/oracle/node_modules /usr/bin/python3 test/kernels/gen_rnn_goldens.py
(needs numpy, onnx and the oracle's onnxruntime-node: test/oracle/install.sh).
"""
import os
import subprocess
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORACLE = os.path.join(ROOT, "test", "oracle", "run_ort.js")
OUT = os.path.join(ROOT, "test", "kernels", "rnn_goldens.inc")
rng = np.random.default_rng(20250114)
lines = []


def rnd(*shape, scale=1.0):
    # multiples of 1/64 keep the literals short and exact
    return (np.round(rng.standard_normal(shape) * scale * 64) / 64).astype(np.float32)


def fmt(v):
    s = "%.9g" % float(v)
    if "e" not in s and "." not in s and "n" not in s:
        s += ".0"
    return s + "f"


def emit(name, arr):
    arr = np.asarray(arr)
    dims = ", ".join(str(d) for d in arr.shape)
    lines.append("static const std::vector<int32_t> %s_dims = {%s};" % (name, dims))
    if arr.dtype == np.int32:
        vals = ", ".join(str(int(v)) for v in arr.reshape(-1))
        lines.append("static const std::vector<int32_t> %s = {%s};" % (name, vals))
    else:
        vals = ", ".join(fmt(v) for v in arr.astype(np.float32).reshape(-1))
        lines.append("static const std::vector<float> %s = {%s};" % (name, vals))


def ort(op, attrs, inputs, outputs, opset=14):
    """inputs: [(onnx input name or '' for omitted, array, is_initializer)]; outputs: names ('' = omitted)."""
    names, graph_inputs, feeds, inits = [], [], [], []
    for name, arr, is_init in inputs:
        names.append(name)
        if not name:
            continue
        if is_init:
            inits.append(numpy_helper.from_array(arr, name))
        else:
            graph_inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(arr.shape)))
            feeds.append(numpy_helper.from_array(arr, name))
    node = helper.make_node(op, names, outputs, **attrs)
    outs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs if o]
    graph = helper.make_graph([node], "g", graph_inputs, outs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    with tempfile.TemporaryDirectory() as d:
        mp = os.path.join(d, "m.onnx")
        onnx.save(model, mp)
        paths = []
        for i, t in enumerate(feeds):
            p = os.path.join(d, "in%d.pb" % i)
            with open(p, "wb") as f:
                f.write(t.SerializeToString())
            paths.append(p)
        subprocess.run(["node", ORACLE, mp, d] + paths, check=True, stdout=subprocess.DEVNULL)
        return [numpy_helper.to_array(onnx.load_tensor(os.path.join(d, "output_%d.pb" % k)))
                for k in range(len(outs))]


def case(tag, comment, op, attrs, inputs, outputs):
    """layout 1 (which onnxruntime 1.30 does not run): onnxruntime computes the layout-0 node on
    the transposed X and states, and its outputs are transposed back (pure data movement)."""
    lines.append("")
    lines.append("// %s: %s" % (tag, comment))
    for name, arr, _ in inputs:
        if name:
            emit("k%s_%s" % (tag, name), arr)
    batch_major = attrs.get("layout", 0) == 1
    if batch_major:
        attrs = {k: v for k, v in attrs.items() if k != "layout"}
        inputs = [(n, a.transpose(1, 0, 2) if n in ("X", "H0", "C0") else a, i) for n, a, i in inputs]
    results = ort(op, attrs, inputs, outputs)
    for name, arr in zip([o for o in outputs if o], results):
        if batch_major:
            arr = arr.transpose(2, 0, 1, 3) if name == "Y" else arr.transpose(1, 0, 2)
        emit("k%s_%s" % (tag, name), arr)


def lstm_inputs(t, b, i, h, d, layout=0, seq=None, full=True):
    x = rnd(b, t, i) if layout else rnd(t, b, i)
    state = (b, d, h) if layout else (d, b, h)
    ins = [("X", x, False), ("W", rnd(d, 4 * h, i, scale=0.5), True), ("R", rnd(d, 4 * h, h, scale=0.5), True),
           ("B", rnd(d, 8 * h, scale=0.3), True)]
    ins.append(("seq", np.array(seq, np.int32), True) if seq is not None else ("", None, True))
    if full:
        ins += [("H0", rnd(*state, scale=0.5), False), ("C0", rnd(*state, scale=0.5), False),
                ("P", rnd(d, 3 * h, scale=0.5), True)]
    return ins


# LSTM: both directions, every optional input, a shorter sequence in batch row 1, all outputs.
case("LstmBidir", "LSTM bidirectional T4 B2 I3 H3, B, sequence_lens [4, 2], initial_h/c, P; Y, Y_h, Y_c",
     "LSTM", {"hidden_size": 3, "direction": "bidirectional"}, lstm_inputs(4, 2, 3, 3, 2, seq=[4, 2]),
     ["Y", "Y_h", "Y_c"])
# LSTM: batch-major layout, coupled forget gate, clip, non-default activations with alpha/beta.
case("LstmLayout1", "LSTM layout 1 T3 B2 I2 H2, input_forget, clip 0.6, activations HardSigmoid(0.3, 0.6) "
     "LeakyRelu(0.2) Softsign, no initial state; Y_h, Y_c",
     "LSTM", {"hidden_size": 2, "layout": 1, "input_forget": 1, "clip": 0.6,
              "activations": ["HardSigmoid", "LeakyRelu", "Softsign"], "activation_alpha": [0.3, 0.2],
              "activation_beta": [0.6]},
     lstm_inputs(3, 2, 2, 2, 1, layout=1, full=False), ["", "Y_h", "Y_c"])


def gru_inputs(t, b, i, h, d, layout=0, seq=None):
    x = rnd(b, t, i) if layout else rnd(t, b, i)
    state = (b, d, h) if layout else (d, b, h)
    ins = [("X", x, False), ("W", rnd(d, 3 * h, i, scale=0.5), True), ("R", rnd(d, 3 * h, h, scale=0.5), True),
           ("B", rnd(d, 6 * h, scale=0.3), True)]
    ins.append(("seq", np.array(seq, np.int32), True) if seq is not None else ("", None, True))
    ins.append(("H0", rnd(*state, scale=0.5), False))
    return ins


# GRU: reverse with lengths 4, 1 and 0 (Y_h of an empty sequence is 0).
case("GruReverse", "GRU reverse T4 B3 I2 H3, B, sequence_lens [4, 1, 0], initial_h; Y, Y_h",
     "GRU", {"hidden_size": 3, "direction": "reverse"}, gru_inputs(4, 3, 2, 3, 1, seq=[4, 1, 0]), ["Y", "Y_h"])
# GRU: linear_before_reset, both directions, batch-major, clip, other activations per direction.
case("GruLbr", "GRU linear_before_reset bidirectional layout 1 T3 B2 I3 H2, clip 1.5, activations Sigmoid Tanh "
     "HardSigmoid(0.25, 0.4) Elu(0.8); Y, Y_h",
     "GRU", {"hidden_size": 2, "direction": "bidirectional", "layout": 1, "linear_before_reset": 1, "clip": 1.5,
             "activations": ["Sigmoid", "Tanh", "HardSigmoid", "Elu"], "activation_alpha": [0.25, 0.8],
             "activation_beta": [0.4]},
     gru_inputs(3, 2, 3, 2, 2, layout=1), ["Y", "Y_h"])


def rnn_inputs(t, b, i, h, d, seq=None):
    ins = [("X", rnd(t, b, i), False), ("W", rnd(d, h, i, scale=0.5), True), ("R", rnd(d, h, h, scale=0.5), True),
           ("B", rnd(d, 2 * h, scale=0.3), True)]
    ins.append(("seq", np.array(seq, np.int32), True) if seq is not None else ("", None, True))
    ins.append(("H0", rnd(d, b, h, scale=0.5), False))
    return ins


# RNN: both directions with lengths [3, 2], Relu forward, Tanh backward.
case("RnnBidir", "RNN bidirectional T3 B2 I2 H3, B, sequence_lens [3, 2], initial_h, activations Relu Tanh; Y, Y_h",
     "RNN", {"hidden_size": 3, "direction": "bidirectional", "activations": ["Relu", "Tanh"]},
     rnn_inputs(3, 2, 2, 3, 2, seq=[3, 2]), ["Y", "Y_h"])

with open(OUT, "w") as f:
    f.write("// Generated by test/kernels/gen_rnn_goldens.py (onnxruntime); do not edit.\n")
    f.write("// Expected values come from onnxruntime, never from TiGrIS code.\n")
    f.write("#pragma once\n#include <cstdint>\n#include <vector>\n")
    f.write("\n".join(lines) + "\n")
print("wrote", OUT)
