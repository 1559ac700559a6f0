# Reduce* (axes attribute vs input, keepdims, noop_with_empty_axes, empty axes)
# ArgMax/ArgMin and Hardmax.
# RUN: %python %s %t.mean18.onnx mean18 && %dlcc %t.mean18.onnx --emit=mlir | FileCheck %s --check-prefix=MEAN18
# RUN: %python %s %t.sum11.onnx sum11 && %dlcc %t.sum11.onnx --emit=mlir | FileCheck %s --check-prefix=SUM11
# RUN: %python %s %t.noop.onnx noop && %dlcc %t.noop.onnx --emit=mlir | FileCheck %s --check-prefix=NOOP
# RUN: %python %s %t.empty-input.onnx empty-input && %dlcc %t.empty-input.onnx --emit=mlir | FileCheck %s --check-prefix=EMPTY-INPUT
# RUN: %python %s %t.variants.onnx variants && %dlcc %t.variants.onnx --emit=mlir | FileCheck %s --check-prefix=VARIANTS
# RUN: %python %s %t.host.onnx host && %dlcc %t.host.onnx --emit=mlir | FileCheck %s --check-prefix=HOST
# RUN: %python %s %t.argmax.onnx argmax && %dlcc %t.argmax.onnx --emit=mlir | FileCheck %s --check-prefix=ARGMAX
# RUN: %python %s %t.bad-axes.onnx bad-axes && not %dlcc %t.bad-axes.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-AXES
# RUN: %python %s %t.bad-dup.onnx bad-dup && not %dlcc %t.bad-dup.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-DUP
# RUN: %python %s %t.bad-range.onnx bad-range && not %dlcc %t.bad-range.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-RANGE
# RUN: %python %s %t.hardmax.onnx hardmax && %dlcc %t.hardmax.onnx --emit=mlir | FileCheck %s --check-prefix=HARDMAX
import sys

import numpy as np
from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node
axes = lambda name, values: tensor(name, np.array(values, np.int64))

if case == "mean18":
    # ReduceMean-18 takes its axes as an input; mean = sum * 1/count, then
    # the reduced dimensions are kept as 1.
    # MEAN18: %[[K:.*]] = dlcc.constant dense<0.0833333358> : tensor<3xf32>
    # MEAN18: %[[S:.*]] = dlcc.reduce sum %{{.*}}, dims = [0, 2] : (tensor<2x3x6xf32>) -> tensor<3xf32>
    # MEAN18: %[[M:.*]] = dlcc.mul %[[S]], %[[K]] : tensor<3xf32>
    # MEAN18: dlcc.reshape %[[M]] : (tensor<3xf32>) -> tensor<1x3x1xf32>
    build(path, [node("ReduceMean", ["x", "axes"], ["y"])],
          [("x", F32, [2, 3, 6])], [("y", F32, [1, 3, 1])], [axes("axes", [-1, 0])], opset=18)
elif case == "sum11":
    # ReduceSum-11 takes an axes attribute; no axes reduces everything.
    # SUM11: dlcc.reduce sum %{{.*}}, dims = [1] : (tensor<2x3x6xf32>) -> tensor<2x6xf32>
    # SUM11: dlcc.reduce sum %{{.*}}, dims = [0, 1, 2] : (tensor<2x3x6xf32>) -> tensor<f32>
    build(path, [node("ReduceSum", ["x"], ["y"], axes=[1], keepdims=0),
                 node("ReduceSum", ["x"], ["z"], keepdims=0)],
          [("x", F32, [2, 3, 6])], [("y", F32, [2, 6]), ("z", F32, [])], opset=11)
elif case == "noop":
    # Empty axes with noop_with_empty_axes: the input itself. Without it:
    # everything, kept as 1x1.
    # NOOP: %[[S:.*]] = dlcc.reduce max %arg0, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<f32>
    # NOOP: %[[R:.*]] = dlcc.reshape %[[S]] : (tensor<f32>) -> tensor<1x1xf32>
    # NOOP: return %arg0, %[[R]]
    build(path, [node("ReduceSum", ["x", "e"], ["y"], noop_with_empty_axes=1),
                 node("ReduceMax", ["x", "e"], ["z"])],
          [("x", F32, [2, 3])], [("y", F32, [2, 3]), ("z", F32, [1, 1])],
          [axes("e", np.zeros([0], np.int64))], opset=18)
elif case == "empty-input":
    # An axes graph input of shape [0] is empty whatever its runtime value.
    # EMPTY-INPUT: dlcc.reduce sum %arg0, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<f32>
    build(path, [node("ReduceSum", ["x", "a"], ["y"], keepdims=0)],
          [("x", F32, [2, 3]), ("a", I64, [0])], [("y", F32, [])], opset=13)
elif case == "variants":
    # VARIANTS: %[[A:.*]] = dlcc.abs %arg0
    # VARIANTS: dlcc.reduce sum %[[A]], dims = [1]
    # VARIANTS: %[[SQ:.*]] = dlcc.mul %arg0, %arg0
    # VARIANTS: %[[SS:.*]] = dlcc.reduce sum %[[SQ]], dims = [1]
    # VARIANTS: dlcc.sqrt %[[SS]]
    # VARIANTS: %[[MX:.*]] = dlcc.reduce max %arg0, dims = [1]
    # VARIANTS: dlcc.exp
    # VARIANTS: dlcc.log
    # VARIANTS: dlcc.reduce prod %arg0, dims = [1]
    # VARIANTS: dlcc.reduce min %arg0, dims = [1]
    build(path, [node("ReduceL1", ["x"], ["a"], axes=[1]),
                 node("ReduceL2", ["x"], ["b"], axes=[1]),
                 node("ReduceLogSumExp", ["x"], ["c"], axes=[1]),
                 node("ReduceProd", ["x"], ["d"], axes=[1]),
                 node("ReduceMin", ["x"], ["e"], axes=[1])],
          [("x", F32, [2, 3])],
          [(o, F32, [2, 1]) for o in "abcde"], opset=13)
elif case == "host":
    # Shape arithmetic on constants is evaluated at import time:
    # prod(shape(x)[1:]) = 12.
    # HOST-NOT: dlcc.reduce
    # HOST: dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    build(path, [node("Shape", ["x"], ["s"]),
                 node("Slice", ["s", "one", "end"], ["tail"]),
                 node("ReduceProd", ["tail"], ["n"], keepdims=1),
                 node("Concat", ["minus1", "n"], ["shape"], axis=0),
                 node("Reshape", ["x", "shape"], ["y"])],
          [("x", F32, [2, 3, 4])], [("y", F32, [2, 12])],
          [axes("one", [1]), axes("end", [3]), axes("minus1", [-1])], opset=13)
elif case == "argmax":
    # ARGMAX: dlcc.arg_reduce argmax %{{.*}}, dim = 1 {select_last_index} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
    # ARGMAX: %[[I:.*]] = dlcc.arg_reduce argmin %{{.*}}, dim = 2 : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
    # ARGMAX: dlcc.reshape %[[I]] : (tensor<2x3xi64>) -> tensor<2x3x1xi64>
    build(path, [node("ArgMax", ["x"], ["a"], axis=1, keepdims=0, select_last_index=1),
                 node("ArgMin", ["x"], ["b"], axis=-1)],
          [("x", F32, [2, 3, 4])], [("a", I64, [2, 4]), ("b", I64, [2, 3, 1])], opset=13)
elif case == "bad-axes":
    # BAD-AXES: (ReduceMean-18): the 'axes' input ('a') must be known at compile time
    build(path, [node("ReduceMean", ["x", "a"], ["y"])],
          [("x", F32, [2, 3]), ("a", I64, [1])], [("y", F32, [2, 1])], opset=18)
elif case == "bad-dup":
    # BAD-DUP: (ReduceSum-11): axes [1, -1] name dimension 1 twice
    build(path, [node("ReduceSum", ["x"], ["y"], axes=[1, -1])],
          [("x", F32, [2, 3])], [("y", F32, [2, 1])], opset=11)
elif case == "bad-range":
    # BAD-RANGE: (ArgMax-13): axis 2 is out of range for rank 2
    build(path, [node("ArgMax", ["x"], ["y"], axis=2)],
          [("x", F32, [2, 3])], [("y", I64, [2, 1])], opset=13)
elif case == "hardmax":
    # Hardmax-11 sees the input as 2-D at axis 1: [2, 12]; one-hot of the
    # first maximum (argmax == iota).
    # HARDMAX: %[[F:.+]] = dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    # HARDMAX: %[[A:.+]] = dlcc.arg_reduce argmax %[[F]], dim = 1 : (tensor<2x12xf32>) -> tensor<2xi64>
    # HARDMAX: %[[I:.+]] = dlcc.iota dim = 1 : tensor<2x12xi64>
    # HARDMAX: %[[E:.+]] = dlcc.compare eq, %[[I]], %{{.+}}
    # HARDMAX: dlcc.convert %[[E]] : (tensor<2x12xi1>) -> tensor<2x12xf32>
    build(path, [node("Hardmax", ["x"], ["y"])], [("x", F32, [2, 3, 4])], [("y", F32, None)],
          opset=11)
