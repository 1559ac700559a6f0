import sys

import numpy as np

import gen
from gen import generate


def Case(*args, **kw):
    return gen.Case(*args, exact=True, **kw)

rng = np.random.default_rng(7)


def q(*shape, lo=-3, hi=3, step=0.5):
    """float32 values on a half-integer grid: exact in every format."""
    return (rng.integers(int(lo / step), int(hi / step) + 1, size=shape) * step).astype(np.float32)


CONV_GRAD = """
x = a0.clone().requires_grad_(); w = a1.clone().requires_grad_()
y = F.conv2d(F.pad(x, ({pl1}, {ph1}, {pl0}, {ph0})), w, stride={s}, dilation={d}, groups={g})
(y * a2).sum().backward()
result = {which}
"""

cases = [
    Case("matmul_2d", """
        func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) -> tensor<3x2xf32> {
          %0 = dlcc.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
          return %0 : tensor<3x2xf32>
        }""", [q(3, 4), q(4, 2)], "result = a0 @ a1", ["tensor<3x2xf32>"]),
    Case("matmul_batched", """
        func.func @matmul_batched(%a: tensor<2x3x4xf32>, %b: tensor<2x4x2xf32>) -> tensor<2x3x2xf32> {
          %0 = dlcc.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x2xf32>) -> tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 3, 4), q(2, 4, 2)], "result = torch.matmul(a0, a1)", ["tensor<2x3x2xf32>"]),
    Case("matmul_batched_4d", """
        func.func @matmul_batched_4d(%a: tensor<2x2x2x3xf32>, %b: tensor<2x2x3x2xf32>) -> tensor<2x2x2x2xf32> {
          %0 = dlcc.matmul %a, %b : (tensor<2x2x2x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x2x2xf32>
          return %0 : tensor<2x2x2x2xf32>
        }""", [q(2, 2, 2, 3), q(2, 2, 3, 2)], "result = torch.matmul(a0, a1)",
         ["tensor<2x2x2x2xf32>"]),
    Case("matmul_shared_rhs_transposed", """
        func.func @matmul_shared_rhs_transposed(%a: tensor<2x3x4xf32>, %b: tensor<5x4xf32>) -> tensor<2x3x5xf32> {
          %0 = dlcc.matmul %a, %b transpose_rhs : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<2x3x5xf32>
          return %0 : tensor<2x3x5xf32>
        }""", [q(2, 3, 4), q(5, 4)], "result = torch.matmul(a0, a1.T)", ["tensor<2x3x5xf32>"]),
    Case("matmul_both_transposed", """
        func.func @matmul_both_transposed(%a: tensor<2x4x3xf32>, %b: tensor<2x2x4xf32>) -> tensor<2x3x2xf32> {
          %0 = dlcc.matmul %a, %b transpose_lhs transpose_rhs : (tensor<2x4x3xf32>, tensor<2x2x4xf32>) -> tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 4, 3), q(2, 2, 4)],
         "result = torch.matmul(a0.transpose(1, 2), a1.transpose(1, 2))", ["tensor<2x3x2xf32>"]),
    Case("matmul_shared_lhs_transposed", """
        func.func @matmul_shared_lhs_transposed(%a: tensor<2x4x3xf32>, %b: tensor<4x2xf32>) -> tensor<2x3x2xf32> {
          %0 = dlcc.matmul %a, %b transpose_lhs : (tensor<2x4x3xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 4, 3), q(4, 2)], "result = torch.matmul(a0.transpose(1, 2), a1)",
         ["tensor<2x3x2xf32>"]),
    # Convolutions. torch pads symmetrically only, so asymmetric padding is an
    # explicit F.pad (last dimension first).
    Case("conv2d_strided_padded_dilated", """
        func.func @conv2d_strided_padded_dilated(%x: tensor<1x2x6x7xf32>, %w: tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32> {
          %0 = dlcc.convolution %x, %w, strides = [2, 1], pad_low = [1, 0], pad_high = [2, 1],
              dilations = [1, 2], groups = 1 : (tensor<1x2x6x7xf32>, tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32>
          return %0 : tensor<1x3x4x6xf32>
        }""", [q(1, 2, 6, 7, lo=-2, hi=2, step=1), q(3, 2, 3, 2, lo=-2, hi=2, step=1)],
         "result = F.conv2d(F.pad(a0, (0, 1, 1, 2)), a1, stride=(2, 1), dilation=(1, 2))",
         ["tensor<1x3x4x6xf32>"]),
    Case("conv2d_groups", """
        func.func @conv2d_groups(%x: tensor<2x4x5x5xf32>, %w: tensor<4x2x2x3xf32>) -> tensor<2x4x2x2xf32> {
          %0 = dlcc.convolution %x, %w, strides = [2, 2], pad_low = [1, 0], pad_high = [0, 1],
              dilations = [2, 1], groups = 2 : (tensor<2x4x5x5xf32>, tensor<4x2x2x3xf32>) -> tensor<2x4x2x2xf32>
          return %0 : tensor<2x4x2x2xf32>
        }""", [q(2, 4, 5, 5, lo=-2, hi=2, step=1), q(4, 2, 2, 3, lo=-2, hi=2, step=1)],
         "result = F.conv2d(F.pad(a0, (0, 1, 1, 0)), a1, stride=2, dilation=(2, 1), groups=2)",
         ["tensor<2x4x2x2xf32>"]),
    Case("conv1d_depthwise", """
        func.func @conv1d_depthwise(%x: tensor<2x3x8xf32>, %w: tensor<6x1x3xf32>) -> tensor<2x6x3xf32> {
          %0 = dlcc.convolution %x, %w, strides = [3], pad_low = [2], pad_high = [1],
              dilations = [2], groups = 3 : (tensor<2x3x8xf32>, tensor<6x1x3xf32>) -> tensor<2x6x3xf32>
          return %0 : tensor<2x6x3xf32>
        }""", [q(2, 3, 8, lo=-2, hi=2, step=1), q(6, 1, 3, lo=-2, hi=2, step=1)],
         "result = F.conv1d(F.pad(a0, (2, 1)), a1, stride=3, dilation=2, groups=3)",
         ["tensor<2x6x3xf32>"]),
    Case("conv3d", """
        func.func @conv3d(%x: tensor<1x2x3x4x3xf32>, %w: tensor<2x2x2x2x2xf32>) -> tensor<1x2x2x2x3xf32> {
          %0 = dlcc.convolution %x, %w, strides = [1, 2, 1], pad_low = [0, 1, 1], pad_high = [0, 0, 0],
              dilations = [1, 1, 1], groups = 1 : (tensor<1x2x3x4x3xf32>, tensor<2x2x2x2x2xf32>) -> tensor<1x2x2x2x3xf32>
          return %0 : tensor<1x2x2x2x3xf32>
        }""", [q(1, 2, 3, 4, 3, lo=-2, hi=2, step=1), q(2, 2, 2, 2, 2, lo=-2, hi=2, step=1)],
         "result = F.conv3d(F.pad(a0, (1, 0, 1, 0, 0, 0)), a1, stride=(1, 2, 1))",
         ["tensor<1x2x2x2x3xf32>"]),
    # Backward ops on a strided, grouped case whose forward output drops the
    # last input row (7 + 1 - 3 = 5 is odd) and last columns.
    Case("conv_backward_data", """
        func.func @conv_backward_data(%x: tensor<1x4x7x6xf32>, %w: tensor<4x2x3x2xf32>, %dy: tensor<1x4x3x2xf32>) -> tensor<1x4x7x6xf32> {
          %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
              dilations = [1, 2], groups = 2 : (tensor<1x4x3x2xf32>, tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32>
          return %0 : tensor<1x4x7x6xf32>
        }""", [q(1, 4, 7, 6, lo=-2, hi=2, step=1), q(4, 2, 3, 2, lo=-2, hi=2, step=1),
               q(1, 4, 3, 2, lo=-2, hi=2, step=1)],
         CONV_GRAD.format(pl0=1, ph0=0, pl1=0, ph1=1, s=(2, 3), d=(1, 2), g=2, which="x.grad"),
         ["tensor<1x4x7x6xf32>"], comment="(%x is unused: it is the forward input autograd needs.)"),
    Case("conv_backward_filter", """
        func.func @conv_backward_filter(%x: tensor<1x4x7x6xf32>, %w: tensor<4x2x3x2xf32>, %dy: tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32> {
          %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
              dilations = [1, 2], groups = 2 : (tensor<1x4x7x6xf32>, tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32>
          return %0 : tensor<4x2x3x2xf32>
        }""", [q(1, 4, 7, 6, lo=-2, hi=2, step=1), q(4, 2, 3, 2, lo=-2, hi=2, step=1),
               q(1, 4, 3, 2, lo=-2, hi=2, step=1)],
         CONV_GRAD.format(pl0=1, ph0=0, pl1=0, ph1=1, s=(2, 3), d=(1, 2), g=2, which="w.grad"),
         ["tensor<4x2x3x2xf32>"]),
    # Padding wider than the kernel: the first and last grad_output elements
    # only see padding and reach no input element.
    Case("conv_backward_data_wide_pad", """
        func.func @conv_backward_data_wide_pad(%x: tensor<1x2x5xf32>, %w: tensor<2x2x1xf32>, %dy: tensor<1x2x4xf32>) -> tensor<1x2x5xf32> {
          %0 = dlcc.convolution_backward_data %dy, %w, strides = [2], pad_low = [1], pad_high = [2],
              dilations = [1], groups = 1 : (tensor<1x2x4xf32>, tensor<2x2x1xf32>) -> tensor<1x2x5xf32>
          return %0 : tensor<1x2x5xf32>
        }""", [q(1, 2, 5, lo=-2, hi=2, step=1), q(2, 2, 1, lo=-2, hi=2, step=1),
               q(1, 2, 4, lo=-2, hi=2, step=1)],
         """
         x = a0.clone().requires_grad_()
         y = F.conv1d(F.pad(x, (1, 2)), a1, stride=2)
         (y * a2).sum().backward()
         result = x.grad""", ["tensor<1x2x5xf32>"]),
    Case("conv_backward_filter_1d_dilated", """
        func.func @conv_backward_filter_1d_dilated(%x: tensor<2x2x9xf32>, %dy: tensor<2x4x3xf32>) -> tensor<4x1x3xf32> {
          %0 = dlcc.convolution_backward_filter %x, %dy, strides = [3], pad_low = [2], pad_high = [0],
              dilations = [2], groups = 2 : (tensor<2x2x9xf32>, tensor<2x4x3xf32>) -> tensor<4x1x3xf32>
          return %0 : tensor<4x1x3xf32>
        }""", [q(2, 2, 9, lo=-2, hi=2, step=1), q(2, 4, 3, lo=-2, hi=2, step=1)],
         """
         w = torch.zeros(4, 1, 3, dtype=torch.float64, requires_grad=True)
         y = F.conv1d(F.pad(a0, (2, 0)), w, stride=3, dilation=2, groups=2)
         (y * a1).sum().backward()
         result = w.grad""", ["tensor<4x1x3xf32>"]),
]

generate(sys.argv[1], """
Execution tests of dlcc-convert-to-linalg for dlcc.matmul and the
convolutions: lowered by --dlcc-reference-cpu-lowering and run under
mlir-runner. Expected values are computed independently with torch (snippet
above each function; inputs are the @main constants in order); inputs lie on
integer or half-integer grids so the results are exact.
""", cases)
