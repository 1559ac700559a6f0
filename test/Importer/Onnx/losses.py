# SoftmaxCrossEntropyLoss, NegativeLogLikelihoodLoss and Dropout.
# RUN: %python %s %t.sce.onnx sce && %dlcc %t.sce.onnx --emit=mlir | FileCheck %s --check-prefix=SCE
# RUN: %python %s %t.sce-plain.onnx sce-plain && %dlcc %t.sce-plain.onnx --emit=mlir | FileCheck %s --check-prefix=SCE-PLAIN
# RUN: %python %s %t.nll.onnx nll && %dlcc %t.nll.onnx --emit=mlir | FileCheck %s --check-prefix=NLL
# RUN: %python %s %t.dropout-train.onnx dropout-train && %dlcc %t.dropout-train.onnx --emit=mlir | FileCheck %s --check-prefix=DROPOUT-TRAIN
# RUN: %python %s %t.dropout-infer.onnx dropout-infer && %dlcc %t.dropout-infer.onnx --emit=mlir | FileCheck %s --check-prefix=DROPOUT-INFER
# RUN: %python %s %t.dropout-old.onnx dropout-old && %dlcc %t.dropout-old.onnx --emit=mlir | FileCheck %s --check-prefix=DROPOUT-OLD
# RUN: %python %s %t.bad-labels.onnx bad-labels && not %dlcc %t.bad-labels.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-LABELS
# RUN: %python %s %t.bad-reduction.onnx bad-reduction && not %dlcc %t.bad-reduction.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-REDUCTION
# RUN: %python %s %t.bad-mode.onnx bad-mode && not %dlcc %t.bad-mode.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-MODE
import sys

import numpy as np
from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node


def const(name, value):
    return node("Constant", [], [name], value=tensor(name + "_value", value))


if case == "sce":
    # log_softmax over the classes (dim 1), then cross entropy with
    # ignore_index, weights and the log_prob output.
    # SCE: %[[LP:.*]] = dlcc.log_softmax %{{.*}}, dim = 1 : tensor<4x5x2xf32>
    # SCE: %[[L:.*]] = dlcc.cross_entropy %[[LP]], %{{.*}} weights %{{.*}}, ignore_index = -1, reduction = sum : (tensor<4x5x2xf32>, tensor<4x2xi64>, tensor<5xf32>) -> tensor<f32>
    # SCE: return %[[L]], %[[LP]] : tensor<f32>, tensor<4x5x2xf32>
    build(path, [node("SoftmaxCrossEntropyLoss", ["x", "y", "w"], ["loss", "logp"],
                      ignore_index=-1, reduction="sum")],
          [("x", F32, [4, 5, 2]), ("y", I64, [4, 2]), ("w", F32, [5])],
          [("loss", F32, []), ("logp", F32, [4, 5, 2])], opset=13)
elif case == "sce-plain":
    # Without ignore_index no valid label (in [0, C)) is ignored; the default
    # reduction is mean.
    # SCE-PLAIN: %[[LP:.*]] = dlcc.log_softmax %{{.*}}, dim = 1 : tensor<4x5xf32>
    # SCE-PLAIN: dlcc.cross_entropy %[[LP]], %{{.*}}, ignore_index = -2147483648, reduction = mean : (tensor<4x5xf32>, tensor<4xi32>) -> tensor<f32>
    build(path, [node("SoftmaxCrossEntropyLoss", ["x", "y"], ["loss"])],
          [("x", F32, [4, 5]), ("y", I32, [4])], [("loss", F32, [])], opset=12)
elif case == "nll":
    # NLL: dlcc.cross_entropy %{{.*}}, %{{.*}}, ignore_index = 2, reduction = none : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4xf32>
    # NLL-NOT: log_softmax
    build(path, [node("NegativeLogLikelihoodLoss", ["x", "y"], ["loss"], reduction="none",
                      ignore_index=2)],
          [("x", F32, [4, 5]), ("y", I64, [4])], [("loss", F32, [4])], opset=13)
elif case == "dropout-train":
    # Training mode: a random keep-mask from the program's RNG state, kept
    # values scaled by 1 / (1 - 0.25).
    # DROPOUT-TRAIN: dlcc.state_slot rng
    # DROPOUT-TRAIN-DAG: %[[S:.*]] = dlcc.constant dense<1.33333337> : tensor<3x4xf32>
    # DROPOUT-TRAIN-DAG: %[[Z:.*]] = dlcc.constant dense<0.000000e+00> : tensor<3x4xf32>
    # DROPOUT-TRAIN: %[[K:.*]] = dlcc.dropout_mask %{{.*}}, ratio = 2.500000e-01 : (tensor<2xi64>) -> tensor<3x4xi1>
    # DROPOUT-TRAIN: %[[X:.*]] = dlcc.mul %{{.*}}, %[[S]] : tensor<3x4xf32>
    # DROPOUT-TRAIN: %[[Y:.*]] = dlcc.select %[[K]], %[[X]], %[[Z]] : tensor<3x4xi1>, tensor<3x4xf32>
    # DROPOUT-TRAIN: return %[[Y]], %[[K]]
    build(path, [const("r", np.array(0.25, np.float32)), const("t", np.array(True)),
                 node("Dropout", ["x", "r", "t"], ["y", "mask"])],
          [("x", F32, [3, 4])], [("y", F32, [3, 4]), ("mask", BOOL, [3, 4])], opset=13)
elif case == "dropout-infer":
    # Inference (no training_mode): identity and an all-true mask, whatever
    # the ratio, even one only known at run time.
    # DROPOUT-INFER: %[[T:.*]] = dlcc.constant dense<true> : tensor<3x4xi1>
    # DROPOUT-INFER: return %arg0, %[[T]] : tensor<3x4xf32>, tensor<3x4xi1>
    build(path, [node("Dropout", ["x", "r"], ["y", "mask"])],
          [("x", F32, [3, 4]), ("r", F32, [])],
          [("y", F32, [3, 4]), ("mask", BOOL, [3, 4])], opset=13)
elif case == "dropout-old":
    # Dropout-6 trains unless is_test is set; its mask has the input's type.
    # DROPOUT-OLD: %[[K:.*]] = dlcc.dropout_mask %{{.*}}, ratio = 5.000000e-01 : (tensor<2xi64>) -> tensor<3x4xi1>
    # DROPOUT-OLD: dlcc.convert %[[K]] : (tensor<3x4xi1>) -> tensor<3x4xf32>
    # Dropout-6 with is_test=1 is the identity.
    # DROPOUT-OLD: return %{{.*}}, %{{.*}}, %arg0, %{{.*}} :
    build(path, [node("Dropout", ["x"], ["y", "mask"]),
                 node("Dropout", ["x"], ["z"], is_test=1)],
          [("x", F32, [3, 4])],
          [("y", F32, [3, 4]), ("mask", F32, [3, 4]), ("z", F32, [3, 4])], opset=6,
          ir_version=3)
elif case == "bad-labels":
    # BAD-LABELS: (SoftmaxCrossEntropyLoss-13): labels have shape [4], expected [4, 2] for scores [4, 5, 2]
    build(path, [node("SoftmaxCrossEntropyLoss", ["x", "y"], ["loss"])],
          [("x", F32, [4, 5, 2]), ("y", I64, [4])], [("loss", F32, [])], opset=13)
elif case == "bad-reduction":
    # BAD-REDUCTION: (NegativeLogLikelihoodLoss-13): unknown reduction 'avg' (expected none, sum or mean)
    build(path, [node("NegativeLogLikelihoodLoss", ["x", "y"], ["loss"], reduction="avg")],
          [("x", F32, [4, 5]), ("y", I64, [4])], [("loss", F32, [])], opset=13)
elif case == "bad-mode":
    # BAD-MODE: (Dropout-13): input training_mode ('t') must be a scalar known at import time
    build(path, [node("Dropout", ["x", "r", "t"], ["y"])],
          [("x", F32, [3, 4]), ("r", F32, []), ("t", BOOL, [])], [("y", F32, [3, 4])],
          opset=13)
