# Shape ops: Reshape (attribute form of Reshape-1, 0 and -1, allowzero),
# Flatten, Squeeze/Unsqueeze (axes attribute before 13, input from 13),
# Transpose, Concat (Concat-1's default axis), Split (attribute, input,
# num_outputs), Expand, Tile, DepthToSpace/SpaceToDepth, and host folding of
# torch-style shape subgraphs.
# RUN: %python %s %t.reshape.onnx reshape && %dlcc %t.reshape.onnx --emit=mlir | FileCheck %s --check-prefix=RESHAPE
# RUN: %python %s %t.reshape1.onnx reshape1 && %dlcc %t.reshape1.onnx --emit=mlir | FileCheck %s --check-prefix=RESHAPE1
# RUN: %python %s %t.squeeze11.onnx squeeze11 && %dlcc %t.squeeze11.onnx --emit=mlir | FileCheck %s --check-prefix=SQUEEZE11
# RUN: %python %s %t.squeeze13.onnx squeeze13 && %dlcc %t.squeeze13.onnx --emit=mlir | FileCheck %s --check-prefix=SQUEEZE13
# RUN: %python %s %t.transpose.onnx transpose && %dlcc %t.transpose.onnx --emit=mlir | FileCheck %s --check-prefix=TRANSPOSE
# RUN: %python %s %t.concat1.onnx concat1 && %dlcc %t.concat1.onnx --emit=mlir | FileCheck %s --check-prefix=CONCAT1
# RUN: %python %s %t.split.onnx split && %dlcc %t.split.onnx --emit=mlir | FileCheck %s --check-prefix=SPLIT
# RUN: %python %s %t.split18.onnx split18 && %dlcc %t.split18.onnx --emit=mlir | FileCheck %s --check-prefix=SPLIT18
# RUN: %python %s %t.expand-tile.onnx expand-tile && %dlcc %t.expand-tile.onnx --emit=mlir | FileCheck %s --check-prefix=EXPAND-TILE
# RUN: %python %s %t.fold.onnx fold && %dlcc %t.fold.onnx --emit=imported | FileCheck %s --check-prefix=FOLD
# RUN: %python %s %t.fold2.onnx fold2 && %dlcc %t.fold2.onnx --emit=imported | FileCheck %s --check-prefix=FOLD2
# RUN: %python %s %t.bad-shape.onnx bad-shape && not %dlcc %t.bad-shape.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-SHAPE
# RUN: %python %s %t.bad-count.onnx bad-count && not %dlcc %t.bad-count.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-COUNT
# RUN: %python %s %t.bad-axis.onnx bad-axis && not %dlcc %t.bad-axis.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-AXIS
# RUN: %python %s %t.bad-perm.onnx bad-perm && not %dlcc %t.bad-perm.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-PERM
# RUN: %python %s %t.bad-squeeze.onnx bad-squeeze && not %dlcc %t.bad-squeeze.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-SQUEEZE
# RUN: %python %s %t.bad-split.onnx bad-split && not %dlcc %t.bad-split.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-SPLIT
# RUN: %python %s %t.bad-split13.onnx bad-split13 && not %dlcc %t.bad-split13.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-SPLIT13
# RUN: %python %s %t.bad-expand.onnx bad-expand && not %dlcc %t.bad-expand.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-EXPAND
# RUN: %python %s %t.d2s.onnx d2s && %dlcc %t.d2s.onnx --emit=mlir | FileCheck %s --check-prefix=D2S
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node

if case == "reshape":
    # 0 copies the input dimension, -1 is inferred; allowzero=1 keeps a 0.
    # RESHAPE: dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    # RESHAPE: dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
    # RESHAPE: dlcc.reshape %arg1 : (tensor<0x3xf32>) -> tensor<3x0xf32>
    # RESHAPE: dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    build(path, [node("Reshape", ["x", "s1"], ["a"]),
                 node("Reshape", ["x", "s2"], ["b"]),
                 node("Reshape", ["e", "s3"], ["c"], allowzero=1),
                 node("Flatten", ["x"], ["d"], axis=-1)],
          [("x", F32, [2, 3, 4]), ("e", F32, [0, 3])],
          [("a", F32, None), ("b", F32, None), ("c", F32, None), ("d", F32, None)],
          [tensor("s1", np.array([0, -1], np.int64)), tensor("s2", np.array([4, 0, 2], np.int64)),
           tensor("s3", np.array([3, 0], np.int64))], opset=14)
elif case == "reshape1":
    # Reshape-1 takes the shape as an attribute.
    # RESHAPE1: dlcc.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<8x3xf32>
    build(path, [node("Reshape", ["x"], ["y"], shape=[-1, 0])],
          [("x", F32, [2, 3, 4])], [("y", F32, None)], opset=1)
elif case == "squeeze11":
    # Squeeze-11: axes attribute (negative allowed); none removes every 1.
    # SQUEEZE11: dlcc.reshape %arg0 : (tensor<1x3x1x2xf32>) -> tensor<1x3x2xf32>
    # SQUEEZE11: dlcc.reshape %arg0 : (tensor<1x3x1x2xf32>) -> tensor<3x2xf32>
    # SQUEEZE11: dlcc.reshape %arg0 : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x1x2x1xf32>
    build(path, [node("Squeeze", ["x"], ["a"], axes=[-2]),
                 node("Squeeze", ["x"], ["b"]),
                 node("Unsqueeze", ["x"], ["c"], axes=[-1, 0])],
          [("x", F32, [1, 3, 1, 2])], [("a", F32, None), ("b", F32, None), ("c", F32, None)],
          opset=11)
elif case == "squeeze13":
    # Squeeze-13/Unsqueeze-13: axes as a (constant) input.
    # SQUEEZE13: dlcc.reshape %arg0 : (tensor<1x3x1x2xf32>) -> tensor<3x1x2xf32>
    # SQUEEZE13: dlcc.reshape %arg0 : (tensor<1x3x1x2xf32>) -> tensor<1x1x3x1x2x1xf32>
    build(path, [node("Squeeze", ["x", "axes"], ["a"]),
                 node("Unsqueeze", ["x", "axes2"], ["b"])],
          [("x", F32, [1, 3, 1, 2])], [("a", F32, None), ("b", F32, None)],
          [tensor("axes", np.array([0], np.int64)), tensor("axes2", np.array([5, 1], np.int64))],
          opset=13)
elif case == "transpose":
    # The default permutation reverses the dimensions.
    # TRANSPOSE: dlcc.transpose %arg0, permutation = [2, 1, 0] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
    # TRANSPOSE: dlcc.transpose %arg0, permutation = [1, 2, 0] : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
    build(path, [node("Transpose", ["x"], ["a"]),
                 node("Transpose", ["x"], ["b"], perm=[1, 2, 0])],
          [("x", F32, [2, 3, 4])], [("a", F32, None), ("b", F32, None)])
elif case == "concat1":
    # Concat-1's axis defaults to 1.
    # CONCAT1: dlcc.concatenate(%arg0, %arg1) dim = 1 : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
    build(path, [node("Concat", ["x", "y"], ["z"])],
          [("x", F32, [2, 1]), ("y", F32, [2, 3])], [("z", F32, None)], opset=1)
elif case == "split":
    # Split-11: split attribute, else equal parts.
    # SPLIT: dlcc.slice %arg0, start = [0, 0], limit = [2, 3], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x3xf32>
    # SPLIT: dlcc.slice %arg0, start = [0, 3], limit = [2, 7], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x4xf32>
    # SPLIT: dlcc.slice %arg0, start = [0, 0], limit = [1, 7], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<1x7xf32>
    # SPLIT: dlcc.slice %arg0, start = [1, 0], limit = [2, 7], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<1x7xf32>
    build(path, [node("Split", ["x"], ["a", "b"], axis=1, split=[3, 4]),
                 node("Split", ["x"], ["c", "d"], axis=0)],
          [("x", F32, [2, 7])],
          [("a", F32, None), ("b", F32, None), ("c", F32, None), ("d", F32, None)], opset=11)
elif case == "split18":
    # Split-18 num_outputs: ceil(7/3) = 3 per part, the last one smaller; the
    # split input may hold a zero.
    # SPLIT18: dlcc.slice %arg0, start = [0, 0], limit = [2, 3], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x3xf32>
    # SPLIT18: dlcc.slice %arg0, start = [0, 3], limit = [2, 6], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x3xf32>
    # SPLIT18: dlcc.slice %arg0, start = [0, 6], limit = [2, 7], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x1xf32>
    # SPLIT18: %[[E:.*]] = dlcc.slice %arg0, start = [0, 7], limit = [2, 7], strides = [1, 1] : (tensor<2x7xf32>) -> tensor<2x0xf32>
    # SPLIT18: return %{{.*}}, %{{.*}}, %{{.*}}, %arg0, %[[E]]
    build(path, [node("Split", ["x"], ["a", "b", "c"], axis=-1, num_outputs=3),
                 node("Split", ["x", "s"], ["d", "e"], axis=1)],
          [("x", F32, [2, 7])],
          [("a", F32, None), ("b", F32, None), ("c", F32, None), ("d", F32, None),
           ("e", F32, None)], [tensor("s", np.array([7, 0], np.int64))], opset=18)
elif case == "expand-tile":
    # Expand broadcasts bidirectionally; Tile interleaves size-1 dimensions,
    # broadcasts and reshapes back.
    # EXPAND-TILE: dlcc.broadcast_in_dim %arg0, dims = [1, 2] : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
    # EXPAND-TILE: %[[R:.*]] = dlcc.reshape %arg0 : (tensor<3x1xf32>) -> tensor<1x3x1x1xf32>
    # EXPAND-TILE: %[[B:.*]] = dlcc.broadcast_in_dim %[[R]], dims = [0, 1, 2, 3] : (tensor<1x3x1x1xf32>) -> tensor<2x3x3x1xf32>
    # EXPAND-TILE: dlcc.reshape %[[B]] : (tensor<2x3x3x1xf32>) -> tensor<6x3xf32>
    build(path, [node("Expand", ["x", "s"], ["a"]),
                 node("Tile", ["x", "r"], ["b"])],
          [("x", F32, [3, 1])], [("a", F32, None), ("b", F32, None)],
          [tensor("s", np.array([2, 1, 4], np.int64)), tensor("r", np.array([2, 3], np.int64))])
elif case == "fold":
    # FOLD-NOT: dlcc.constant
    # FOLD-NOT: dlcc.gather
    # FOLD-NOT: dlcc.concatenate
    # FOLD: dlcc.reshape %arg0 : (tensor<8x3x4x4xf32>) -> tensor<8x48xf32>
    # FOLD-NOT: dlcc.
    # x.view(x.size(0), -1) as torch.onnx.export writes it.
    build(path, [node("Shape", ["x"], ["shape"]),
                 node("Constant", [], ["zero"], value=tensor("zero", np.array(0, np.int64))),
                 node("Gather", ["shape", "zero"], ["n"], axis=0),
                 node("Unsqueeze", ["n", "axes"], ["n1"]),
                 node("Constant", [], ["minus1"], value_ints=[-1]),
                 node("Concat", ["n1", "minus1"], ["target"], axis=0),
                 node("Reshape", ["x", "target"], ["y"])],
          [("x", F32, [8, 3, 4, 4])], [("y", F32, None)],
          [tensor("axes", np.array([0], np.int64))], opset=13)
elif case == "fold2":
    # FOLD2-DAG: dlcc.constant dense<1> : tensor<3xi32>
    # FOLD2-DAG: dlcc.constant dense<[0, 3, 6]> : tensor<3xi64>
    # FOLD2-DAG: dlcc.constant dense<48> : tensor<i64>
    # FOLD2-DAG: dlcc.constant dense<[0, 3, 6, 0, 3, 6]> : tensor<6xi64>
    # FOLD2-NOT: dlcc.{{[a-z_]+}} %
    # Shape -> Slice, ConstantOfShape, Range, Size, Expand and Tile of host
    # constants: everything folds to constants.
    build(path, [node("Shape", ["x"], ["shape"], start=1),
                 node("Slice", ["shape", "st", "en"], ["tail"]),
                 node("ConstantOfShape", ["tail"], ["ones"],
                      value=tensor("v", np.array([1], np.int32))),
                 node("Range", ["st", "lim", "delta"], ["r"]),
                 node("Size", ["x"], ["size"]),
                 node("Tile", ["r", "rep"], ["t"]),
                 node("Transpose", ["ones"], ["ot"])],
          [("x", F32, [8, 3, 2])],
          [("ones", I32, None), ("r", I64, None), ("size", I64, None), ("t", I64, None),
           ("ot", I32, None)],
          [tensor("st", np.array([0], np.int64)), tensor("en", np.array([-1], np.int64)),
           tensor("lim", np.array([7], np.int64)), tensor("delta", np.array([3], np.int64)),
           tensor("rep", np.array([2], np.int64))], opset=15)
elif case == "bad-shape":
    # BAD-SHAPE: error: node producing 'y' (Reshape-14): the 'shape' input ('s') must be known at compile time
    build(path, [node("Reshape", ["x", "s"], ["y"])],
          [("x", F32, [2, 3]), ("s", I64, [2])], [("y", F32, None)])
elif case == "bad-count":
    # BAD-COUNT: error: node producing 'y' (Reshape-14): cannot infer the -1 of shape [4, -1] for an input of shape [2, 3]
    build(path, [node("Reshape", ["x", "s"], ["y"])],
          [("x", F32, [2, 3])], [("y", F32, None)], [tensor("s", np.array([4, -1], np.int64))])
elif case == "bad-axis":
    # BAD-AXIS: error: node producing 'y' (Concat-13): axis 2 is out of range for rank 2
    build(path, [node("Concat", ["x", "x"], ["y"], axis=2)],
          [("x", F32, [2, 3])], [("y", F32, None)])
elif case == "bad-perm":
    # BAD-PERM: error: node producing 'y' (Transpose-13): perm [0, 0] is not a permutation of [0, 2)
    build(path, [node("Transpose", ["x"], ["y"], perm=[0, 0])],
          [("x", F32, [2, 3])], [("y", F32, None)])
elif case == "bad-squeeze":
    # Squeeze-1 only takes non-negative axes.
    # BAD-SQUEEZE: error: node producing 'y' (Squeeze-1): axes [-1] must be non-negative in this version
    build(path, [node("Squeeze", ["x"], ["y"], axes=[-1])],
          [("x", F32, [1, 3])], [("y", F32, None)], opset=1)
elif case == "bad-split":
    # BAD-SPLIT: error: node producing 'a' (Split-13): split [3, 3] sums to 6, not the size 7 of axis 1
    build(path, [node("Split", ["x", "s"], ["a", "b"], axis=1)],
          [("x", F32, [2, 7])], [("a", F32, None), ("b", F32, None)],
          [tensor("s", np.array([3, 3], np.int64))], opset=13)
elif case == "bad-split13":
    # Before Split-18 equal parts must divide the axis.
    # BAD-SPLIT13: error: node producing 'a' (Split-13): cannot split axis 1 of size 7 into 3 equal parts
    build(path, [node("Split", ["x"], ["a", "b", "c"], axis=1)],
          [("x", F32, [2, 7])], [("a", F32, None), ("b", F32, None), ("c", F32, None)],
          opset=13)
elif case == "bad-expand":
    # BAD-EXPAND: error: node producing 'y' (Expand-13): cannot broadcast input shape [2, 3] to [4, 3]
    build(path, [node("Expand", ["x", "s"], ["y"])],
          [("x", F32, [2, 3])], [("y", F32, None)], [tensor("s", np.array([4, 3], np.int64))])
elif case == "d2s":
    # DepthToSpace CRD (pixel shuffle) and SpaceToDepth: reshape to 6-D,
    # transpose, reshape back.
    # D2S: dlcc.reshape %arg0 : (tensor<1x8x2x3xf32>) -> tensor<1x2x2x2x2x3xf32>
    # D2S: dlcc.transpose %{{.+}}, permutation = [0, 1, 4, 2, 5, 3]
    # D2S: dlcc.reshape %{{.+}} : (tensor<1x2x2x2x3x2xf32>) -> tensor<1x2x4x6xf32>
    # D2S: dlcc.reshape %arg1 : (tensor<1x2x4x6xf32>) -> tensor<1x2x2x2x3x2xf32>
    # D2S: dlcc.transpose %{{.+}}, permutation = [0, 3, 5, 1, 2, 4]
    # D2S: dlcc.reshape %{{.+}} : (tensor<1x2x2x2x2x3xf32>) -> tensor<1x8x2x3xf32>
    build(path, [node("DepthToSpace", ["x"], ["y"], blocksize=2, mode="CRD"),
                 node("SpaceToDepth", ["z"], ["w"], blocksize=2)],
          [("x", F32, [1, 8, 2, 3]), ("z", F32, [1, 2, 4, 6])],
          [("y", F32, None), ("w", F32, None)], opset=13)
