# Pad in every form (Pad-1 paddings, Pad-2 pads, Pad-11 inputs, Pad-18 axes,
# Pad-19 wrap, negative pads) and the Constant, ConstantOfShape, Identity and
# Range ops.
# RUN: %python %s %t.pad1.onnx pad1 && %dlcc %t.pad1.onnx --emit=mlir | FileCheck %s --check-prefix=PAD1
# RUN: %python %s %t.pad2.onnx pad2 && %dlcc %t.pad2.onnx --emit=mlir | FileCheck %s --check-prefix=PAD2
# RUN: %python %s %t.pad11.onnx pad11 && %dlcc %t.pad11.onnx --emit=mlir | FileCheck %s --check-prefix=PAD11
# RUN: %python %s %t.pad18.onnx pad18 && %dlcc %t.pad18.onnx --emit=mlir | FileCheck %s --check-prefix=PAD18
# RUN: %python %s %t.pad19.onnx pad19 && %dlcc %t.pad19.onnx --emit=mlir | FileCheck %s --check-prefix=PAD19
# RUN: %python %s %t.constant.onnx constant && %dlcc %t.constant.onnx --emit=mlir | FileCheck %s --check-prefix=CONSTANT
# RUN: %python %s %t.big.onnx big && %dlcc %t.big.onnx --emit=mlir | FileCheck %s --check-prefix=BIG
# RUN: %python %s %t.bad-reflect.onnx bad-reflect && not %dlcc %t.bad-reflect.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-REFLECT
# RUN: %python %s %t.bad-wrap.onnx bad-wrap && not %dlcc %t.bad-wrap.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-WRAP
# RUN: %python %s %t.bad-pads.onnx bad-pads && not %dlcc %t.bad-pads.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-PADS
# RUN: %python %s %t.bad-negative.onnx bad-negative && not %dlcc %t.bad-negative.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-NEGATIVE
# RUN: %python %s %t.bad-constant.onnx bad-constant && not %dlcc %t.bad-constant.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-CONSTANT
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node


def ints(name, values):
    return tensor(name, np.array(values, np.int64))


if case == "pad1":
    # PAD1: %[[V:.*]] = dlcc.constant dense<1.500000e+00> : tensor<f32>
    # PAD1: dlcc.pad constant %arg0, %[[V]], low = [0, 2], high = [1, 0] : (tensor<3x4xf32>, tensor<f32>) -> tensor<4x6xf32>
    build(path, [node("Pad", ["x"], ["y"], paddings=[0, 2, 1, 0], value=1.5)],
          [("x", F32, [3, 4])], [("y", F32, None)], opset=1)
elif case == "pad2":
    # The float `value` attribute converts to the data's element type.
    # PAD2-DAG: %[[TWO:.*]] = dlcc.constant dense<2> : tensor<i32>
    # PAD2-DAG: %[[ZERO:.*]] = dlcc.constant dense<0.000000e+00> : tensor<f32>
    # PAD2: dlcc.pad edge %arg0, %[[ZERO]], low = [1, 1], high = [1, 1] : (tensor<3x4xf32>, tensor<f32>) -> tensor<5x6xf32>
    # PAD2: dlcc.pad constant %arg1, %[[TWO]], low = [0, 1], high = [0, 0] : (tensor<2x2xi32>, tensor<i32>) -> tensor<2x3xi32>
    build(path, [node("Pad", ["x"], ["a"], pads=[1, 1, 1, 1], mode="edge"),
                 node("Pad", ["i"], ["b"], pads=[0, 1, 0, 0], value=2.0)],
          [("x", F32, [3, 4]), ("i", I32, [2, 2])], [("a", F32, None), ("b", I32, None)],
          opset=2)
elif case == "pad11":
    # a: constant constant_value; b: negative pads slice after padding the
    # positive part; c: a runtime constant_value.
    # PAD11-DAG: %[[ZERO:.*]] = dlcc.constant dense<0.000000e+00> : tensor<f32>
    # PAD11-DAG: %[[HALF:.*]] = dlcc.constant dense<5.000000e-01> : tensor<f32>
    # PAD11: dlcc.pad constant %arg0, %[[HALF]], low = [1, 0], high = [0, 2] : (tensor<3x4xf32>, tensor<f32>) -> tensor<4x6xf32>
    # PAD11: %[[R:.*]] = dlcc.pad reflect %arg0, %[[ZERO]], low = [0, 2], high = [0, 0] : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x6xf32>
    # PAD11: dlcc.slice %[[R]], start = [1, 0], limit = [3, 5], strides = [1, 1] : (tensor<3x6xf32>) -> tensor<2x5xf32>
    # PAD11: dlcc.pad constant %arg0, %arg1, low = [1, 0], high = [0, 2] : (tensor<3x4xf32>, tensor<f32>) -> tensor<4x6xf32>
    nodes = [node("Constant", [], ["v"], value=tensor("v", np.array(0.5, np.float32))),
             node("Pad", ["x", "p", "v"], ["a"]),
             node("Pad", ["x", "q"], ["b"], mode="reflect"),
             node("Pad", ["x", "p", "w"], ["c"])]
    build(path, nodes,
          [("x", F32, [3, 4]), ("w", F32, [])], [("a", F32, None), ("b", F32, None), ("c", F32, None)],
          [ints("p", [1, 0, 0, 2]), ints("q", [-1, 2, 0, -1])], opset=11)
elif case == "pad18":
    # Pad-18 axes: pads = [begin(-1), begin(0), end(-1), end(0)].
    # PAD18: dlcc.pad edge %arg0, %{{.*}}, low = [0, 0, 1], high = [3, 0, 2] : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<5x3x7xf32>
    build(path, [node("Pad", ["x", "p", "", "axes"], ["y"], mode="edge")],
          [("x", F32, [2, 3, 4])], [("y", F32, None)],
          [ints("p", [1, 0, 2, 3]), ints("axes", [-1, 0])], opset=18)
elif case == "pad19":
    # PAD19: dlcc.pad wrap %arg0, %{{.*}}, low = [0, 4], high = [3, 1] : (tensor<3x4xf32>, tensor<f32>) -> tensor<6x9xf32>
    build(path, [node("Pad", ["x", "p"], ["y"], mode="wrap")],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("p", [0, 4, 3, 1])], opset=19)
elif case == "constant":
    # Range accumulates start + delta in float32, as its function body does.
    # CONSTANT: %[[A:.*]] = dlcc.constant dense<[1, 2, 3]> : tensor<3xi64>
    # CONSTANT: dlcc.constant dense<2.500000e+00> : tensor<f32>
    # CONSTANT: dlcc.constant dense<7> : tensor<i64>
    # CONSTANT: dlcc.constant dense<{{\[\[}}true, false]]> : tensor<1x2xi1>
    # CONSTANT: dlcc.constant dense<> : tensor<2x0xf32>
    # CONSTANT: dlcc.constant dense<[5.000000e-01, 1.200000e+00, 1.9000001, 2.60000014]> : tensor<4xf32>
    # CONSTANT: return %[[A]], %{{.*}}, %{{.*}}, %{{.*}}, %[[A]], %arg0,
    build(path, [node("Constant", [], ["a"], value_ints=[1, 2, 3]),
                 node("Constant", [], ["b"], value_float=2.5),
                 node("Constant", [], ["c"], value_int=7),
                 node("Constant", [], ["d"], value=tensor("d", np.array([[1, 0]], np.bool_))),
                 node("Identity", ["a"], ["e"]),
                 node("Identity", ["x"], ["f"]),
                 node("ConstantOfShape", ["s"], ["g"]),
                 node("Constant", [], ["r0"], value_float=0.5),
                 node("Constant", [], ["r1"], value_float=3.0),
                 node("Constant", [], ["r2"], value_float=0.7),
                 node("Range", ["r0", "r1", "r2"], ["h"])],
          [("x", F32, [2])],
          [("a", I64, None), ("b", F32, None), ("c", I64, None), ("d", BOOL, None),
           ("e", I64, None), ("f", F32, None), ("g", F32, None), ("h", F32, None)],
          [ints("s", [2, 0])])
elif case == "big":
    # BIG-DAG: %[[START:.*]] = dlcc.constant dense<5> : tensor<100000xi64>
    # BIG-DAG: %[[DELTA:.*]] = dlcc.constant dense<2> : tensor<100000xi64>
    # BIG-DAG: %[[FILL:.*]] = dlcc.constant dense<3> : tensor<512x256xi64>
    # BIG: %[[IOTA:.*]] = dlcc.iota dim = 0 : tensor<100000xi64>
    # BIG: %[[SCALED:.*]] = dlcc.mul %[[IOTA]], %[[DELTA]] : tensor<100000xi64>
    # BIG: %[[RANGE:.*]] = dlcc.add %[[SCALED]], %[[START]] : tensor<100000xi64>
    # BIG: return %[[FILL]], %[[RANGE]]
    # Results above the host-evaluation limit become dlcc ops.
    build(path, [node("ConstantOfShape", ["s"], ["a"],
                      value=tensor("v", np.array([3], np.int64))),
                 node("Range", ["r0", "r1", "r2"], ["b"])],
          [], [("a", I64, None), ("b", I64, None)],
          [ints("s", [512, 256]), tensor("r0", np.array(5, np.int64)),
           tensor("r1", np.array(200005, np.int64)), tensor("r2", np.array(2, np.int64))])
elif case == "bad-reflect":
    # BAD-REFLECT: error: node producing 'y' (Pad-13): pads (4, 0) of axis 1 (size 4) are too large for reflect mode
    build(path, [node("Pad", ["x", "p"], ["y"], mode="reflect")],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("p", [0, 4, 0, 0])], opset=13)
elif case == "bad-wrap":
    # wrap needs Pad-19.
    # BAD-WRAP: error: node producing 'y' (Pad-18): unsupported mode 'wrap'
    build(path, [node("Pad", ["x", "p"], ["y"], mode="wrap")],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("p", [0, 1, 0, 0])], opset=18)
elif case == "bad-pads":
    # BAD-PADS: error: node producing 'y' (Pad-13): pads [0, 1, 0] must have 4 entries
    build(path, [node("Pad", ["x", "p"], ["y"])],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("p", [0, 1, 0])], opset=13)
elif case == "bad-negative":
    # BAD-NEGATIVE: error: node producing 'y' (Pad-13): negative pads (-3, -2) remove more than the 4 elements of axis 1
    build(path, [node("Pad", ["x", "p"], ["y"])],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("p", [0, -3, 0, -2])], opset=13)
elif case == "bad-constant":
    # BAD-CONSTANT: error: node producing 'y' (Constant-13): string constants are not supported
    build(path, [node("Constant", [], ["y"], value_strings=["a"])],
          [], [("y", I64, None)], opset=13)
