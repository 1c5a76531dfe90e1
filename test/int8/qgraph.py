"""Quantized-graph structure shared by the int8 harness (layerwise.py) and its numpy TFLite
candidate (tflite_int8.py): element types, which tensors are quantized activations, the op groups
between them, and sub-models that compute one group from its int8 inputs.

A *quantized activation* is a tensor that depends on a graph input and has type int8 or uint8:
the output of an activation QuantizeLinear in a QDQ graph, of a QLinear* op in a QOperator graph,
or of data movement on those (a Transpose of int8 stays int8), or a quantized graph input. A
*group* computes one quantized activation from others: the node that writes it and, walking
back, every node up to quantized activations, float graph inputs and initializers. In a QDQ
graph that is `DequantizeLinear(s) -> op [-> Relu/Clip] -> QuantizeLinear` with the weight and
bias DequantizeLinears (and a QAT export's QuantizeLinear of a float weight, a Shape chain
feeding a Reshape); in a QOperator graph usually the single QLinear node.
"""

import collections

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NP_OF = {TensorProto.FLOAT: np.dtype(np.float32), TensorProto.UINT8: np.dtype(np.uint8),
         TensorProto.INT8: np.dtype(np.int8), TensorProto.INT32: np.dtype(np.int32),
         TensorProto.INT64: np.dtype(np.int64), TensorProto.BOOL: np.dtype(np.bool_),
         TensorProto.DOUBLE: np.dtype(np.float64), TensorProto.UINT16: np.dtype(np.uint16),
         TensorProto.INT16: np.dtype(np.int16)}
ONNX_OF = {v: k for k, v in NP_OF.items()}
QUANT_DTYPES = (np.dtype(np.int8), np.dtype(np.uint8))

# index of the output zero point among a quantized op's inputs: its output type is that type
Y_ZP_INDEX = {"QuantizeLinear": 2, "QLinearConv": 7, "QLinearMatMul": 7, "QLinearAdd": 7, "QLinearMul": 7,
              "QLinearGlobalAveragePool": 4, "QLinearAveragePool": 4, "QLinearSigmoid": 4,
              "QLinearLeakyRelu": 4, "QLinearSoftmax": 4, "QGemm": 8, "QLinearConcat": 1}
FLOAT_OUT = {"DequantizeLinear", "Softmax", "Sigmoid", "Tanh", "Exp", "Erf"}
INT64_OUT = {"Shape", "Size", "NonZero", "ArgMax", "ArgMin"}


def op_key(node):
    return node.op_type if node.domain in ("", "ai.onnx") else "%s.%s" % (node.domain, node.op_type)


class QGraph:
    """Element types, producers and groups of a (QDQ or QOperator) model."""

    def __init__(self, model):
        self.model = model
        g = model.graph
        self.inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.inits]
        self.outputs = [o.name for o in g.output]
        self.producer = {}
        self.index = {}
        for i, n in enumerate(g.node):
            for o in n.output:
                if o:
                    self.producer[o] = n
                    self.index[o] = i
        self.dtype = self._dtypes()
        self.dynamic = self._dynamic()
        self.quantized = [t for t in self.dynamic if self.dtype.get(t) in QUANT_DTYPES]
        self.groups = self._groups()

    def _dtypes(self):
        g = self.model.graph
        dt = {k: v.dtype for k, v in self.inits.items()}
        for vi in list(g.input) + list(g.output) + list(g.value_info):
            if vi.type.tensor_type.elem_type in NP_OF:
                dt.setdefault(vi.name, NP_OF[vi.type.tensor_type.elem_type])
        for n in g.node:
            if not n.output or not n.output[0]:
                continue
            if n.op_type in Y_ZP_INDEX:
                k = Y_ZP_INDEX[n.op_type]
                if n.op_type == "QLinearConcat":
                    t = dt.get(n.input[2]) if len(n.input) > 2 else None
                else:
                    t = dt.get(n.input[k]) if len(n.input) > k and n.input[k] else np.dtype(np.uint8)
            elif n.op_type in FLOAT_OUT:
                t = np.dtype(np.float32)
            elif n.op_type in INT64_OUT:
                t = np.dtype(np.int64)
            elif n.op_type == "Constant":
                t = numpy_helper.to_array(n.attribute[0].t).dtype if n.attribute[0].type == onnx.AttributeProto.TENSOR \
                    else None
            elif n.op_type == "Cast":
                t = NP_OF.get(helper.get_attribute_value(n.attribute[0]))
            else:
                t = dt.get(n.input[0]) if n.input and n.input[0] else np.dtype(np.float32)
            for o in n.output:
                if o and t is not None:
                    dt.setdefault(o, t)
        return dt

    def _dynamic(self):
        dyn = list(self.inputs)
        seen = set(dyn)
        for n in self.model.graph.node:
            if any(t in seen for t in n.input if t):
                for o in n.output:
                    if o and o not in seen:
                        seen.add(o)
                        dyn.append(o)
        return dyn

    def _groups(self):
        qset = set(self.quantized)
        groups = []
        for t in self.quantized:
            if t in self.inputs:
                continue
            nodes, ins, stack, seen = [], [], [self.producer[t]], set()
            while stack:
                n = stack.pop()
                if id(n) in seen:
                    continue
                seen.add(id(n))
                nodes.append(n)
                for x in n.input:
                    if not x or x in self.inits:
                        continue
                    if x in qset or x in self.inputs:
                        if x not in ins:
                            ins.append(x)
                    else:
                        stack.append(self.producer[x])
            nodes.sort(key=lambda nd: self.index[nd.output[0]])
            ins.sort(key=lambda x: -1 if x in self.inputs else self.index[x])
            groups.append(Group(t, nodes, ins))
        return groups

    def submodel(self, group, shapes):
        """A model computing group.output from group.inputs; shapes: {tensor: shape} of them."""
        used = {x for n in group.nodes for x in n.input if x in self.inits}
        inits = [t for t in self.model.graph.initializer if t.name in used]

        def vi(name):
            return helper.make_tensor_value_info(name, ONNX_OF[self.dtype[name]], list(shapes[name]))

        g = helper.make_graph(group.nodes, "group_" + group.output.replace("/", "_"),
                              [vi(x) for x in group.inputs], [vi(group.output)], inits)
        m = helper.make_model(g, opset_imports=list(self.model.opset_import))
        m.ir_version = self.model.ir_version
        return m

    def exposed(self, extra):
        """The model with every tensor in `extra` also a graph output (type only, no shape)."""
        m = onnx.ModelProto()
        m.CopyFrom(self.model)
        have = {o.name for o in m.graph.output}
        for t in extra:
            if t not in have and t not in self.inputs:
                m.graph.output.append(helper.make_tensor_value_info(t, ONNX_OF[self.dtype[t]], None))
        return m


class Group:
    def __init__(self, output, nodes, inputs):
        self.output, self.nodes, self.inputs = output, nodes, inputs

    def ops(self):
        """The group's computing ops (not its Q/DQ, constants or shape arithmetic)."""
        skip = {"QuantizeLinear", "DequantizeLinear", "Constant", "Shape", "Gather", "Unsqueeze", "Concat"}
        main = [op_key(n) for n in self.nodes if n.op_type not in skip]
        if not main:  # a Concat of activations, or a lone Quantize
            main = [op_key(n) for n in self.nodes if n.op_type not in ("DequantizeLinear", "Constant")]
        return main


def counts(groups):
    return collections.Counter("+".join(g.ops()) for g in groups)
