# Conv (auto_pad, groups, bias, 1-D/3-D) and pooling (ceil_mode, padding,
# count_include_pad, dilations, global pools).
# RUN: %python %s %t.same.onnx same && %dlcc %t.same.onnx --emit=mlir | FileCheck %s --check-prefix=SAME
# RUN: %python %s %t.group.onnx group && %dlcc %t.group.onnx --emit=mlir | FileCheck %s --check-prefix=GROUP
# RUN: %python %s %t.conv3d.onnx conv3d && %dlcc %t.conv3d.onnx --emit=mlir | FileCheck %s --check-prefix=CONV3D
# RUN: %python %s %t.maxpool.onnx maxpool && %dlcc %t.maxpool.onnx --emit=mlir | FileCheck %s --check-prefix=MAXPOOL
# RUN: %python %s %t.avgpool.onnx avgpool && %dlcc %t.avgpool.onnx --emit=mlir | FileCheck %s --check-prefix=AVGPOOL
# RUN: %python %s %t.maxpool-u8.onnx maxpool-u8 && %dlcc %t.maxpool-u8.onnx --emit=mlir | FileCheck %s --check-prefix=MAXPOOL-U8
# RUN: %python %s %t.global.onnx global && %dlcc %t.global.onnx --emit=mlir | FileCheck %s --check-prefix=GLOBAL
# RUN: %python %s %t.bad-channels.onnx bad-channels && not %dlcc %t.bad-channels.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-CHANNELS
# RUN: %python %s %t.bad-indices.onnx bad-indices && not %dlcc %t.bad-indices.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-INDICES
# RUN: %python %s %t.bad-kernel.onnx bad-kernel && not %dlcc %t.bad-kernel.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-KERNEL
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node

if case == "same":
    # 8x8 input, 3x3 kernel, stride 2: output 4x4, total padding 1 per axis:
    # after the input for SAME_UPPER, before it for SAME_LOWER.
    # SAME: dlcc.convolution %{{.*}}, %{{.*}}, strides = [2, 2], pad_low = [0, 0], pad_high = [1, 1], dilations = [1, 1], groups = 1 : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x4x4xf32>
    # SAME: dlcc.convolution %{{.*}}, %{{.*}}, strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0], dilations = [1, 1], groups = 1 : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x4x4xf32>
    # VALID drops the partial window; explicit pads are kept as given.
    # SAME: dlcc.convolution %{{.*}}, %{{.*}}, strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1], groups = 1 : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
    # SAME: dlcc.convolution %{{.*}}, %{{.*}}, strides = [1, 1], pad_low = [1, 0], pad_high = [2, 0], dilations = [2, 1], groups = 1 : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x7x6xf32>
    build(path, [node("Conv", ["x", "w"], ["a"], auto_pad="SAME_UPPER", strides=[2, 2]),
                 node("Conv", ["x", "w"], ["b"], auto_pad="SAME_LOWER", strides=[2, 2]),
                 node("Conv", ["x", "w"], ["c"], auto_pad="VALID", strides=[2, 2]),
                 node("Conv", ["x", "w"], ["d"], pads=[1, 0, 2, 0], dilations=[2, 1],
                      kernel_shape=[3, 3])],
          [("x", F32, [1, 2, 8, 8]), ("w", F32, [4, 2, 3, 3])],
          [("a", F32, [1, 4, 4, 4]), ("b", F32, [1, 4, 4, 4]), ("c", F32, [1, 4, 3, 3]),
           ("d", F32, [1, 4, 7, 6])])
elif case == "group":
    # A grouped 1-D convolution with a bias added along the channel dimension.
    # GROUP: %[[Y:.*]] = dlcc.convolution %{{.*}}, %{{.*}}, strides = [1], pad_low = [1], pad_high = [1], dilations = [1], groups = 2 : (tensor<2x4x5xf32>, tensor<6x2x3xf32>) -> tensor<2x6x5xf32>
    # GROUP: %[[B:.*]] = dlcc.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<6xf32>) -> tensor<2x6x5xf32>
    # GROUP: dlcc.add %[[Y]], %[[B]] : tensor<2x6x5xf32>
    build(path, [node("Conv", ["x", "w", "b"], ["y"], group=2, pads=[1, 1])],
          [("x", F32, [2, 4, 5]), ("w", F32, [6, 2, 3]), ("b", F32, [6])],
          [("y", F32, [2, 6, 5])])
elif case == "conv3d":
    # CONV3D: dlcc.convolution %{{.*}}, %{{.*}}, strides = [1, 2, 1], pad_low = [0, 0, 0], pad_high = [0, 0, 0], dilations = [1, 1, 1], groups = 1 : (tensor<1x1x4x4x4xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x2x3xf32>
    build(path, [node("Conv", ["x", "w"], ["y"], strides=[1, 2, 1])],
          [("x", F32, [1, 1, 4, 4, 4]), ("w", F32, [2, 1, 2, 2, 2])],
          [("y", F32, [1, 2, 3, 2, 3])])
elif case == "maxpool":
    # ceil_mode: dim 0 (5, no padding) gets ceil((5-2)/2)+1 = 3 windows; dim 1
    # (5, padded 1+1) would get ceil(5/2)+1 = 4, but the 4th window would start
    # in the right padding, so 3 (PyTorch's rule).
    # MAXPOOL: dlcc.pool max %{{.*}}, window = [2, 2], strides = [2, 2], pad_low = [0, 1], pad_high = [0, 1], dilations = [1, 1] : (tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xf32>
    # Without ceil_mode the same pool floors: [2, 3].
    # MAXPOOL: dlcc.pool max %{{.*}}, window = [2, 2], strides = [2, 2], pad_low = [0, 1], pad_high = [0, 1], dilations = [1, 1] : (tensor<1x3x5x5xf32>) -> tensor<1x3x2x3xf32>
    # Dilations and SAME_UPPER.
    # MAXPOOL: dlcc.pool max %{{.*}}, window = [3, 3], strides = [1, 1], pad_low = [2, 2], pad_high = [2, 2], dilations = [2, 2] : (tensor<1x3x5x5xf32>) -> tensor<1x3x5x5xf32>
    build(path, [node("MaxPool", ["x"], ["a"], kernel_shape=[2, 2], strides=[2, 2],
                      pads=[0, 1, 0, 1], ceil_mode=1),
                 node("MaxPool", ["x"], ["b"], kernel_shape=[2, 2], strides=[2, 2],
                      pads=[0, 1, 0, 1]),
                 node("MaxPool", ["x"], ["c"], kernel_shape=[3, 3], dilations=[2, 2],
                      auto_pad="SAME_UPPER")],
          [("x", F32, [1, 3, 5, 5])],
          [("a", F32, [1, 3, 3, 3]), ("b", F32, [1, 3, 2, 3]), ("c", F32, [1, 3, 5, 5])])
elif case == "avgpool":
    # AVGPOOL: dlcc.pool avg %{{.*}}, window = [3], strides = [2], pad_low = [1], pad_high = [1], dilations = [1] count_include_pad : (tensor<2x3x6xf32>) -> tensor<2x3x3xf32>
    # AVGPOOL: dlcc.pool avg %{{.*}}, window = [3], strides = [2], pad_low = [1], pad_high = [1], dilations = [1] : (tensor<2x3x6xf32>) -> tensor<2x3x4xf32>
    # AVGPOOL: dlcc.pool avg %{{.*}}, window = [2], strides = [1], pad_low = [0], pad_high = [0], dilations = [3] : (tensor<2x3x6xf32>) -> tensor<2x3x3xf32>
    build(path, [node("AveragePool", ["x"], ["a"], kernel_shape=[3], strides=[2], pads=[1, 1],
                      count_include_pad=1),
                 node("AveragePool", ["x"], ["b"], kernel_shape=[3], strides=[2], pads=[1, 1],
                      ceil_mode=1),
                 node("AveragePool", ["x"], ["c"], kernel_shape=[2], dilations=[3])],
          [("x", F32, [2, 3, 6])],
          [("a", F32, [2, 3, 3]), ("b", F32, [2, 3, 4]), ("c", F32, [2, 3, 3])], opset=19)
elif case == "maxpool-u8":
    # MaxPool-12 on 8-bit integers pools exactly in f32.
    # MAXPOOL-U8: %[[F:.*]] = dlcc.convert %arg0 : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
    # MAXPOOL-U8: %[[P:.*]] = dlcc.pool max %[[F]], {{.*}} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
    # MAXPOOL-U8: dlcc.convert %[[P]] : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xui8>
    build(path, [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2])],
          [("x", TensorProto.UINT8, [1, 2, 4, 4])], [("y", TensorProto.UINT8, [1, 2, 2, 2])],
          opset=12)
elif case == "global":
    # GLOBAL: %[[K:.*]] = dlcc.constant dense<5.000000e-02> : tensor<2x3xf32>
    # GLOBAL: %[[S:.*]] = dlcc.reduce sum %{{.*}}, dims = [2, 3] : (tensor<2x3x4x5xf32>) -> tensor<2x3xf32>
    # GLOBAL: %[[M:.*]] = dlcc.mul %[[S]], %[[K]] : tensor<2x3xf32>
    # GLOBAL: dlcc.reshape %[[M]] : (tensor<2x3xf32>) -> tensor<2x3x1x1xf32>
    # GLOBAL: %[[X:.*]] = dlcc.reduce max %{{.*}}, dims = [2, 3] : (tensor<2x3x4x5xf32>) -> tensor<2x3xf32>
    # GLOBAL: dlcc.reshape %[[X]] : (tensor<2x3xf32>) -> tensor<2x3x1x1xf32>
    build(path, [node("GlobalAveragePool", ["x"], ["a"]), node("GlobalMaxPool", ["x"], ["b"])],
          [("x", F32, [2, 3, 4, 5])],
          [("a", F32, [2, 3, 1, 1]), ("b", F32, [2, 3, 1, 1])])
elif case == "bad-channels":
    # BAD-CHANNELS: node 'conv1' (Conv-11): channel mismatch: input X has 3 channels, weight W is [4, 2, 3, 3] with 1 groups
    build(path, [node("Conv", ["x", "w"], ["y"], name="conv1")],
          [("x", F32, [1, 3, 5, 5]), ("w", F32, [4, 2, 3, 3])], [("y", F32, [1, 4, 3, 3])])
elif case == "bad-indices":
    # BAD-INDICES: (MaxPool-12): the Indices output of MaxPool is not supported
    build(path, [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2])],
          [("x", F32, [1, 1, 4, 4])], [("y", F32, [1, 1, 3, 3]), ("i", I64, [1, 1, 3, 3])])
elif case == "bad-kernel":
    # BAD-KERNEL: (MaxPool-12): attribute kernel_shape is required
    build(path, [node("MaxPool", ["x"], ["y"])],
          [("x", F32, [1, 1, 4, 4])], [("y", F32, [1, 1, 3, 3])])
