# Elementwise, activation, logic and Cast handlers.
# RUN: %python %s %t.bcast.onnx bcast && %dlcc %t.bcast.onnx --emit=imported | FileCheck %s --check-prefix=BCAST
# RUN: %python %s %t.legacy.onnx legacy && %dlcc %t.legacy.onnx --emit=imported | FileCheck %s --check-prefix=LEGACY
# RUN: %python %s %t.gelu.onnx gelu && %dlcc %t.gelu.onnx --emit=imported | FileCheck %s --check-prefix=GELU
# RUN: %python %s %t.clip6.onnx clip6 && %dlcc %t.clip6.onnx --emit=imported | FileCheck %s --check-prefix=CLIP6
# RUN: %python %s %t.clip13.onnx clip13 && %dlcc %t.clip13.onnx --emit=imported | FileCheck %s --check-prefix=CLIP13
# RUN: %python %s %t.cast1.onnx cast1 && %dlcc %t.cast1.onnx --emit=imported | FileCheck %s --check-prefix=CAST1
# RUN: %python %s %t.mod.onnx mod && %dlcc %t.mod.onnx --emit=imported | FileCheck %s --check-prefix=MOD
# RUN: %python %s %t.where.onnx where && %dlcc %t.where.onnx --emit=imported | FileCheck %s --check-prefix=WHERE
# RUN: %python %s %t.fold.onnx fold && %dlcc %t.fold.onnx --emit=imported | FileCheck %s --check-prefix=FOLD
# RUN: %python %s %t.prelu.onnx prelu && %dlcc %t.prelu.onnx --emit=imported | FileCheck %s --check-prefix=PRELU
# RUN: %python %s %t.round.onnx round && %dlcc %t.round.onnx --emit=imported | FileCheck %s --check-prefix=ROUND
# RUN: %python %s %t.trig.onnx trig && %dlcc %t.trig.onnx --emit=imported | FileCheck %s --check-prefix=TRIG
# RUN: %python %s %t.badtype.onnx badtype && not %dlcc %t.badtype.onnx 2>&1 | FileCheck %s --check-prefix=BADTYPE
# RUN: %python %s %t.badshape.onnx badshape && not %dlcc %t.badshape.onnx 2>&1 | FileCheck %s --check-prefix=BADSHAPE
import sys

import numpy as np
from onnx import helper

from onnx_model_builder import BOOL, F32, I64, build, tensor

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node

if case == "bcast":
    # Multidirectional broadcasting becomes explicit broadcast_in_dim.
    # BCAST: func.func @forward(%[[A:.+]]: tensor<2x1x4xf32> {dlcc.input = "a"}, %[[B:.+]]: tensor<3x1xf32> {dlcc.input = "b"})
    # BCAST-DAG: %[[BA:.+]] = dlcc.broadcast_in_dim %[[A]], dims = [0, 1, 2] : (tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
    # BCAST-DAG: %[[BB:.+]] = dlcc.broadcast_in_dim %[[B]], dims = [1, 2] : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
    # BCAST: dlcc.add %[[BA]], %[[BB]] : tensor<2x3x4xf32>
    build(path, [node("Add", ["a", "b"], ["y"])],
          [("a", F32, [2, 1, 4]), ("b", F32, [3, 1])], [("y", F32, [2, 3, 4])])
elif case == "legacy":
    # Opset 6 Add with broadcast=1, axis=1: B aligns with A's dimension 1.
    # LEGACY: %[[B:.+]] = dlcc.broadcast_in_dim %arg1, dims = [1] : (tensor<3xf32>) -> tensor<2x3x4xf32>
    # LEGACY: dlcc.mul %arg0, %[[B]] : tensor<2x3x4xf32>
    build(path, [node("Mul", ["a", "b"], ["y"], broadcast=1, axis=1)],
          [("a", F32, [2, 3, 4]), ("b", F32, [3])], [("y", F32, [2, 3, 4])], opset=6,
          ir_version=3)
elif case == "gelu":
    # Gelu-20, exact and tanh forms, decomposed into core ops.
    # GELU: %[[E:.+]] = dlcc.erf
    # GELU: dlcc.tanh
    build(path, [node("Gelu", ["x"], ["y"]), node("Gelu", ["x"], ["z"], approximate="tanh")],
          [("x", F32, [4])], [("y", F32, [4]), ("z", F32, [4])], opset=20, ir_version=9)
elif case == "clip6":
    # Clip-6 takes min/max attributes.
    # CLIP6: %[[LO:.+]] = dlcc.constant dense<-1.000000e+00> : tensor<4xf32>
    # CLIP6: %[[M:.+]] = dlcc.max %arg0, %[[LO]]
    # CLIP6: %[[HI:.+]] = dlcc.constant dense<2.000000e+00> : tensor<4xf32>
    # CLIP6: dlcc.min %[[M]], %[[HI]]
    build(path, [node("Clip", ["x"], ["y"], min=-1.0, max=2.0)],
          [("x", F32, [4])], [("y", F32, [4])], opset=6, ir_version=3)
elif case == "clip13":
    # Clip-13 takes optional min/max inputs; only max is given.
    # CLIP13-NOT: dlcc.max
    # CLIP13: dlcc.min %arg0
    build(path, [node("Clip", ["x", "", "hi"], ["y"])],
          [("x", F32, [4]), ("hi", F32, [])], [("y", F32, [4])])
elif case == "cast1":
    # Cast-1 names its target type with a string.
    # CAST1: dlcc.convert %arg0 : (tensor<4xf32>) -> tensor<4xi32>
    build(path, [node("Cast", ["x"], ["y"], to="INT32")],
          [("x", F32, [4])], [("y", 6, [4])], opset=1, ir_version=3)
elif case == "trig":
    # The inverse and hyperbolic trigonometric functions, one op each.
    # TRIG: %[[A:.+]] = dlcc.tan %arg0 : tensor<3xf32>
    # TRIG-NEXT: %[[B:.+]] = dlcc.asin %[[A]] : tensor<3xf32>
    # TRIG-NEXT: %[[C:.+]] = dlcc.acos %[[B]] : tensor<3xf32>
    # TRIG-NEXT: %[[D:.+]] = dlcc.atan %[[C]] : tensor<3xf32>
    # TRIG-NEXT: %[[E:.+]] = dlcc.sinh %[[D]] : tensor<3xf32>
    # TRIG-NEXT: %[[F:.+]] = dlcc.cosh %[[E]] : tensor<3xf32>
    # TRIG-NEXT: %[[G:.+]] = dlcc.asinh %[[F]] : tensor<3xf32>
    # TRIG-NEXT: %[[H:.+]] = dlcc.acosh %[[G]] : tensor<3xf32>
    # TRIG-NEXT: dlcc.atanh %[[H]] : tensor<3xf32>
    ops = ["Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh"]
    names = ["x"] + ["t%d" % i for i in range(len(ops) - 1)] + ["y"]
    build(path, [helper.make_node(op, [names[i]], [names[i + 1]]) for i, op in enumerate(ops)],
          [("x", F32, [3])], [("y", F32, None)], opset=13)
elif case == "mod":
    # Integer Mod (fmod=0) takes the divisor's sign: a select fixes up rem.
    # MOD: %[[R:.+]] = dlcc.rem %arg0, %arg1 : tensor<4xi64>
    # MOD: dlcc.xor
    # MOD: %[[S:.+]] = dlcc.add %[[R]], %arg1
    # MOD: dlcc.select %{{.+}}, %[[S]], %[[R]]
    build(path, [node("Mod", ["a", "b"], ["y"])],
          [("a", I64, [4]), ("b", I64, [4])], [("y", I64, [4])])
elif case == "where":
    # WHERE: dlcc.select %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x3xi1>, tensor<2x3xf32>
    build(path, [node("Where", ["c", "x", "y"], ["z"])],
          [("c", BOOL, [2, 1]), ("x", F32, [3]), ("y", F32, [2, 3])], [("z", F32, [2, 3])])
elif case == "fold":
    # Arithmetic on constants is evaluated at import time.
    # FOLD: func.func @forward
    # FOLD-NOT: dlcc.add
    # FOLD-NOT: dlcc.mul
    # FOLD: dlcc.constant dense<[12, 18]> : tensor<2xi64>
    build(path, [node("Add", ["c1", "c2"], ["s"]), node("Mul", ["s", "c3"], ["y"])],
          [], [("y", I64, [2])],
          [tensor("c1", np.array([1, 2])), tensor("c2", np.array([3, 4])),
           tensor("c3", np.array([3, 3]))])
elif case == "prelu":
    # PRELU: %[[S:.+]] = dlcc.broadcast_in_dim %arg1, dims = [1, 2, 3] : (tensor<3x1x1xf32>) -> tensor<2x3x4x4xf32>
    # PRELU: %[[N:.+]] = dlcc.compare lt, %arg0
    # PRELU: %[[M:.+]] = dlcc.mul %arg0, %[[S]]
    # PRELU: dlcc.select %[[N]], %[[M]], %arg0
    build(path, [node("PRelu", ["x", "slope"], ["y"])],
          [("x", F32, [2, 3, 4, 4]), ("slope", F32, [3, 1, 1])], [("y", F32, [2, 3, 4, 4])])
elif case == "round":
    # Round half to even from floor and a tie fix-up.
    # ROUND: dlcc.floor
    # ROUND: dlcc.rem
    # ROUND: dlcc.select
    build(path, [node("Round", ["x"], ["y"])], [("x", F32, [4])], [("y", F32, [4])])
elif case == "badtype":
    # BADTYPE: dlcc: error: node producing 'y' (Sqrt-13): takes float tensors, got an integer type
    build(path, [node("Sqrt", ["x"], ["y"])], [("x", I64, [4])], [("y", I64, [4])])
elif case == "badshape":
    # BADSHAPE: dlcc: error: node producing 'y' (Add-14): input shapes are not broadcast-compatible: tensor<2x3xf32> tensor<4xf32>
    build(path, [node("Add", ["a", "b"], ["y"])],
          [("a", F32, [2, 3]), ("b", F32, [4])], [("y", F32, [2, 3])])
