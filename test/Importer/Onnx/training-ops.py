# ai.onnx.preview.training: Adam, Momentum, Adagrad and Gradient.
# RUN: %python %s %t.adam.onnx adam && %dlcc %t.adam.onnx --emit=mlir | FileCheck %s --check-prefix=ADAM
# RUN: %python %s %t.momentum.onnx momentum && %dlcc %t.momentum.onnx --emit=mlir | FileCheck %s --check-prefix=MOMENTUM
# RUN: %python %s %t.adagrad.onnx adagrad && %dlcc %t.adagrad.onnx --emit=mlir | FileCheck %s --check-prefix=ADAGRAD
# RUN: %python %s %t.gradient.onnx gradient && %dlcc %t.gradient.onnx --compile-to=imported | FileCheck %s --check-prefix=GRADIENT
# RUN: %python %s %t.bad-y.onnx bad-y && not %dlcc %t.bad-y.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-Y
# RUN: %python %s %t.bad-groups.onnx bad-groups && not %dlcc %t.bad-groups.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-GROUPS
# RUN: %python %s %t.bad-mode.onnx bad-mode && not %dlcc %t.bad-mode.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-MODE
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
TRAINING = "ai.onnx.preview.training"


def node(*args, **kwargs):
    return helper.make_node(*args, domain=TRAINING, **kwargs)


scalars = [("R", F32, []), ("T", I64, [])]

if case == "adam":
    # Two tensors: inputs grouped as X1 X2 G1 G2 V1 V2 H1 H2; outputs
    # X1' X2' V1' V2' H1' H2'. The bias-corrected rate is chosen by T > 0.
    # ADAM: func.func @forward(%[[R:.*]]: tensor<f32> {dlcc.input = "R"}, %[[T:.*]]: tensor<i64> {dlcc.input = "T"}
    # ADAM: %[[TF:.*]] = dlcc.convert %[[T]] : (tensor<i64>) -> tensor<f32>
    # ADAM: %[[POS:.*]] = dlcc.compare gt, %[[T]], %{{.*}} : tensor<i64>
    # ADAM: dlcc.pow
    # ADAM: dlcc.pow
    # ADAM: dlcc.sqrt %{{.*}} : tensor<f32>
    # ADAM: %[[RADJ:.*]] = dlcc.select %[[POS]], %{{.*}}, %[[R]] : tensor<i1>, tensor<f32>
    # ADAM: dlcc.sqrt %{{.*}} : tensor<3xf32>
    # ADAM: dlcc.broadcast_in_dim %[[RADJ]], dims = [] : (tensor<f32>) -> tensor<3xf32>
    # ADAM: dlcc.sqrt %{{.*}} : tensor<2x2xf32>
    # ADAM: return {{.*}} : tensor<3xf32>, tensor<2x2xf32>, tensor<3xf32>, tensor<2x2xf32>, tensor<3xf32>, tensor<2x2xf32>
    shapes = {"1": [3], "2": [2, 2]}
    ins = [k + i for k in "XGVH" for i in "12"]
    build(path, [node("Adam", ["R", "T"] + ins,
                      [k + i + "_new" for k in "XVH" for i in "12"],
                      alpha=0.9, beta=0.99, epsilon=1e-7, norm_coefficient=0.01)],
          scalars + [(n, F32, shapes[n[1]]) for n in ins],
          [(k + i + "_new", F32, shapes[i]) for k in "XVH" for i in "12"],
          opset=17, training_opset=1)
elif case == "momentum":
    # Nesterov: X' = X - R * (G_reg + alpha * V'); beta is 1 at T = 0.
    # MOMENTUM-DAG: %[[ONE:.*]] = dlcc.constant dense<1.000000e+00> : tensor<f32>
    # MOMENTUM-DAG: %[[BETA:.*]] = dlcc.constant dense<5.000000e-01> : tensor<f32>
    # MOMENTUM: %[[POS:.*]] = dlcc.compare gt
    # MOMENTUM: %[[BADJ:.*]] = dlcc.select %[[POS]], %[[BETA]], %[[ONE]] : tensor<i1>, tensor<f32>
    # MOMENTUM: dlcc.broadcast_in_dim %[[BADJ]], dims = [] : (tensor<f32>) -> tensor<4xf32>
    # MOMENTUM: %[[RB:.*]] = dlcc.broadcast_in_dim %arg0, dims = [] : (tensor<f32>) -> tensor<4xf32>
    # MOMENTUM: %[[D:.*]] = dlcc.add
    # MOMENTUM: %[[U:.*]] = dlcc.mul %[[RB]], %[[D]] : tensor<4xf32>
    # MOMENTUM: %[[XN:.*]] = dlcc.sub %arg2, %[[U]] : tensor<4xf32>
    # MOMENTUM: return %[[XN]], %{{.*}} : tensor<4xf32>, tensor<4xf32>
    build(path, [node("Momentum", ["R", "T", "X", "G", "V"], ["X_new", "V_new"],
                      alpha=0.9, beta=0.5, mode="nesterov", norm_coefficient=0.0)],
          scalars + [(n, F32, [4]) for n in "XGV"],
          [("X_new", F32, [4]), ("V_new", F32, [4])], opset=17, training_opset=1)
elif case == "adagrad":
    # r = R / (1 + T * decay_factor), computed on 0-d values.
    # ADAGRAD: %[[R:.*]] = dlcc.convert %arg0 : (tensor<f32>) -> tensor<f64>
    # ADAGRAD: %[[TF:.*]] = dlcc.convert %arg1 : (tensor<i64>) -> tensor<f64>
    # ADAGRAD: %[[TD:.*]] = dlcc.mul %[[TF]], %{{.*}} : tensor<f64>
    # ADAGRAD: %[[DEN:.*]] = dlcc.add %[[TD]], %{{.*}} : tensor<f64>
    # ADAGRAD: %[[RATE:.*]] = dlcc.div %[[R]], %[[DEN]] : tensor<f64>
    # ADAGRAD: dlcc.broadcast_in_dim %[[RATE]], dims = [] : (tensor<f64>) -> tensor<2x3xf64>
    build(path, [node("Adagrad", ["R", "T", "X", "G", "H"], ["X_new", "H_new"],
                      decay_factor=0.1)],
          [("R", F32, []), ("T", I64, [])] + [(n, F64, [2, 3]) for n in "XGH"],
          [("X_new", F64, [2, 3]), ("H_new", F64, [2, 3])], opset=17, training_opset=1)
elif case == "gradient":
    # GRADIENT: %[[C:.*]] = dlcc.add %arg0, %arg1 : tensor<f32>
    # GRADIENT: %[[D:.*]] = dlcc.mul %[[C]], %arg0 : tensor<f32>
    # GRADIENT: %[[G:.*]]:2 = dlcc.gradient %[[D]] wrt %arg0, %arg1 : (tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
    # GRADIENT: return %[[D]], %[[G]]#0, %[[G]]#1
    build(path, [helper.make_node("Add", ["a", "b"], ["c"]),
                 helper.make_node("Mul", ["c", "a"], ["d"]),
                 node("Gradient", ["a", "b"], ["da", "db"], xs=["a", "b"], y="d")],
          [("a", F32, []), ("b", F32, [])],
          [("d", F32, []), ("da", F32, []), ("db", F32, [])], opset=12, training_opset=1)
elif case == "bad-y":
    # BAD-Y: (Gradient-1): y ('c') must be a float scalar (0-d tensor), got tensor<3xf32>
    build(path, [helper.make_node("Add", ["a", "b"], ["c"]),
                 node("Gradient", ["a", "b"], ["da", "db"], xs=["a", "b"], y="c")],
          [("a", F32, [3]), ("b", F32, [3])],
          [("da", F32, [3]), ("db", F32, [3])], opset=12, training_opset=1)
elif case == "bad-groups":
    # BAD-GROUPS: (Adam-1): expected inputs R, T and 4 equal groups of tensors, got 5 inputs
    build(path, [node("Adam", ["R", "T", "X", "G", "V"], ["X_new"])],
          scalars + [(n, F32, [4]) for n in "XGV"], [("X_new", F32, [4])],
          opset=17, training_opset=1)
elif case == "bad-mode":
    # BAD-MODE: (Momentum-1): mode must be 'standard' or 'nesterov', got 'heavy'
    build(path, [node("Momentum", ["R", "T", "X", "G", "V"], ["X_new", "V_new"],
                      alpha=0.9, beta=0.5, mode="heavy", norm_coefficient=0.0)],
          scalars + [(n, F32, [4]) for n in "XGV"],
          [("X_new", F32, [4]), ("V_new", F32, [4])], opset=17, training_opset=1)
