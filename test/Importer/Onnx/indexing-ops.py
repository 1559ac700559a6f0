# Slice (Slice-1 attributes, ONNX clamping with INT_MAX/INT_MIN sentinels,
# negative steps as reverse + slice, empty results), Gather and GatherElements
# (negative indices), Trilu, CumSum, GatherND, OneHot, ScatterElements and
# ScatterND.
# RUN: %python %s %t.slice.onnx slice && %dlcc %t.slice.onnx --emit=mlir | FileCheck %s --check-prefix=SLICE
# RUN: %python %s %t.slice1.onnx slice1 && %dlcc %t.slice1.onnx --emit=mlir | FileCheck %s --check-prefix=SLICE1
# RUN: %python %s %t.gather.onnx gather && %dlcc %t.gather.onnx --emit=mlir | FileCheck %s --check-prefix=GATHER
# RUN: %python %s %t.gather-fold.onnx gather-fold && %dlcc %t.gather-fold.onnx --emit=imported | FileCheck %s --check-prefix=GATHER-FOLD
# RUN: %python %s %t.trilu.onnx trilu && %dlcc %t.trilu.onnx --emit=mlir | FileCheck %s --check-prefix=TRILU
# RUN: %python %s %t.cumsum.onnx cumsum && %dlcc %t.cumsum.onnx --emit=mlir | FileCheck %s --check-prefix=CUMSUM
# RUN: %python %s %t.bad-step.onnx bad-step && not %dlcc %t.bad-step.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-STEP
# RUN: %python %s %t.bad-starts.onnx bad-starts && not %dlcc %t.bad-starts.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-STARTS
# RUN: %python %s %t.bad-index.onnx bad-index && not %dlcc %t.bad-index.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-INDEX
# RUN: %python %s %t.bad-axis.onnx bad-axis && not %dlcc %t.bad-axis.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-AXIS
# RUN: %python %s %t.bad-cumsum.onnx bad-cumsum && not %dlcc %t.bad-cumsum.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-CUMSUM
# RUN: %python %s %t.bad-range.onnx bad-range && not %dlcc %t.bad-range.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-RANGE
# RUN: %python %s %t.gathernd.onnx gathernd && %dlcc %t.gathernd.onnx --emit=mlir | FileCheck %s --check-prefix=GATHERND
# RUN: %python %s %t.onehot.onnx onehot && %dlcc %t.onehot.onnx --emit=mlir | FileCheck %s --check-prefix=ONEHOT
# RUN: %python %s %t.scatter.onnx scatter && %dlcc %t.scatter.onnx --emit=mlir | FileCheck %s --check-prefix=SCATTER
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node
INT_MAX, INT_MIN = 2**63 - 1, -2**63


def ints(name, values):
    return tensor(name, np.array(values, np.int64))


if case == "slice":
    # a: sentinels and negative indices clamp ONNX-style.
    # SLICE: dlcc.slice %arg0, start = [1, 1, 0], limit = [4, 4, 6], strides = [1, 1, 1] : (tensor<4x5x6xf32>) -> tensor<3x3x6xf32>
    # b: step -2 from INT_MAX to INT_MIN on axis -1 takes elements 5, 3, 1:
    # reverse, then stride 2 from 0.
    # SLICE: %[[R1:.*]] = dlcc.reverse %arg0, dims = [2] : tensor<4x5x6xf32>
    # SLICE: dlcc.slice %[[R1]], start = [0, 1, 0], limit = [4, 4, 5], strides = [1, 2, 2] : (tensor<4x5x6xf32>) -> tensor<4x2x3xf32>
    # c: axis 1 from 2 down to 0 (exclusive) takes 2, 1 = reversed 2, 3.
    # SLICE: %[[R2:.*]] = dlcc.reverse %arg0, dims = [0, 1] : tensor<4x5x6xf32>
    # SLICE: dlcc.slice %[[R2]], start = [0, 2, 0], limit = [4, 4, 6], strides = [1, 1, 1] : (tensor<4x5x6xf32>) -> tensor<4x2x6xf32>
    # d: an empty result.
    # SLICE: dlcc.slice %arg0, start = [0, 0, 0], limit = [4, 5, 0], strides = [1, 1, 1] : (tensor<4x5x6xf32>) -> tensor<4x5x0xf32>
    build(path, [node("Slice", ["x", "s1", "e1"], ["a"]),
                 node("Slice", ["x", "s2", "e2", "ax2", "st2"], ["b"]),
                 node("Slice", ["x", "s3", "e3", "ax3", "st3"], ["c"]),
                 node("Slice", ["x", "s4", "e4", "ax4"], ["d"])],
          [("x", F32, [4, 5, 6])],
          [("a", F32, None), ("b", F32, None), ("c", F32, None), ("d", F32, None)],
          [ints("s1", [1, -4]), ints("e1", [INT_MAX, -1]),
           ints("s2", [INT_MAX, 1]), ints("e2", [INT_MIN, 6]), ints("ax2", [-1, 1]),
           ints("st2", [-2, 2]),
           ints("s3", [-1, 2]), ints("e3", [INT_MIN, 0]), ints("ax3", [0, 1]),
           ints("st3", [-1, -1]),
           ints("s4", [3]), ints("e4", [1]), ints("ax4", [2])], opset=13)
elif case == "slice1":
    # Slice-1 takes starts/ends/axes as attributes.
    # SLICE1: dlcc.slice %arg0, start = [1, 0, 0], limit = [3, 5, 0], strides = [1, 1, 1] : (tensor<4x5x6xf32>) -> tensor<2x5x0xf32>
    build(path, [node("Slice", ["x"], ["y"], starts=[1, 100], ends=[-1, 200], axes=[0, 2])],
          [("x", F32, [4, 5, 6])], [("y", F32, None)], opset=1)
elif case == "gather":
    # Constant indices are normalised on the host; runtime ones with a select.
    # GATHER-DAG: %[[K:.*]] = dlcc.constant dense<{{\[\[\[}}3, 0, 3]]]> : tensor<1x1x3xi64>
    # GATHER-DAG: %[[DIM:.*]] = dlcc.constant dense<6> : tensor<2xi32>
    # GATHER-DAG: %[[ZERO:.*]] = dlcc.constant dense<0> : tensor<2xi32>
    # GATHER-DAG: %[[I:.*]] = dlcc.constant dense<{{\[\[}}0, 4], [0, 4]]> : tensor<2x2xi64>
    # GATHER: dlcc.gather %arg0[%[[I]]], axis = 1 : (tensor<4x5x6xf32>, tensor<2x2xi64>) -> tensor<4x2x2x6xf32>
    # GATHER: %[[NEG:.*]] = dlcc.compare lt, %arg1, %[[ZERO]] : tensor<2xi32>
    # GATHER: %[[WRAP:.*]] = dlcc.add %arg1, %[[DIM]] : tensor<2xi32>
    # GATHER: %[[J:.*]] = dlcc.select %[[NEG]], %[[WRAP]], %arg1 : tensor<2xi1>, tensor<2xi32>
    # GATHER: dlcc.gather %arg0[%[[J]]], axis = 2 : (tensor<4x5x6xf32>, tensor<2xi32>) -> tensor<4x5x2xf32>
    # GATHER: dlcc.gather_elements %arg0[%[[K]]], axis = 0 : (tensor<4x5x6xf32>, tensor<1x1x3xi64>) -> tensor<1x1x3xf32>
    build(path, [node("Gather", ["x", "i"], ["a"], axis=1),
                 node("Gather", ["x", "j"], ["b"], axis=-1),
                 node("GatherElements", ["x", "k"], ["c"], axis=0)],
          [("x", F32, [4, 5, 6]), ("j", I32, [2])],
          [("a", F32, None), ("b", F32, None), ("c", F32, None)],
          [ints("i", [[0, -1], [-5, 4]]), ints("k", [[[-1, 0, 3]]])], opset=13)
elif case == "gather-fold":
    # GATHER-FOLD: dlcc.constant dense<{{\[\[}}30, 10]]> : tensor<1x2xi64>
    # GATHER-FOLD: dlcc.constant dense<{{\[\[}}2], [3]]> : tensor<2x1xi64>
    # GATHER-FOLD-NOT: dlcc.gather
    build(path, [node("Gather", ["t", "i"], ["a"], axis=0),
                 node("GatherElements", ["t2", "k"], ["b"], axis=1)],
          [], [("a", I64, None), ("b", I64, None)],
          [ints("t", [10, 20, 30]), ints("i", [[-1, 0]]), ints("t2", [[1, 2], [3, 4]]),
           ints("k", [[-1], [0]])], opset=13)
elif case == "trilu":
    # Keep (i, j) where j - i >= k (upper) or j - i <= k (lower).
    # TRILU-DAG: %[[FOLDED:.*]] = dlcc.constant dense<{{\[\[}}0, 0], [3, 0]]> : tensor<2x2xi64>
    # TRILU-DAG: %[[KM1:.*]] = dlcc.constant dense<-1> : tensor<3x4xi64>
    # TRILU-DAG: %[[ZEROS:.*]] = dlcc.constant dense<0.000000e+00> : tensor<2x3x4xf32>
    # TRILU-DAG: %[[K0:.*]] = dlcc.constant dense<0> : tensor<3x4xi64>
    # TRILU: %[[ROW:.*]] = dlcc.iota dim = 0 : tensor<3x4xi64>
    # TRILU: %[[COL:.*]] = dlcc.iota dim = 1 : tensor<3x4xi64>
    # TRILU: %[[D:.*]] = dlcc.sub %[[COL]], %[[ROW]] : tensor<3x4xi64>
    # TRILU: %[[M:.*]] = dlcc.compare ge, %[[D]], %[[K0]] : tensor<3x4xi64>
    # TRILU: %[[MB:.*]] = dlcc.broadcast_in_dim %[[M]], dims = [1, 2] : (tensor<3x4xi1>) -> tensor<2x3x4xi1>
    # TRILU: dlcc.select %[[MB]], %arg0, %[[ZEROS]] : tensor<2x3x4xi1>, tensor<2x3x4xf32>
    # TRILU: %[[L:.*]] = dlcc.compare le, %[[D]], %[[KM1]] : tensor<3x4xi64>
    # TRILU: %[[LB:.*]] = dlcc.broadcast_in_dim %[[L]], dims = [1, 2] : (tensor<3x4xi1>) -> tensor<2x3x4xi1>
    # TRILU: dlcc.select %[[LB]], %arg0, %[[ZEROS]] : tensor<2x3x4xi1>, tensor<2x3x4xf32>
    # TRILU: return %{{.*}}, %{{.*}}, %[[FOLDED]]
    build(path, [node("Trilu", ["x"], ["a"]),
                 node("Trilu", ["x", "k"], ["b"], upper=0),
                 node("Trilu", ["c", "k"], ["c2"], upper=0)],
          [("x", F32, [2, 3, 4])], [("a", F32, None), ("b", F32, None), ("c2", I64, None)],
          [tensor("k", np.array(-1, np.int64)), ints("c", [[1, 2], [3, 4]])], opset=14)
elif case == "cumsum":
    # CUMSUM: dlcc.cumsum %arg0, dim = 1 {exclusive, reverse} : tensor<2x3xf32>
    build(path, [node("CumSum", ["x", "axis"], ["y"], exclusive=1, reverse=1)],
          [("x", F32, [2, 3])], [("y", F32, None)],
          [tensor("axis", np.array(-1, np.int32))], opset=14)
elif case == "bad-step":
    # BAD-STEP: error: node producing 'y' (Slice-13): steps [0] contain 0
    build(path, [node("Slice", ["x", "s", "e", "a", "st"], ["y"])],
          [("x", F32, [4])], [("y", F32, None)],
          [ints("s", [0]), ints("e", [4]), ints("a", [0]), ints("st", [0])], opset=13)
elif case == "bad-starts":
    # BAD-STARTS: error: node producing 'y' (Slice-13): the 'starts' input ('s') must be known at compile time
    build(path, [node("Slice", ["x", "s", "e"], ["y"])],
          [("x", F32, [4]), ("s", I64, [1])], [("y", F32, None)], [ints("e", [4])], opset=13)
elif case == "bad-index":
    # BAD-INDEX: error: node producing 'y' (Gather-13): index -5 is out of range [-4, 3]
    build(path, [node("Gather", ["x", "i"], ["y"])],
          [("x", F32, [4, 2])], [("y", F32, None)], [ints("i", [1, -5])], opset=13)
elif case == "bad-axis":
    # BAD-AXIS: error: node producing 'y' (Gather-13): axis 2 is out of range for rank 2
    build(path, [node("Gather", ["x", "i"], ["y"], axis=2)],
          [("x", F32, [4, 2])], [("y", F32, None)], [ints("i", [1])], opset=13)
elif case == "bad-cumsum":
    # BAD-CUMSUM: error: node producing 'y' (CumSum-14): the 'axis' input ('axis') must be known at compile time
    build(path, [node("CumSum", ["x", "axis"], ["y"])],
          [("x", F32, [4, 2]), ("axis", I64, [])], [("y", F32, None)], opset=14)
elif case == "bad-range":
    # BAD-RANGE: error: node producing 'y' (Range-11): start, limit and delta must be known at compile time
    build(path, [node("Range", ["s", "l", "d"], ["y"])],
          [("l", I64, [])], [("y", I64, None)],
          [tensor("s", np.array(0, np.int64)), tensor("d", np.array(1, np.int64))], opset=11)
elif case == "gathernd":
    # GatherND with batch_dims 1: index pairs into dims 1-2 of [2, 3, 4, 5]
    # become one linear index (j * 4 + k, negatives wrapped) plus the batch
    # offset (b * 12), and one gather along the flattened [24, 5] table.
    # GATHERND: dlcc.iota dim = 0 : tensor<2x1xi64>
    # GATHERND: %[[T:.+]] = dlcc.reshape %arg0 : (tensor<2x3x4x5xf32>) -> tensor<24x5xf32>
    # GATHERND: dlcc.gather %[[T]][%{{.+}}], axis = 0 : (tensor<24x5xf32>, tensor<2x1xi64>) -> tensor<2x1x5xf32>
    build(path, [node("GatherND", ["x", "i"], ["y"], batch_dims=1)],
          [("x", F32, [2, 3, 4, 5]), ("i", I64, [2, 1, 2])], [("y", F32, None)], opset=13)
elif case == "onehot":
    # OneHot: position along the axis == wrapped index picks on, else off.
    # ONEHOT: %[[P:.+]] = dlcc.iota dim = 1 : tensor<3x4xi64>
    # ONEHOT: %[[H:.+]] = dlcc.compare eq, %[[P]], %{{.+}}
    # ONEHOT: dlcc.select %[[H]], %{{.+}}, %{{.+}} : tensor<3x4xi1>, tensor<3x4xf32>
    build(path, [node("OneHot", ["i", "d", "v"], ["y"])],
          [("i", I64, [3]), ("v", F32, [2])], [("y", F32, None)],
          [tensor("d", np.array(4, np.int64))], opset=11)
elif case == "scatter":
    # ScatterElements with indices smaller than the data outside the axis:
    # padded with an index that matches nothing (the axis size, 5) and zero
    # updates. ScatterND: tuples flattened to [P, m].
    # SCATTER-DAG: %[[FIVE:.+]] = dlcc.constant dense<5> : tensor<i64>
    # SCATTER: %[[I:.+]] = dlcc.pad constant %arg1, %[[FIVE]], low = [0, 0], high = [1, 0]
    # SCATTER: %[[U:.+]] = dlcc.pad constant %arg2, %{{.+}}, low = [0, 0], high = [1, 0]
    # SCATTER: dlcc.scatter_elements add %[[U]] at %[[I]] into %arg0, axis = 1 : (tensor<3x5xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x5xf32>
    # SCATTER-DAG: %[[T:.+]] = dlcc.reshape %arg3 : (tensor<2x2x1xi64>) -> tensor<4x1xi64>
    # SCATTER-DAG: %[[V:.+]] = dlcc.reshape %arg4 : (tensor<2x2x5xf32>) -> tensor<4x5xf32>
    # SCATTER: dlcc.scatter_nd mul %[[V]] at %[[T]] into %arg0 : (tensor<3x5xf32>, tensor<4x1xi64>, tensor<4x5xf32>) -> tensor<3x5xf32>
    build(path, [node("ScatterElements", ["x", "i", "u"], ["y"], axis=1, reduction="add"),
                 node("ScatterND", ["x", "t", "v"], ["z"], reduction="mul")],
          [("x", F32, [3, 5]), ("i", I64, [2, 2]), ("u", F32, [2, 2]), ("t", I64, [2, 2, 1]),
           ("v", F32, [2, 2, 5])], [("y", F32, None), ("z", F32, None)], opset=16)
