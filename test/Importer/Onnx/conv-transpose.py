# ConvTranspose: the data gradient of a convolution (X is grad_output, W the
# forward filter), with ONNX's output size rules (pads, output_padding,
# output_shape, auto_pad) and zero padding where no input reaches.
# RUN: %python %s %t.basic.onnx basic && %dlcc %t.basic.onnx --emit=mlir | FileCheck %s --check-prefix=BASIC
# RUN: %python %s %t.output-shape.onnx output-shape && %dlcc %t.output-shape.onnx --emit=mlir | FileCheck %s --check-prefix=OUTPUT-SHAPE
# RUN: %python %s %t.same.onnx same && %dlcc %t.same.onnx --emit=mlir | FileCheck %s --check-prefix=SAME
# RUN: %python %s %t.bad-channels.onnx bad-channels && not %dlcc %t.bad-channels.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-CHANNELS
# RUN: %python %s %t.bad-output-shape.onnx bad-output-shape && not %dlcc %t.bad-output-shape.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-OUTPUT-SHAPE
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node

if case == "basic":
    # Grouped (2 groups of 2 input channels, 1 output channel each), stride 2,
    # pads 1, output_padding 1: D = 2*(3-1) + 1 + 3 - 1 - 1 = 6. The last
    # reachable position is 2*2 + 2 - 1 = 5, so the forward convolution of a
    # 6-wide input has pad_high 0; the bias is added per output channel.
    # BASIC: %[[Y:.*]] = dlcc.convolution_backward_data %arg0, %arg1, strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0], dilations = [1, 1], groups = 2 : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32>
    # BASIC: %[[B:.*]] = dlcc.broadcast_in_dim %arg2, dims = [1] : (tensor<2xf32>) -> tensor<1x2x6x6xf32>
    # BASIC: dlcc.add %[[Y]], %[[B]] : tensor<1x2x6x6xf32>
    build(path, [node("ConvTranspose", ["x", "w", "b"], ["y"], group=2, strides=[2, 2],
                      pads=[1, 1, 1, 1], output_padding=[1, 1])],
          [("x", F32, [1, 4, 3, 3]), ("w", F32, [4, 1, 3, 3]), ("b", F32, [2])],
          [("y", F32, [1, 2, 6, 6])])
elif case == "output-shape":
    # ONNX's test_convtranspose_output_shape: strides [3, 2] reach 3*2 + 3 = 9
    # and 2*2 + 3 = 7 positions; output_shape [10, 8] adds a zero row and
    # column at the end.
    # OUTPUT-SHAPE: %[[Y:.*]] = dlcc.convolution_backward_data %arg0, %arg1, strides = [3, 2], pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1], groups = 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x9x7xf32>
    # OUTPUT-SHAPE: dlcc.pad constant %[[Y]], %{{.*}}, low = [0, 0, 0, 0], high = [0, 0, 1, 1] : (tensor<1x2x9x7xf32>, tensor<f32>) -> tensor<1x2x10x8xf32>
    build(path, [node("ConvTranspose", ["x", "w"], ["y"], strides=[3, 2],
                      output_shape=[10, 8])],
          [("x", F32, [1, 1, 3, 3]), ("w", F32, [1, 2, 3, 3])],
          [("y", F32, [1, 2, 10, 8])])
elif case == "same":
    # SAME_*: D = E*stride = 6, total padding 2*2 + 3 - 6 = 1: at the start for
    # SAME_LOWER, at the end for SAME_UPPER.
    # SAME: dlcc.convolution_backward_data %arg0, %arg1, strides = [2], pad_low = [0], pad_high = [1], dilations = [1], groups = 1 : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
    # SAME: dlcc.convolution_backward_data %arg0, %arg1, strides = [2], pad_low = [1], pad_high = [0], dilations = [1], groups = 1 : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
    build(path, [node("ConvTranspose", ["x", "w"], ["a"], strides=[2], auto_pad="SAME_UPPER"),
                 node("ConvTranspose", ["x", "w"], ["b"], strides=[2], auto_pad="SAME_LOWER")],
          [("x", F32, [1, 1, 3]), ("w", F32, [1, 1, 3])],
          [("a", F32, [1, 1, 6]), ("b", F32, [1, 1, 6])])
elif case == "bad-channels":
    # BAD-CHANNELS: dlcc: error: node 'n0' (ConvTranspose-11): channel mismatch: input X has 3 channels, weight W is [4, 1, 3, 3] with 1 groups (expected W[0] == C, divisible by group)
    build(path, [node("ConvTranspose", ["x", "w"], ["y"], name="n0")],
          [("x", F32, [1, 3, 4, 4]), ("w", F32, [4, 1, 3, 3])],
          [("y", F32, [1, 1, 6, 6])])
elif case == "bad-output-shape":
    # BAD-OUTPUT-SHAPE: dlcc: error: node 'n0' (ConvTranspose-11): attribute output_shape [0, 4] must have 2 positive spatial sizes
    build(path, [node("ConvTranspose", ["x", "w"], ["y"], name="n0", output_shape=[0, 4])],
          [("x", F32, [1, 1, 3, 3]), ("w", F32, [1, 1, 3, 3])],
          [("y", F32, [1, 1, 1, 4])])
