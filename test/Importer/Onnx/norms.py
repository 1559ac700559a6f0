# BatchNormalization (inference, training with running statistics as state),
# LayerNormalization, InstanceNormalization, LRN, Softmax/LogSoftmax (opset
# < 13 coercion to 2-D).
# RUN: %python %s %t.bn.onnx bn && %dlcc %t.bn.onnx --emit=mlir | FileCheck %s --check-prefix=BN
# RUN: %python %s %t.bntrain.onnx bntrain && %dlcc %t.bntrain.onnx --emit=mlir | FileCheck %s --check-prefix=BNTRAIN
# RUN: %python %s %t.bn9.onnx bn9 && %dlcc %t.bn9.onnx --emit=mlir | FileCheck %s --check-prefix=BN9
# RUN: %python %s %t.ln.onnx ln && %dlcc %t.ln.onnx --emit=mlir | FileCheck %s --check-prefix=LN
# RUN: %python %s %t.softmax11.onnx softmax11 && %dlcc %t.softmax11.onnx --emit=mlir | FileCheck %s --check-prefix=SOFTMAX11
# RUN: %python %s %t.softmax13.onnx softmax13 && %dlcc %t.softmax13.onnx --emit=mlir | FileCheck %s --check-prefix=SOFTMAX13
# RUN: %python %s %t.bad-bn.onnx bad-bn && not %dlcc %t.bad-bn.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-BN
# RUN: %python %s %t.bad-ln.onnx bad-ln && not %dlcc %t.bad-ln.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-LN
# RUN: %python %s %t.bad-axis.onnx bad-axis && not %dlcc %t.bad-axis.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-AXIS
# RUN: %python %s %t.in.onnx in && %dlcc %t.in.onnx --emit=mlir | FileCheck %s --check-prefix=IN
# RUN: %python %s %t.lrn.onnx lrn && %dlcc %t.lrn.onnx --emit=mlir | FileCheck %s --check-prefix=LRN
import sys

import numpy as np
from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node
C = 3
stats = [tensor("gamma", np.ones(C, np.float32)), tensor("beta", np.zeros(C, np.float32)),
         tensor("mean", np.zeros(C, np.float32)), tensor("var", np.ones(C, np.float32))]
bn_inputs = ["x", "gamma", "beta", "mean", "var"]

if case == "bn":
    # BN: dlcc.batch_norm_inference %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, epsilon = 1.000000e-03 : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
    # BN-NOT: batch_norm_training
    build(path, [node("BatchNormalization", bn_inputs, ["y"], epsilon=1e-3)],
          [("x", F32, [2, 3, 4, 4])], [("y", F32, [2, 3, 4, 4])], stats, opset=15)
elif case == "bntrain":
    # training_mode=1: batch statistics, and the running statistics (state)
    # updated with momentum 0.8 and returned tied to their slots.
    # BNTRAIN: dlcc.state_slot batch_norm_statistic @mean
    # BNTRAIN: dlcc.state_slot batch_norm_statistic @var
    # BNTRAIN: func.func @forward({{.*}}%[[MEAN:[a-z0-9]+]]: tensor<3xf32> {dlcc.state = @mean}, %[[VAR:[a-z0-9]+]]: tensor<3xf32> {dlcc.state = @var})
    # BNTRAIN-SAME: -> (tensor<2x3x4x4xf32> {dlcc.output = "y"}, tensor<3xf32> {dlcc.tied_state = @mean}, tensor<3xf32> {dlcc.tied_state = @var})
    # BNTRAIN-DAG: %[[M:.*]] = dlcc.constant dense<8.000000e-01> : tensor<3xf32>
    # BNTRAIN-DAG: %[[OM:.*]] = dlcc.constant dense<0.199999988> : tensor<3xf32>
    # BNTRAIN: %[[Y:.*]], %[[BM:.*]], %[[BV:.*]] = dlcc.batch_norm_training %{{.*}}, %{{.*}}, %{{.*}}, epsilon = 9.99999974E-6 : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
    # BNTRAIN-DAG: %[[A:.*]] = dlcc.mul %[[MEAN]], %[[M]]
    # BNTRAIN-DAG: %[[B:.*]] = dlcc.mul %[[BM]], %[[OM]]
    # BNTRAIN: %[[NM:.*]] = dlcc.add %[[A]], %[[B]]
    # BNTRAIN-DAG: %[[C:.*]] = dlcc.mul %[[VAR]], %[[M]]
    # BNTRAIN-DAG: %[[D:.*]] = dlcc.mul %[[BV]], %[[OM]]
    # BNTRAIN: %[[NV:.*]] = dlcc.add %[[C]], %[[D]]
    # BNTRAIN: return %[[Y]], %[[NM]], %[[NV]]
    build(path, [node("BatchNormalization", bn_inputs, ["y"], training_mode=1, momentum=0.8)],
          [("x", F32, [2, 3, 4, 4])], [("y", F32, [2, 3, 4, 4])], stats, opset=15)
elif case == "bn9":
    # Before opset 14, asking for more than Y means training; the running
    # statistics come from graph inputs (not state), so they are only outputs.
    # BN9: %[[Y:.*]], %[[BM:.*]], %[[BV:.*]] = dlcc.batch_norm_training
    # BN9: %[[NM:.*]] = dlcc.add
    # BN9: %[[NV:.*]] = dlcc.add
    # BN9: return %[[Y]], %[[NM]], %[[NV]], %[[BM]], %[[BV]] : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
    build(path, [node("BatchNormalization", bn_inputs, ["y", "rm", "rv", "sm", "sv"])],
          [("x", F32, [4, 3]), ("gamma", F32, [3]), ("beta", F32, [3]), ("mean", F32, [3]),
           ("var", F32, [3])],
          [("y", F32, [4, 3]), ("rm", F32, [3]), ("rv", F32, [3]), ("sm", F32, [3]),
           ("sv", F32, [3])], opset=9)
elif case == "ln":
    # A [1]-shaped scale is broadcast to the normalized shape [4, 5]; the
    # missing bias is zeros.
    # LN-DAG: %[[Z:.*]] = dlcc.constant dense<0.000000e+00> : tensor<4x5xf32>
    # LN-DAG: %[[S:.*]] = dlcc.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<1xf32>) -> tensor<4x5xf32>
    # LN: %[[Y:.*]], %[[M:.*]], %[[R:.*]] = dlcc.layer_norm %{{.*}}, %[[S]], %[[Z]], axis = 1, epsilon = 0.00999999977 : (tensor<2x4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
    # LN: return %[[Y]], %[[M]], %[[R]]
    build(path, [node("LayerNormalization", ["x", "s"], ["y", "m", "r"], axis=-2, epsilon=0.01)],
          [("x", F32, [2, 4, 5]), ("s", F32, [1])],
          [("y", F32, [2, 4, 5]), ("m", F32, [2, 1, 1]), ("r", F32, [2, 1, 1])])
elif case == "softmax11":
    # Softmax-11 on [2, 3, 4] with axis 1 coerces to [2, 12].
    # SOFTMAX11: %[[F:.*]] = dlcc.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    # SOFTMAX11: %[[S:.*]] = dlcc.softmax %[[F]], dim = 1 : tensor<2x12xf32>
    # SOFTMAX11: dlcc.reshape %[[S]] : (tensor<2x12xf32>) -> tensor<2x3x4xf32>
    # With the default axis on the last dimension no reshape is needed.
    # SOFTMAX11: dlcc.log_softmax %{{.*}}, dim = 1 : tensor<5x7xf32>
    build(path, [node("Softmax", ["x"], ["y"]), node("LogSoftmax", ["z"], ["w"])],
          [("x", F32, [2, 3, 4]), ("z", F32, [5, 7])],
          [("y", F32, [2, 3, 4]), ("w", F32, [5, 7])], opset=11)
elif case == "softmax13":
    # SOFTMAX13: dlcc.softmax %{{.*}}, dim = 2 : tensor<2x3x4xf32>
    # SOFTMAX13: dlcc.log_softmax %{{.*}}, dim = 1 : tensor<2x3x4xf32>
    build(path, [node("Softmax", ["x"], ["y"]), node("LogSoftmax", ["x"], ["w"], axis=1)],
          [("x", F32, [2, 3, 4])], [("y", F32, [2, 3, 4]), ("w", F32, [2, 3, 4])], opset=13)
elif case == "bad-bn":
    # BAD-BN: (BatchNormalization-15): input input_mean must be a float [3] tensor, got tensor<4xf32>
    build(path, [node("BatchNormalization", bn_inputs, ["y"])],
          [("x", F32, [2, 3, 4]), ("gamma", F32, [3]), ("beta", F32, [3]), ("mean", F32, [4]),
           ("var", F32, [3])], [("y", F32, [2, 3, 4])], opset=15)
elif case == "bad-ln":
    # BAD-LN: (LayerNormalization-17): input Scale of shape [3] does not broadcast to the normalized shape [5]
    build(path, [node("LayerNormalization", ["x", "s"], ["y"])],
          [("x", F32, [2, 5]), ("s", F32, [3])], [("y", F32, [2, 5])])
elif case == "bad-axis":
    # BAD-AXIS: (Softmax-13): axis 3 is out of range for rank 3
    build(path, [node("Softmax", ["x"], ["y"], axis=3)],
          [("x", F32, [2, 3, 4])], [("y", F32, [2, 3, 4])], opset=13)
elif case == "in":
    # InstanceNormalization: a layer norm over the spatial dims with unit
    # scale, then the per-channel scale and bias broadcast over them.
    # IN: %[[Y:.+]], %{{.+}}, %{{.+}} = dlcc.layer_norm %arg0, %{{.+}}, %{{.+}}, axis = 2, epsilon = 1.000000e-03
    # IN-SAME: (tensor<2x3x4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>)
    # IN: %[[S:.+]] = dlcc.mul %[[Y]], %{{.+}} : tensor<2x3x4x5xf32>
    # IN: dlcc.add %[[S]], %{{.+}} : tensor<2x3x4x5xf32>
    build(path, [node("InstanceNormalization", ["x", "s", "b"], ["y"], epsilon=1e-3)],
          [("x", F32, [2, 3, 4, 5])], [("y", F32, None)],
          [tensor("s", np.array([1, 2, 3], np.float32)),
           tensor("b", np.array([0, 1, 0], np.float32))])
elif case == "lrn":
    # The channel window's sum of squares is an average pool (padding
    # counted) over x^2 seen as [N, 1, C, H*W]; size 4: 1 channel before, 2
    # after.
    # LRN: %[[V:.+]] = dlcc.reshape %{{.+}} : (tensor<2x6x3x5xf32>) -> tensor<2x1x6x15xf32>
    # LRN: dlcc.pool avg %[[V]], window = [4, 1], strides = [1, 1], pad_low = [1, 0], pad_high = [2, 0], dilations = [1, 1] count_include_pad
    # LRN: dlcc.pow
    # LRN: dlcc.div %arg0
    build(path, [node("LRN", ["x"], ["y"], size=4)], [("x", F32, [2, 6, 3, 5])],
          [("y", F32, None)], opset=13)
