import sys

import numpy as np

from gen import Case, generate

rng = np.random.default_rng(11)


def q(*shape, lo=-3, hi=3, step=0.5):
    """float32 values on a half-integer grid."""
    return (rng.integers(int(lo / step), int(hi / step) + 1, size=shape) * step).astype(np.float32)


def labels(values):
    return np.array(values, dtype=np.int64)


POOL_GRAD = """
x = a0.clone().requires_grad_()
y = {pool}
(y * a1).sum().backward()
result = x.grad
"""

cases = [
    # ---------------------------------------------------------------- pooling
    Case("max_pool_ceil", """
        func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
          %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
              pad_high = [0, 0], dilations = [1, 1] : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
          return %0 : tensor<1x2x3x3xf32>
        }""", [q(1, 2, 5, 5)], "result = F.max_pool2d(a0, 2, 2, ceil_mode=True)",
         ["tensor<1x2x3x3xf32>"], exact=True),
    Case("max_pool_padded_dilated_ceil", """
        func.func @max_pool_padded_dilated_ceil(%x: tensor<1x1x6x7xf32>) -> tensor<1x1x4x7xf32> {
          %0 = dlcc.pool max %x, window = [3, 2], strides = [2, 1], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 2] : (tensor<1x1x6x7xf32>) -> tensor<1x1x4x7xf32>
          return %0 : tensor<1x1x4x7xf32>
        }""", [q(1, 1, 6, 7, lo=-5, hi=-1)],
         "result = F.max_pool2d(a0, (3, 2), (2, 1), padding=1, dilation=(1, 2), ceil_mode=True)",
         ["tensor<1x1x4x7xf32>"], exact=True,
         comment="All inputs negative: padding must never win."),
    Case("max_pool_ui8", """
        func.func @max_pool_ui8() -> tensor<1x2x4xf32> {
          %x = dlcc.constant dense<[[[3, 200, 255, 7, 128], [0, 1, 129, 127, 2]]]> : tensor<1x2x5xui8>
          %0 = dlcc.pool max %x, window = [2], strides = [1], pad_low = [0], pad_high = [0],
              dilations = [1] : (tensor<1x2x5xui8>) -> tensor<1x2x4xui8>
          %1 = dlcc.convert %0 : (tensor<1x2x4xui8>) -> tensor<1x2x4xf32>
          return %1 : tensor<1x2x4xf32>
        }""", [],
         "result = F.max_pool1d(torch.tensor([[[3, 200, 255, 7, 128], [0, 1, 129, 127, 2]]], dtype=torch.float64), 2, 1)",
         ["tensor<1x2x4xf32>"], exact=True,
         comment="ui8 compares unsigned (200, 255 and 128 are not negative); the input is\n"
                 "a dlcc.constant because arith.constant has no unsigned types."),
    Case("avg_pool_ceil_count_pad", """
        func.func @avg_pool_ceil_count_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
          %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
          return %0 : tensor<1x1x4x4xf32>
        }""", [q(1, 1, 6, 6)],
         "result = F.avg_pool2d(a0, 3, 2, padding=1, ceil_mode=True, count_include_pad=True)",
         ["tensor<1x1x4x4xf32>"], cancels=False),
    Case("avg_pool_ceil_no_count_pad", """
        func.func @avg_pool_ceil_no_count_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
          %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 1] : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
          return %0 : tensor<1x1x4x4xf32>
        }""", [q(1, 1, 6, 6)],
         "result = F.avg_pool2d(a0, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)",
         ["tensor<1x1x4x4xf32>"], cancels=False),
    Case("max_pool_backward_ties", """
        func.func @max_pool_backward_ties(%x: tensor<1x2x6x6xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
          %0 = dlcc.pool_backward max %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 1] : (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
          return %0 : tensor<1x2x6x6xf32>
        }""", [q(1, 2, 6, 6, lo=0, hi=2, step=1), q(1, 2, 4, 4, lo=1, hi=4, step=1)],
         POOL_GRAD.format(pool="F.max_pool2d(x, 3, 2, padding=1, ceil_mode=True)"),
         ["tensor<1x2x6x6xf32>"], exact=True,
         comment="Inputs in {0, 1, 2}: many ties, each window routes to its first maximum\n"
                 "(torch's CPU kernel keeps the first strict maximum in row-major order)."),
    Case("max_pool_backward_neg_inf", """
        func.func @max_pool_backward_neg_inf(%x: tensor<1x1x4xf32>, %dy: tensor<1x1x5xf32>) -> tensor<1x1x4xf32> {
          %0 = dlcc.pool_backward max %x, %dy, window = [2], strides = [1], pad_low = [1],
              pad_high = [1], dilations = [1] : (tensor<1x1x4xf32>, tensor<1x1x5xf32>) -> tensor<1x1x4xf32>
          return %0 : tensor<1x1x4xf32>
        }""", [np.array([[[-np.inf, 1, -np.inf, -np.inf]]], np.float32),
               np.array([[[1, 2, 3, 4, 5]]], np.float32)],
         POOL_GRAD.format(pool="F.max_pool1d(x, 2, 1, padding=1)"),
         ["tensor<1x1x4xf32>"], exact=True,
         comment="-inf inputs tie with the padding: the first in-bounds tap still wins."),
    Case("avg_pool_backward_count_pad", """
        func.func @avg_pool_backward_count_pad(%x: tensor<1x1x6x6xf32>, %dy: tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32> {
          %0 = dlcc.pool_backward avg %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32>
          return %0 : tensor<1x1x6x6xf32>
        }""", [q(1, 1, 6, 6), q(1, 1, 4, 4)],
         POOL_GRAD.format(pool="F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True, count_include_pad=True)"),
         ["tensor<1x1x6x6xf32>"]),
    Case("avg_pool_backward_no_count_pad", """
        func.func @avg_pool_backward_no_count_pad(%x: tensor<1x1x6x6xf32>, %dy: tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32> {
          %0 = dlcc.pool_backward avg %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
              pad_high = [1, 1], dilations = [1, 1] : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32>
          return %0 : tensor<1x1x6x6xf32>
        }""", [q(1, 1, 6, 6), q(1, 1, 4, 4)],
         POOL_GRAD.format(pool="F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)"),
         ["tensor<1x1x6x6xf32>"]),
    # ---------------------------------------------------------- normalization
    Case("batch_norm_training", """
        func.func @batch_norm_training(%x: tensor<2x3x2x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>)
            -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>) {
          %y, %m, %v = dlcc.batch_norm_training %x, %g, %b, epsilon = 1.0e-05
              : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
              -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
          return %y, %m, %v : tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>
        }""", [q(2, 3, 2, 2), np.array([1.5, -0.5, 2.0], np.float32), q(3)],
         """
         result = (F.batch_norm(a0, None, None, a1, a2, training=True, eps=1e-5),
                   a0.mean((0, 2, 3)), a0.var((0, 2, 3), unbiased=False))""",
         ["tensor<2x3x2x2xf32>", "tensor<3xf32>", "tensor<3xf32>"]),
    Case("batch_norm_inference", """
        func.func @batch_norm_inference(%x: tensor<2x3x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>,
                                        %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x2xf32> {
          %y = dlcc.batch_norm_inference %x, %g, %b, %m, %v, epsilon = 1.0e-03
              : (tensor<2x3x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
              -> tensor<2x3x2xf32>
          return %y : tensor<2x3x2xf32>
        }""", [q(2, 3, 2), q(3), q(3), q(3), q(3, lo=0.5, hi=3)],
         "result = F.batch_norm(a0, a3, a4, a1, a2, training=False, eps=1e-3)",
         ["tensor<2x3x2xf32>"]),
    Case("batch_norm_backward", """
        func.func @batch_norm_backward(%x: tensor<2x3x2x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>,
                                       %dy: tensor<2x3x2x2xf32>)
            -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>) {
          %y, %m, %v = dlcc.batch_norm_training %x, %g, %b, epsilon = 1.0e-05
              : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
              -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
          %dx, %dg, %db = dlcc.batch_norm_backward %x, %g, %m, %v, %dy, epsilon = 1.0e-05
              : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
                 tensor<2x3x2x2xf32>) -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
          return %dx, %dg, %db : tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>
        }""", [q(2, 3, 2, 2), np.array([1.5, -0.5, 2.0], np.float32), q(3), q(2, 3, 2, 2)],
         """
         x, g, b = (t.clone().requires_grad_() for t in (a0, a1, a2))
         y = F.batch_norm(x, None, None, g, b, training=True, eps=1e-5)
         (y * a3).sum().backward()
         result = (x.grad, g.grad, b.grad)""",
         ["tensor<2x3x2x2xf32>", "tensor<3xf32>", "tensor<3xf32>"]),
    Case("layer_norm_axis1", """
        func.func @layer_norm_axis1(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>)
            -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
          %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 1, epsilon = 1.0e-05
              : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>)
              -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
          return %y, %m, %r : tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
        }""", [q(2, 3, 4), q(3, 4), q(3, 4)],
         """
         result = (F.layer_norm(a0, (3, 4), a1, a2, eps=1e-5), a0.mean((1, 2), keepdim=True),
                   1 / torch.sqrt(a0.var((1, 2), unbiased=False, keepdim=True) + 1e-5))""",
         ["tensor<2x3x4xf32>", "tensor<2x1x1xf32>", "tensor<2x1x1xf32>"]),
    Case("layer_norm_axis0", """
        func.func @layer_norm_axis0(%x: tensor<2x3xf32>, %g: tensor<2x3xf32>, %b: tensor<2x3xf32>)
            -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
          %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 0, epsilon = 1.0e-05
              : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
              -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
          return %y, %m, %r : tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>
        }""", [q(2, 3), q(2, 3), q(2, 3)],
         """
         result = (F.layer_norm(a0, (2, 3), a1, a2, eps=1e-5), a0.mean().reshape(1, 1),
                   (1 / torch.sqrt(a0.var(unbiased=False) + 1e-5)).reshape(1, 1))""",
         ["tensor<2x3xf32>", "tensor<1x1xf32>", "tensor<1x1xf32>"]),
    Case("layer_norm_backward_axis1", """
        func.func @layer_norm_backward_axis1(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>,
                                             %dy: tensor<2x3x4xf32>)
            -> (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
          %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 1, epsilon = 1.0e-05
              : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>)
              -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
          %dx, %dg, %db = dlcc.layer_norm_backward %x, %g, %m, %r, %dy, axis = 1
              : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>,
                 tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>)
          return %dx, %dg, %db : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
        }""", [q(2, 3, 4), q(3, 4), q(3, 4), q(2, 3, 4)],
         """
         x, g, b = (t.clone().requires_grad_() for t in (a0, a1, a2))
         y = F.layer_norm(x, (3, 4), g, b, eps=1e-5)
         (y * a3).sum().backward()
         result = (x.grad, g.grad, b.grad)""",
         ["tensor<2x3x4xf32>", "tensor<3x4xf32>", "tensor<3x4xf32>"]),
    # ---------------------------------------------------------------- softmax
    Case("softmax_dim0", """
        func.func @softmax_dim0(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
          %0 = dlcc.softmax %x, dim = 0 : tensor<3x4xf32>
          return %0 : tensor<3x4xf32>
        }""", [q(3, 4)], "result = torch.softmax(a0, 0)", ["tensor<3x4xf32>"], cancels=False),
    Case("softmax_middle_dim", """
        func.func @softmax_middle_dim(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
          %0 = dlcc.softmax %x, dim = 1 : tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 3, 2) + np.float32(100)], "result = torch.softmax(a0, 1)",
         ["tensor<2x3x2xf32>"], cancels=False, comment="Logits near 100: exp overflows float32 unless the maximum is subtracted."),
    Case("log_softmax_middle_dim", """
        func.func @log_softmax_middle_dim(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
          %0 = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 3, 2)], "result = torch.log_softmax(a0, 1)", ["tensor<2x3x2xf32>"], cancels=False),
    Case("softmax_backward", """
        func.func @softmax_backward(%x: tensor<2x3x2xf32>, %dy: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
          %y = dlcc.softmax %x, dim = 1 : tensor<2x3x2xf32>
          %0 = dlcc.softmax_backward %y, %dy, dim = 1 : tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 3, 2), q(2, 3, 2)],
         """
         x = a0.clone().requires_grad_()
         (torch.softmax(x, 1) * a1).sum().backward()
         result = x.grad""", ["tensor<2x3x2xf32>"]),
    Case("log_softmax_backward", """
        func.func @log_softmax_backward(%x: tensor<2x3x2xf32>, %dy: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
          %y = dlcc.log_softmax %x, dim = 0 : tensor<2x3x2xf32>
          %0 = dlcc.log_softmax_backward %y, %dy, dim = 0 : tensor<2x3x2xf32>
          return %0 : tensor<2x3x2xf32>
        }""", [q(2, 3, 2), q(2, 3, 2)],
         """
         x = a0.clone().requires_grad_()
         (torch.log_softmax(x, 0) * a1).sum().backward()
         result = x.grad""", ["tensor<2x3x2xf32>"]),
    # ---------------------------------------------------------- cross-entropy
    Case("cross_entropy_mean_ignore", """
        func.func @cross_entropy_mean_ignore(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
          %lp = dlcc.log_softmax %x, dim = 1 : tensor<4x3xf32>
          %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = mean
              : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<f32>
          return %0 : tensor<f32>
        }""", [q(4, 3), labels([2, -100, 0, 1])],
         "result = F.cross_entropy(a0, a1, ignore_index=-100)", ["tensor<f32>"]),
    Case("cross_entropy_sum_weights", """
        func.func @cross_entropy_sum_weights(%x: tensor<4x3xf32>, %l: tensor<4xi64>, %w: tensor<3xf32>) -> tensor<f32> {
          %lp = dlcc.log_softmax %x, dim = 1 : tensor<4x3xf32>
          %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = 1, reduction = sum
              : (tensor<4x3xf32>, tensor<4xi64>, tensor<3xf32>) -> tensor<f32>
          return %0 : tensor<f32>
        }""", [q(4, 3), labels([2, 1, 0, 2]), np.array([0.5, 2.0, 1.5], np.float32)],
         "result = F.cross_entropy(a0, a1, weight=a2, ignore_index=1, reduction='sum')",
         ["tensor<f32>"], comment="ignore_index is a real class here."),
    Case("cross_entropy_mean_weights_spatial", """
        func.func @cross_entropy_mean_weights_spatial(%x: tensor<2x3x2xf32>, %l: tensor<2x2xi64>, %w: tensor<3xf32>) -> tensor<f32> {
          %lp = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
          %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = -1, reduction = mean
              : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> tensor<f32>
          return %0 : tensor<f32>
        }""", [q(2, 3, 2), labels([[2, -1], [0, 2]]), np.array([0.5, 2.0, 1.5], np.float32)],
         "result = F.cross_entropy(a0, a1, weight=a2, ignore_index=-1, reduction='mean')",
         ["tensor<f32>"], comment="mean divides by the summed weights of the counted positions."),
    Case("cross_entropy_none_weights", """
        func.func @cross_entropy_none_weights(%x: tensor<2x3x2xf32>, %l: tensor<2x2xi64>, %w: tensor<3xf32>) -> tensor<2x2xf32> {
          %lp = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
          %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = 2, reduction = none
              : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> tensor<2x2xf32>
          return %0 : tensor<2x2xf32>
        }""", [q(2, 3, 2), labels([[2, 1], [0, 2]]), np.array([0.5, 2.0, 1.5], np.float32)],
         "result = F.cross_entropy(a0, a1, weight=a2, ignore_index=2, reduction='none')",
         ["tensor<2x2xf32>"]),
]

generate(sys.argv[1], """
Execution tests of dlcc-convert-to-linalg for pooling, normalization, softmax
and cross-entropy: lowered by --dlcc-reference-cpu-lowering and run under
mlir-runner. Expected values are computed independently with torch in float64
(snippet above each function; inputs are the @main constants in order). Where
float32 rounding can change the printed 6th digit, the check accepts the
neighbouring values; exact results (max pooling) are matched exactly.
""", cases)
