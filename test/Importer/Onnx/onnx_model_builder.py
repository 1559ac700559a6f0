"""Builds small ONNX models for importer tests (imported by the lit tests here).

Usage in a test:  build(path, nodes, inputs, outputs, initializers=[], opset=17)
where inputs/outputs are (name, elem_type, shape) tuples; shape entries may be
ints or strings (symbolic dims).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT
F64 = TensorProto.DOUBLE
F16 = TensorProto.FLOAT16
I64 = TensorProto.INT64
I32 = TensorProto.INT32
BOOL = TensorProto.BOOL


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def build(path, nodes, inputs, outputs, initializers=(), opset=17, ir_version=8,
          training_opset=None):
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        list(initializers))
    opsets = [helper.make_opsetid("", opset)]
    if training_opset:
        opsets.append(helper.make_opsetid("ai.onnx.preview.training", training_opset))
    model = helper.make_model(graph, opset_imports=opsets, ir_version=ir_version)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def out_path():
    return sys.argv[1]
