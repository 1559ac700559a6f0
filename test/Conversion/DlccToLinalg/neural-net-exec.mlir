// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

// Execution tests of dlcc-convert-to-linalg for pooling, normalization, softmax
// and cross-entropy: lowered by --dlcc-reference-cpu-lowering and run under
// mlir-runner. Expected values are computed independently with torch in float64
// (snippet above each function; inputs are the @main constants in order). Where
// float32 rounding can change the printed 6th digit, the check accepts the
// neighbouring values; exact results (max pooling) are matched exactly.

func.func private @printMemrefF32(tensor<*xf32>)

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.max_pool2d(a0, 2, 2, ceil_mode=True)
// max_pool_ceil result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[\[\[\[}}1.5, 2, 0.5],
// CHECK-NEXT: [3, 3, 1],
// CHECK-NEXT: [2.5, {{-?0}}, -0.5]],
// CHECK-NEXT: {{\[\[}}3, 2.5, -0.5],
// CHECK-NEXT: [3, 2, 0.5],
// CHECK-NEXT: [2, 3, -1]]]]
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1] : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// --------------------------------------------------------------------------
// All inputs negative: padding must never win.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.max_pool2d(a0, (3, 2), (2, 1), padding=1, dilation=(1, 2), ceil_mode=True)
// max_pool_padded_dilated_ceil result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 1, 4, 7]
// CHECK-NEXT: {{\[\[\[\[}}-1, -1, -1, -2, -1.5, -1.5, -1.5],
// CHECK-NEXT: [-1, -1, -1, -1, -1, -1, -2],
// CHECK-NEXT: [-1.5, -1, -1.5, -1, -2.5, -1, -2.5],
// CHECK-NEXT: [-2, -3, -2, -1, -2.5, -1, -2.5]]]]
func.func @max_pool_padded_dilated_ceil(%x: tensor<1x1x6x7xf32>) -> tensor<1x1x4x7xf32> {
  %0 = dlcc.pool max %x, window = [3, 2], strides = [2, 1], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 2] : (tensor<1x1x6x7xf32>) -> tensor<1x1x4x7xf32>
  return %0 : tensor<1x1x4x7xf32>
}

// --------------------------------------------------------------------------
// ui8 compares unsigned (200, 255 and 128 are not negative); the input is
// a dlcc.constant because arith.constant has no unsigned types.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.max_pool1d(torch.tensor([[[3, 200, 255, 7, 128], [0, 1, 129, 127, 2]]], dtype=torch.float64), 2, 1)
// max_pool_ui8 result 0:
// CHECK: rank = 3 offset = 0 sizes = [1, 2, 4]
// CHECK-NEXT: {{\[\[\[}}200, 255, 255, 128],
// CHECK-NEXT: [1, 129, 129, 127]]]
func.func @max_pool_ui8() -> tensor<1x2x4xf32> {
  %x = dlcc.constant dense<[[[3, 200, 255, 7, 128], [0, 1, 129, 127, 2]]]> : tensor<1x2x5xui8>
  %0 = dlcc.pool max %x, window = [2], strides = [1], pad_low = [0], pad_high = [0],
      dilations = [1] : (tensor<1x2x5xui8>) -> tensor<1x2x4xui8>
  %1 = dlcc.convert %0 : (tensor<1x2x4xui8>) -> tensor<1x2x4xf32>
  return %1 : tensor<1x2x4xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.avg_pool2d(a0, 3, 2, padding=1, ceil_mode=True, count_include_pad=True)
// avg_pool_ceil_count_pad result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 1, 4, 4]
// CHECK-NEXT: {{\[\[\[\[}}0.055555{{(4|5|6|7)}}, -0.16666{{(6|7)}}, -0.44444{{(3|4|5|6)}}, -0.16666{{(6|7)}}],
// CHECK-NEXT: [-0.33333{{(2|3|4)}}, -1.0555{{(5|6)}}, 0.055555{{(4|5|6|7)}}, 0.33333{{(2|3|4)}}],
// CHECK-NEXT: [-0.7777{{(75|76|77|78|79|8)}}, -0.7777{{(75|76|77|78|79|8)}}, -0.7777{{(75|76|77|78|79|8)}}, -1.0833{{(3|4)}}],
// CHECK-NEXT: [-0.16666{{(6|7)}}, -0.16666{{(6|7)}}, -0.5, -0.625]]]]
func.func @avg_pool_ceil_count_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
  %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.avg_pool2d(a0, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)
// avg_pool_ceil_no_count_pad result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 1, 4, 4]
// CHECK-NEXT: {{\[\[\[\[}}0.125, 1.3333{{(3|4)}}, -0.16666{{(6|7)}}, -3],
// CHECK-NEXT: [-0.33333{{(2|3|4)}}, {{-?(0|[0-9.]+e-[0-9]+)}}, 0.055555{{(4|5|6|7)}}, -1.3333{{(3|4)}}],
// CHECK-NEXT: [-0.5, -0.7777{{(75|76|77|78|79|8)}}, 0.83333{{(1|2|3|4|5|6)}}, 0.83333{{(1|2|3|4|5|6)}}],
// CHECK-NEXT: [-1.25, -0.83333{{(1|2|3|4|5|6)}}, 0.33333{{(2|3|4)}}, 3]]]]
func.func @avg_pool_ceil_no_count_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
  %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// --------------------------------------------------------------------------
// Inputs in {0, 1, 2}: many ties, each window routes to its first maximum
// (torch's CPU kernel keeps the first strict maximum in row-major order).
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   y = F.max_pool2d(x, 3, 2, padding=1, ceil_mode=True)
//   (y * a1).sum().backward()
//   result = x.grad
// max_pool_backward_ties result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 6, 6]
// CHECK-NEXT: {{\[\[\[\[}}{{-?0}}, 4, {{-?0}}, {{-?0}}, 2, 1],
// CHECK-NEXT: [1, {{-?0}}, 1, 3, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, 7, {{-?0}}, 2, {{-?0}}, 1],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, 3],
// CHECK-NEXT: [{{-?0}}, 3, {{-?0}}, {{-?0}}, 2, 3]],
// CHECK-NEXT: {{\[\[}}{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, 2],
// CHECK-NEXT: [2, 4, {{-?0}}, 4, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, 2],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, 4, {{-?0}}, 3, 1],
// CHECK-NEXT: [1, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [1, {{-?0}}, {{-?0}}, 5, {{-?0}}, 3]]]]
func.func @max_pool_backward_ties(%x: tensor<1x2x6x6xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %0 = dlcc.pool_backward max %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] : (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// --------------------------------------------------------------------------
// -inf inputs tie with the padding: the first in-bounds tap still wins.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   y = F.max_pool1d(x, 2, 1, padding=1)
//   (y * a1).sum().backward()
//   result = x.grad
// max_pool_backward_neg_inf result 0:
// CHECK: rank = 3 offset = 0 sizes = [1, 1, 4]
// CHECK-NEXT: {{\[\[\[}}1, 5, 4, 5]]]
func.func @max_pool_backward_neg_inf(%x: tensor<1x1x4xf32>, %dy: tensor<1x1x5xf32>) -> tensor<1x1x4xf32> {
  %0 = dlcc.pool_backward max %x, %dy, window = [2], strides = [1], pad_low = [1],
      pad_high = [1], dilations = [1] : (tensor<1x1x4xf32>, tensor<1x1x5xf32>) -> tensor<1x1x4xf32>
  return %0 : tensor<1x1x4xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   y = F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True, count_include_pad=True)
//   (y * a1).sum().backward()
//   result = x.grad
// avg_pool_backward_count_pad result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 1, 6, 6]
// CHECK-NEXT: {{\[\[\[\[}}-0.16666{{(4|5|6|7|8|9)}}, -0.16666{{(4|5|6|7|8|9)}}, {{-?(0|[0-9.]+e-[0-9]+)}}, 0.05555{{[0-9]*}}, 0.05555{{[0-9]*}}, -0.19444{{(2|3|4|5|6|7)}}],
// CHECK-NEXT: [-0.16666{{(4|5|6|7|8|9)}}, -0.1111{{(09|1|11|12|13|14)}}, 0.05555{{[0-9]*}}, 0.22222{{(1|2|3|4|5)?}}, 0.16666{{(4|5|6|7|8|9)}}, {{-?(0|[0-9.]+e-[0-9]+)}}],
// CHECK-NEXT: [{{-?(0|[0-9.]+e-[0-9]+)}}, 0.05555{{[0-9]*}}, 0.05555{{[0-9]*}}, 0.16666{{(4|5|6|7|8|9)}}, 0.1111{{(09|1|11|12|13|14)}}, 0.19444{{(2|3|4|5|6|7)}}],
// CHECK-NEXT: [-0.33333{{(1|2|3|4|5|6)}}, -0.44444{{(2|3|4|5|6|7)}}, -0.1111{{(09|1|11|12|13|14)}}, 0.22222{{(1|2|3|4|5)?}}, 0.33333{{(1|2|3|4|5|6)}}, 0.58333{{(1|2|3|4|5|6)}}],
// CHECK-NEXT: [-0.33333{{(1|2|3|4|5|6)}}, -0.5, -0.16666{{(4|5|6|7|8|9)}}, 0.05555{{[0-9]*}}, 0.22222{{(1|2|3|4|5)?}}, 0.3888{{(86|87|88|89|9|91)}}],
// CHECK-NEXT: [-0.58333{{(1|2|3|4|5|6)}}, -0.91666{{(4|5|6|7|8|9)}}, -0.33333{{(1|2|3|4|5|6)}}, 0.3888{{(86|87|88|89|9|91)}}, 0.72222{{(1|2|3|4|5)?}}, 1.26389]]]]
func.func @avg_pool_backward_count_pad(%x: tensor<1x1x6x6xf32>, %dy: tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32> {
  %0 = dlcc.pool_backward avg %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32>
  return %0 : tensor<1x1x6x6xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   y = F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)
//   (y * a1).sum().backward()
//   result = x.grad
// avg_pool_backward_no_count_pad result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 1, 6, 6]
// CHECK-NEXT: {{\[\[\[\[}}-0.625, -0.875, -0.25, -0.41666{{(4|5|6|7|8|9)}}, -0.16666{{(4|5|6|7|8|9)}}, 0.33333{{(1|2|3|4|5|6)}}],
// CHECK-NEXT: [-0.20833{{(1|2|3|4|5|6)}}, -0.56944{{(2|3|4|5|6|7)}}, -0.3611{{(09|1|11|12|13)}}, -0.5277{{(75|76|77|78|79|8)}}, -0.16666{{(4|5|6|7|8|9)}}, 0.83333{{(1|2|3|4|5|6)}}],
// CHECK-NEXT: [0.41666{{(4|5|6|7|8|9)}}, 0.30555{{(3|4|5|6|7|8)}}, -0.1111{{(09|1|11|12|13)}}, -0.1111{{(09|1|11|12|13)}}, {{-?(0|[0-9.]+e-[0-9]+)}}, 0.5],
// CHECK-NEXT: [0.08333{{[0-9]*}}, -0.08333{{[0-9]*}}, -0.16666{{(4|5|6|7|8|9)}}, -0.3888{{(86|87|88|89|9|91)}}, -0.22222{{(1|2|3|4|5)?}}, -0.55555{{(3|4|5|6|7|8)}}],
// CHECK-NEXT: [-0.33333{{(1|2|3|4|5|6)}}, -0.3888{{(86|87|88|89|9|91)}}, -0.05555{{[0-9]*}}, -0.2777{{(75|76|77|78|79|8)}}, -0.22222{{(1|2|3|4|5)?}}, -1.0555{{(5|6)}}],
// CHECK-NEXT: [0.41666{{(4|5|6|7|8|9)}}, 1.1944{{(4|5)}}, 0.7777{{(75|76|77|78|79|8)}}, -0.2777{{(75|76|77|78|79|8)}}, -1.0555{{(5|6)}}, -0.8888{{(86|87|88|89|9|91|92)}}]]]]
func.func @avg_pool_backward_no_count_pad(%x: tensor<1x1x6x6xf32>, %dy: tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32> {
  %0 = dlcc.pool_backward avg %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x6x6xf32>
  return %0 : tensor<1x1x6x6xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = (F.batch_norm(a0, None, None, a1, a2, training=True, eps=1e-5),
//             a0.mean((0, 2, 3)), a0.var((0, 2, 3), unbiased=False))
// batch_norm_training result 0:
// CHECK: rank = 4 offset = 0 sizes = [2, 3, 2, 2]
// CHECK-NEXT: {{\[\[\[\[}}0.5669{{[0-9]*}}, 0.5669{{[0-9]*}}],
// CHECK-NEXT: [0.5669{{[0-9]*}}, -0.7289{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}-1.8202{{(7|8)}}, -3.0751{{(4|5|6)}}],
// CHECK-NEXT: [-1.9597{{(1)?}}, -2.37{{(799|8)}}]],
// CHECK-NEXT: {{\[\[}}3.1371{{(6|7|8)}}, 0.409{{[0-9]*}}],
// CHECK-NEXT: [-1.7731{{(8|9)}}, -3.4099{{(6|7|8)}}]]],
// CHECK-NEXT: {{\[\[\[}}-3.3206{{(7|8|9)}}, -0.7289{{[0-9]*}}],
// CHECK-NEXT: [1.8628{{(1|2)}}, 1.2148{{(7|8|9)}}]],
// CHECK-NEXT: {{\[\[}}-1.9597{{(1)?}}, -2.9357{{(1|2|3)}}],
// CHECK-NEXT: [-2.796{{(28|29|3)}}, -3.0751{{(4|5|6)}}]],
// CHECK-NEXT: {{\[\[}}-0.136{{[0-9]*}}, -0.136{{[0-9]*}}],
// CHECK-NEXT: [-0.68{{[0-9]*}}, 2.5915{{(7|8)}}]]]]
// batch_norm_training result 1:
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [1.0625, -0.0625, 0.125]
// batch_norm_training result 2:
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [1.3398{{(4|5)}}, 3.21484, 3.3593{{(6|7|8|9)}}]
func.func @batch_norm_training(%x: tensor<2x3x2x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>)
    -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %m, %v = dlcc.batch_norm_training %x, %g, %b, epsilon = 1.0e-05
      : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
      -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %m, %v : tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.batch_norm(a0, a3, a4, a1, a2, training=False, eps=1e-3)
// batch_norm_inference result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}12.096, 10.33],
// CHECK-NEXT: [1.8162{{(1|2|3|4|5)?}}, 7.529{{(77|78|79|8|81|82)}}],
// CHECK-NEXT: [6.8{{(2998|2999|3|3001|3002|3003)}}, -7.29{{(798|799|8|801|802|803)}}]],
// CHECK-NEXT: {{\[\[}}6.79{{(798|799|8|801|802|803)}}, -7.3{{(2998|2999|3|3001|3002|3003)}}],
// CHECK-NEXT: [2.6324{{(2|3|4|5|6|7)}}, 1.8162{{(1|2|3|4|5)?}}],
// CHECK-NEXT: [-0.23{{[0-9]*}}, 3.29{{(798|799|8|801|802|803)}}]]]
func.func @batch_norm_inference(%x: tensor<2x3x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>,
                                %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x2xf32> {
  %y = dlcc.batch_norm_inference %x, %g, %b, %m, %v, epsilon = 1.0e-03
      : (tensor<2x3x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
      -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x, g, b = (t.clone().requires_grad_() for t in (a0, a1, a2))
//   y = F.batch_norm(x, None, None, g, b, training=True, eps=1e-5)
//   (y * a3).sum().backward()
//   result = (x.grad, g.grad, b.grad)
// batch_norm_backward result 0:
// CHECK: rank = 4 offset = 0 sizes = [2, 3, 2, 2]
// CHECK-NEXT: {{\[\[\[\[}}1.2659{{(7|8)}}, 0.152{{[0-9]*}}],
// CHECK-NEXT: [1.0965{{(3|4)}}, -0.3509{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}0.3419{{[0-9]*}}, 0.3111{{[0-9]*}}],
// CHECK-NEXT: [0.3650{{[0-9]*}}, 0.122{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}-1.4954{{(1)?}}, 1.7431{{(3|4)}}],
// CHECK-NEXT: [-1.4954{{(1)?}}, 1.07{{(001)?}}]]],
// CHECK-NEXT: {{\[\[\[}}0.3558{{[0-9]*}}, -1.0578{{(1)?}}],
// CHECK-NEXT: [-0.2686{{[0-9]*}}, -1.1933{{(6|7)}}]],
// CHECK-NEXT: {{\[\[}}0.08961{{[0-9]*}}, -0.4825{{[0-9]*}}],
// CHECK-NEXT: [-0.1242{{[0-9]*}}, -0.6231{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}1.7243{{(6|7)}}, -2.2581{{(1|2)}}],
// CHECK-NEXT: [2.4422{{(8|9)}}, -1.7308{{(7|8)}}]]]]
// batch_norm_backward result 1:
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [1.3555{{(3|4|5)}}, -4.4745{{(6|7|8|9)}}, 3.17{{(598|599|6)}}]
// batch_norm_backward result 2:
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [8.5, -3, -1]
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
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = (F.layer_norm(a0, (3, 4), a1, a2, eps=1e-5), a0.mean((1, 2), keepdim=True),
//             1 / torch.sqrt(a0.var((1, 2), unbiased=False, keepdim=True) + 1e-5))
// layer_norm_axis1 result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 4]
// CHECK-NEXT: {{\[\[\[}}3.4961{{(3|4|5|6)}}, -1.6933{{(6|7|8|9)}}, -5.773{{(48|49|5|51)}}, -2.7773{{(3|4|5|6|7)}}],
// CHECK-NEXT: [-1, -2.9668{{(5|6|7|8|9)}}, 1.390{{(58|59|6|61|62)}}, -6.6602{{(3|4|5|6|7)}}],
// CHECK-NEXT: [-2.1679{{(3|4|5|6|7)}}, 1.4160{{(1|2|3|4)}}, 2.6602{{(3|4|5|6)}}, 2]],
// CHECK-NEXT: {{\[\[}}-0.9639{{[0-9]*}}, -0.0180{{[0-9]*}}, -3.785{{(57|58|59|6)}}, -2.3690{{(5|6|7|8|9)}}],
// CHECK-NEXT: [-1, -4.409{{(88|89|9|91)}}, 2.3690{{(5|6|7|8|9)}}, -8.391{{(85|86|87|88|89|9)}}],
// CHECK-NEXT: [-3.196{{(38|39|4|41)}}, 1.3273{{(1|2|3|4)}}, 2.0351{{(1|2|3|4)}}, 3.3747{{(5|6|7|8|9)}}]]]
// layer_norm_axis1 result 1:
// CHECK: rank = 3 offset = 0 sizes = [2, 1, 1]
// CHECK-NEXT: {{\[\[\[}}-0.5]],
// CHECK-NEXT: {{\[\[}}0.75]]]
// layer_norm_axis1 result 2:
// CHECK: rank = 3 offset = 0 sizes = [2, 1, 1]
// CHECK-NEXT: {{\[\[\[}}0.554{{(697|698|699|7|701)}}]],
// CHECK-NEXT: {{\[\[}}0.52372{{(1|2|3|4)?}}]]]
func.func @layer_norm_axis1(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>)
    -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 1, epsilon = 1.0e-05
      : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>)
      -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y, %m, %r : tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = (F.layer_norm(a0, (2, 3), a1, a2, eps=1e-5), a0.mean().reshape(1, 1),
//             (1 / torch.sqrt(a0.var(unbiased=False) + 1e-5)).reshape(1, 1))
// layer_norm_axis0 result 0:
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}-1.7981{{(3|4|5)}}, 3.854{{(08|09|1|11)}}, -1.8819{{(6|7|8)}}],
// CHECK-NEXT: [-0.1180{{[0-9]*}}, -1.4347{{(4|5|6|7)}}, -5.9193{{(2|3|4|5|6)}}]]
// layer_norm_axis0 result 1:
// CHECK: rank = 2 offset = 0 sizes = [1, 1]
// CHECK-NEXT: {{\[\[}}0.25]]
// layer_norm_axis0 result 2:
// CHECK: rank = 2 offset = 0 sizes = [1, 1]
// CHECK-NEXT: {{\[\[}}0.59628{{(2|3|4|5|6)}}]]
func.func @layer_norm_axis0(%x: tensor<2x3xf32>, %g: tensor<2x3xf32>, %b: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
  %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 0, epsilon = 1.0e-05
      : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
      -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  return %y, %m, %r : tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x, g, b = (t.clone().requires_grad_() for t in (a0, a1, a2))
//   y = F.layer_norm(x, (3, 4), g, b, eps=1e-5)
//   (y * a3).sum().backward()
//   result = (x.grad, g.grad, b.grad)
// layer_norm_backward_axis1 result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 4]
// CHECK-NEXT: {{\[\[\[}}-0.3642{{[0-9]*}}, 1.2730{{(4|5|6)}}, 1.0812{{(1|2|3)}}, -0.4745{{[0-9]*}}],
// CHECK-NEXT: [2.4632{{(7|8|9)}}, -0.556{{[0-9]*}}, -5.4151{{(5|6|7|8)}}, 0.7504{{[0-9]*}}],
// CHECK-NEXT: [0.9362{{[0-9]*}}, -0.10{{[0-9]*}}, -0.7418{{[0-9]*}}, 1.1567{{(3|4|5)}}]],
// CHECK-NEXT: {{\[\[}}-0.779{{[0-9]*}}, -0.4157{{[0-9]*}}, -0.4120{{[0-9]*}}, -0.1091{{[0-9]*}}],
// CHECK-NEXT: [1.4511{{(3|4|5)}}, 0.4815{{[0-9]*}}, 3.5431{{(2|3|4)}}, -0.9549{{[0-9]*}}],
// CHECK-NEXT: [-0.2976{{[0-9]*}}, -0.958{{[0-9]*}}, -0.5986{{[0-9]*}}, -0.9493{{[0-9]*}}]]]
// layer_norm_backward_axis1 result 1:
// CHECK: rank = 2 offset = 0 sizes = [3, 4]
// CHECK-NEXT: {{\[\[}}-0.2295{{[0-9]*}}, -2.7111{{(1|2)?}}, -0.0181{{[0-9]*}}, 1.5762{{(5|6)}}],
// CHECK-NEXT: [0.1124{{[0-9]*}}, 1.3502{{(6|7)}}, -1.2708{{(2|3)}}, -0.1800{{[0-9]*}}],
// CHECK-NEXT: [-1.4905{{(6|7)}}, -0.5728{{[0-9]*}}, 2.1088{{(8|9)}}, 2.0491{{(8|9)}}]]
// layer_norm_backward_axis1 result 2:
// CHECK: rank = 2 offset = 0 sizes = [3, 4]
// CHECK-NEXT: {{\[\[}}-0.5, {{-?(0|[0-9.]+e-[0-9]+)}}, {{-?(0|[0-9.]+e-[0-9]+)}}, 4],
// CHECK-NEXT: [5, -1.5, {{-?(0|[0-9.]+e-[0-9]+)}}, -3],
// CHECK-NEXT: [2.5, -0.5, -1, 1]]
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
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.softmax(a0, 0)
// softmax_dim0 result 0:
// CHECK: rank = 2 offset = 0 sizes = [3, 4]
// CHECK-NEXT: {{\[\[}}0.090030{{(3|4|5|6|7|8)}}, 0.17973{{(4|5)}}, 0.0038778{{(4|5|6|7)}}, 0.17095{{(2|3)}}],
// CHECK-NEXT: [0.6652{{(39|4|41|42|43)}}, 0.80551{{(1|2|3|4|5)?}}, 0.04724{{(18|19|2|21)}}, 0.0628{{(898|899|9|901|902)}}],
// CHECK-NEXT: [0.24472{{(8|9)}}, 0.014753{{(4|5)}}, 0.9488{{(77|78|79|8|81|82|83)}}, 0.7661{{(55|56|57|58|59|6)}}]]
func.func @softmax_dim0(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = dlcc.softmax %x, dim = 0 : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// --------------------------------------------------------------------------
// Logits near 100: exp overflows float32 unless the maximum is subtracted.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.softmax(a0, 1)
// softmax_middle_dim result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}0.9147{{(48|49|5|51|52|53)}}, 0.072521{{(2|3|4|5|6|7)}}],
// CHECK-NEXT: [0.075087{{(1|2|3|4|5)}}, 0.8834{{(89|9|91|92|93|94|95)}}],
// CHECK-NEXT: [0.01016{{(19|2)}}, 0.043986{{(3|4|5|6)}}]],
// CHECK-NEXT: {{\[\[}}0.18078{{(3|4)}}, 0.9867{{(01|02|03|04|05|06)?}}],
// CHECK-NEXT: [0.009000{{(66|67|68|69|7|71)}}, 0.0066483{{(3|4|5|6|7)}}],
// CHECK-NEXT: [0.81021{{(3|4|5|6|7|8)}}, 0.0066483{{(3|4|5|6|7)}}]]]
func.func @softmax_middle_dim(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %0 = dlcc.softmax %x, dim = 1 : tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.log_softmax(a0, 1)
// log_softmax_middle_dim result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}-0.02474{{(48|49|5)}}, -0.106414],
// CHECK-NEXT: [-5.0247{{(3|4|5|6)}}, -2.6064{{(1|2)}}],
// CHECK-NEXT: [-4.0247{{(3|4|5|6)}}, -3.6064{{(1|2)?}}]],
// CHECK-NEXT: {{\[\[}}-0.22580{{(1|2|3)}}, -2.2989{{(1|2)}}],
// CHECK-NEXT: [-1.7258{{(1)?}}, -0.79891{{(4|5|6|7|8|9)}}],
// CHECK-NEXT: [-3.725{{(79|8|81)}}, -0.79891{{(4|5|6|7|8|9)}}]]]
func.func @log_softmax_middle_dim(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %0 = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   (torch.softmax(x, 1) * a1).sum().backward()
//   result = x.grad
// softmax_backward result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}0.06{{[0-9]*}}, 0.0498{{[0-9]*}}],
// CHECK-NEXT: [-0.17214{{(1|2|3|4|5)}}, -0.06092{{[0-9]*}}],
// CHECK-NEXT: [0.10414{{(1|2|3|4|5)}}, 0.01111{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}0.32062{{(3|4|5|6|7)}}, -0.24023{{(3|4|5|6|7)}}],
// CHECK-NEXT: [0.05637{{[0-9]*}}, 0.22001{{(5|6|7|8|9)}}],
// CHECK-NEXT: [-0.377{{(001|002|003|004)?}}, 0.0202{{[0-9]*}}]]]
func.func @softmax_backward(%x: tensor<2x3x2xf32>, %dy: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %y = dlcc.softmax %x, dim = 1 : tensor<2x3x2xf32>
  %0 = dlcc.softmax_backward %y, %dy, dim = 1 : tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   (torch.log_softmax(x, 0) * a1).sum().backward()
//   result = x.grad
// log_softmax_backward result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}-0.5, -0.3010{{[0-9]*}}],
// CHECK-NEXT: [-1.368{{(09|1)}}, -2.3827{{(4|5|6)}}],
// CHECK-NEXT: [-1.5, 2.6344{{(6|7|8)}}]],
// CHECK-NEXT: {{\[\[}}0.5, 0.3010{{[0-9]*}}],
// CHECK-NEXT: [1.368{{(09|1)}}, 2.3827{{(4|5|6)}}],
// CHECK-NEXT: [1.5, -2.6344{{(6|7|8)}}]]]
func.func @log_softmax_backward(%x: tensor<2x3x2xf32>, %dy: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %y = dlcc.log_softmax %x, dim = 0 : tensor<2x3x2xf32>
  %0 = dlcc.log_softmax_backward %y, %dy, dim = 0 : tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.cross_entropy(a0, a1, ignore_index=-100)
// cross_entropy_mean_ignore result 0:
// CHECK: rank = 0 offset = 0 sizes = []
// CHECK-NEXT: [0.2246{{(86|87|88|89|9)}}]
func.func @cross_entropy_mean_ignore(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
  %lp = dlcc.log_softmax %x, dim = 1 : tensor<4x3xf32>
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = mean
      : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// --------------------------------------------------------------------------
// ignore_index is a real class here.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.cross_entropy(a0, a1, weight=a2, ignore_index=1, reduction='sum')
// cross_entropy_sum_weights result 0:
// CHECK: rank = 0 offset = 0 sizes = []
// CHECK-NEXT: [2.1423{{(8|9)}}]
func.func @cross_entropy_sum_weights(%x: tensor<4x3xf32>, %l: tensor<4xi64>, %w: tensor<3xf32>) -> tensor<f32> {
  %lp = dlcc.log_softmax %x, dim = 1 : tensor<4x3xf32>
  %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = 1, reduction = sum
      : (tensor<4x3xf32>, tensor<4xi64>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// --------------------------------------------------------------------------
// mean divides by the summed weights of the counted positions.
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.cross_entropy(a0, a1, weight=a2, ignore_index=-1, reduction='mean')
// cross_entropy_mean_weights_spatial result 0:
// CHECK: rank = 0 offset = 0 sizes = []
// CHECK-NEXT: [3.8670{{(6|7|8|9)}}]
func.func @cross_entropy_mean_weights_spatial(%x: tensor<2x3x2xf32>, %l: tensor<2x2xi64>, %w: tensor<3xf32>) -> tensor<f32> {
  %lp = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
  %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = -1, reduction = mean
      : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.cross_entropy(a0, a1, weight=a2, ignore_index=2, reduction='none')
// cross_entropy_none_weights result 0:
// CHECK: rank = 2 offset = 0 sizes = [2, 2]
// CHECK-NEXT: {{\[\[}}{{-?(0|[0-9.]+e-[0-9]+)}}, 10.072{{(5|6)}}],
// CHECK-NEXT: [0.2774{{[0-9]*}}, {{-?(0|[0-9.]+e-[0-9]+)}}]]
func.func @cross_entropy_none_weights(%x: tensor<2x3x2xf32>, %l: tensor<2x2xi64>, %w: tensor<3xf32>) -> tensor<2x2xf32> {
  %lp = dlcc.log_softmax %x, dim = 1 : tensor<2x3x2xf32>
  %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = 2, reduction = none
      : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

func.func @main() {
  %max_pool_ceil_in0 = arith.constant dense<[[[[-2.5, -2.5, 2.0, 0.0, 0.5], [0.5, 1.5, -3.0, 0.0, -2.5], [-0.5, 3.0, 0.5, -3.0, 0.5], [-2.5, 1.5, 3.0, 3.0, 1.0], [2.5, -1.0, -2.5, 0.0, -0.5]], [[1.0, 3.0, -1.5, 2.5, -2.5], [-1.0, 2.0, -1.5, 1.0, -0.5], [0.0, 3.0, 2.0, 2.0, 0.5], [3.0, 3.0, -2.5, -2.0, -1.0], [0.5, 2.0, 0.0, 3.0, -1.0]]]]> : tensor<1x2x5x5xf32>
  %max_pool_ceil_r0 = call @max_pool_ceil(%max_pool_ceil_in0) : (tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>)
  %max_pool_ceil_u0 = tensor.cast %max_pool_ceil_r0 : tensor<1x2x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%max_pool_ceil_u0) : (tensor<*xf32>) -> ()
  %max_pool_padded_dilated_ceil_in0 = arith.constant dense<[[[[-1.0, -2.5, -2.0, -4.0, -2.5, -1.5, -1.5], [-1.5, -1.0, -4.5, -1.5, -3.0, -2.0, -4.0], [-5.0, -5.0, -1.0, -1.0, -4.0, -3.5, -4.0], [-4.5, -1.5, -2.0, -5.0, -4.5, -2.5, -1.0], [-1.0, -4.5, -2.5, -5.0, -4.5, -4.5, -3.5], [-3.5, -2.0, -3.0, -3.5, -1.0, -2.5, -2.0]]]]> : tensor<1x1x6x7xf32>
  %max_pool_padded_dilated_ceil_r0 = call @max_pool_padded_dilated_ceil(%max_pool_padded_dilated_ceil_in0) : (tensor<1x1x6x7xf32>) -> (tensor<1x1x4x7xf32>)
  %max_pool_padded_dilated_ceil_u0 = tensor.cast %max_pool_padded_dilated_ceil_r0 : tensor<1x1x4x7xf32> to tensor<*xf32>
  call @printMemrefF32(%max_pool_padded_dilated_ceil_u0) : (tensor<*xf32>) -> ()
  %max_pool_ui8_r0 = call @max_pool_ui8() : () -> (tensor<1x2x4xf32>)
  %max_pool_ui8_u0 = tensor.cast %max_pool_ui8_r0 : tensor<1x2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%max_pool_ui8_u0) : (tensor<*xf32>) -> ()
  %avg_pool_ceil_count_pad_in0 = arith.constant dense<[[[[1.5, -1.0, 2.5, -3.0, -1.5, -2.0], [-3.0, 3.0, -2.5, -0.5, 2.0, 1.0], [2.5, -3.0, 0.0, -3.0, -2.0, 2.0], [-3.0, 0.5, -3.0, -1.0, 3.0, -1.0], [-1.0, -2.5, 2.0, -2.0, 0.0, -3.0], [-3.0, 2.0, -3.0, 0.0, -0.5, -2.5]]]]> : tensor<1x1x6x6xf32>
  %avg_pool_ceil_count_pad_r0 = call @avg_pool_ceil_count_pad(%avg_pool_ceil_count_pad_in0) : (tensor<1x1x6x6xf32>) -> (tensor<1x1x4x4xf32>)
  %avg_pool_ceil_count_pad_u0 = tensor.cast %avg_pool_ceil_count_pad_r0 : tensor<1x1x4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%avg_pool_ceil_count_pad_u0) : (tensor<*xf32>) -> ()
  %avg_pool_ceil_no_count_pad_in0 = arith.constant dense<[[[[1.0, 1.5, 3.0, -2.0, 3.0, -3.0], [-2.5, 0.5, 2.5, 2.5, 1.5, -3.0], [-0.5, 2.0, 0.0, -2.0, 1.0, -2.5], [1.5, -3.0, -1.0, -1.5, 3.0, 1.5], [1.0, 0.0, -1.5, 2.5, 3.0, -2.0], [-1.5, -1.0, 0.0, -1.5, -0.5, 3.0]]]]> : tensor<1x1x6x6xf32>
  %avg_pool_ceil_no_count_pad_r0 = call @avg_pool_ceil_no_count_pad(%avg_pool_ceil_no_count_pad_in0) : (tensor<1x1x6x6xf32>) -> (tensor<1x1x4x4xf32>)
  %avg_pool_ceil_no_count_pad_u0 = tensor.cast %avg_pool_ceil_no_count_pad_r0 : tensor<1x1x4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%avg_pool_ceil_no_count_pad_u0) : (tensor<*xf32>) -> ()
  %max_pool_backward_ties_in0 = arith.constant dense<[[[[1.0, 2.0, 1.0, 1.0, 2.0, 1.0], [2.0, 0.0, 2.0, 2.0, 2.0, 0.0], [0.0, 0.0, 1.0, 1.0, 2.0, 0.0], [0.0, 2.0, 0.0, 2.0, 0.0, 1.0], [0.0, 1.0, 2.0, 2.0, 2.0, 2.0], [1.0, 2.0, 1.0, 0.0, 1.0, 1.0]], [[0.0, 0.0, 1.0, 1.0, 1.0, 2.0], [2.0, 2.0, 0.0, 2.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 2.0, 0.0, 2.0, 1.0], [2.0, 0.0, 1.0, 2.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0, 1.0, 0.0]]]]> : tensor<1x2x6x6xf32>
  %max_pool_backward_ties_in1 = arith.constant dense<[[[[1.0, 3.0, 2.0, 1.0], [1.0, 1.0, 3.0, 1.0], [4.0, 3.0, 2.0, 3.0], [1.0, 2.0, 2.0, 3.0]], [[1.0, 2.0, 1.0, 1.0], [1.0, 2.0, 4.0, 2.0], [1.0, 4.0, 3.0, 1.0], [1.0, 1.0, 4.0, 3.0]]]]> : tensor<1x2x4x4xf32>
  %max_pool_backward_ties_r0 = call @max_pool_backward_ties(%max_pool_backward_ties_in0, %max_pool_backward_ties_in1) : (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) -> (tensor<1x2x6x6xf32>)
  %max_pool_backward_ties_u0 = tensor.cast %max_pool_backward_ties_r0 : tensor<1x2x6x6xf32> to tensor<*xf32>
  call @printMemrefF32(%max_pool_backward_ties_u0) : (tensor<*xf32>) -> ()
  %max_pool_backward_neg_inf_in0 = arith.constant dense<[[[0xFF800000, 1.0, 0xFF800000, 0xFF800000]]]> : tensor<1x1x4xf32>
  %max_pool_backward_neg_inf_in1 = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0, 5.0]]]> : tensor<1x1x5xf32>
  %max_pool_backward_neg_inf_r0 = call @max_pool_backward_neg_inf(%max_pool_backward_neg_inf_in0, %max_pool_backward_neg_inf_in1) : (tensor<1x1x4xf32>, tensor<1x1x5xf32>) -> (tensor<1x1x4xf32>)
  %max_pool_backward_neg_inf_u0 = tensor.cast %max_pool_backward_neg_inf_r0 : tensor<1x1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%max_pool_backward_neg_inf_u0) : (tensor<*xf32>) -> ()
  %avg_pool_backward_count_pad_in0 = arith.constant dense<[[[[1.0, 3.0, -0.5, 2.5, -0.5, 1.5], [2.0, -3.0, 1.5, 2.0, 3.0, 1.0], [0.0, -2.5, 1.5, 0.0, 2.0, -3.0], [-1.0, 2.0, 0.5, 1.5, 0.5, 2.0], [2.0, 1.5, 1.0, -1.5, -3.0, 2.0], [-1.0, -1.5, -3.0, -2.5, -3.0, -0.5]]]]> : tensor<1x1x6x6xf32>
  %avg_pool_backward_count_pad_in1 = arith.constant dense<[[[[-1.5, 0.0, 0.5, -1.5], [0.0, 0.5, 1.0, 0.5], [-3.0, -1.5, 2.0, 1.0], [-1.5, -1.0, 3.0, 1.5]]]]> : tensor<1x1x4x4xf32>
  %avg_pool_backward_count_pad_r0 = call @avg_pool_backward_count_pad(%avg_pool_backward_count_pad_in0, %avg_pool_backward_count_pad_in1) : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> (tensor<1x1x6x6xf32>)
  %avg_pool_backward_count_pad_u0 = tensor.cast %avg_pool_backward_count_pad_r0 : tensor<1x1x6x6xf32> to tensor<*xf32>
  call @printMemrefF32(%avg_pool_backward_count_pad_u0) : (tensor<*xf32>) -> ()
  %avg_pool_backward_no_count_pad_in0 = arith.constant dense<[[[[-1.0, -1.5, -2.5, 2.0, 1.0, -0.5], [1.5, 0.5, 0.0, 1.0, 1.5, 0.0], [-0.5, -1.5, -1.5, 3.0, -2.0, -2.5], [1.0, -1.0, -2.5, 0.5, 1.5, -3.0], [0.0, -2.0, 0.5, 2.0, 2.0, 2.0], [-1.5, 1.0, 1.0, 2.5, 1.5, 1.5]]]]> : tensor<1x1x6x6xf32>
  %avg_pool_backward_no_count_pad_in1 = arith.constant dense<[[[[-2.5, -1.5, -1.0, 1.0], [2.5, -1.0, 0.0, 1.5], [-2.0, -0.5, -2.0, -2.5], [1.5, 2.5, -2.5, 1.0]]]]> : tensor<1x1x4x4xf32>
  %avg_pool_backward_no_count_pad_r0 = call @avg_pool_backward_no_count_pad(%avg_pool_backward_no_count_pad_in0, %avg_pool_backward_no_count_pad_in1) : (tensor<1x1x6x6xf32>, tensor<1x1x4x4xf32>) -> (tensor<1x1x6x6xf32>)
  %avg_pool_backward_no_count_pad_u0 = tensor.cast %avg_pool_backward_no_count_pad_r0 : tensor<1x1x6x6xf32> to tensor<*xf32>
  call @printMemrefF32(%avg_pool_backward_no_count_pad_u0) : (tensor<*xf32>) -> ()
  %batch_norm_training_in0 = arith.constant dense<[[[[1.5, 1.5], [1.5, 0.5]], [[-2.5, 2.0], [-2.0, -0.5]], [[3.0, 0.5], [-1.5, -3.0]]], [[[-1.5, 0.5], [2.5, 2.0]], [[-2.0, 1.5], [1.0, 2.0]], [[0.0, 0.0], [-0.5, 2.5]]]]> : tensor<2x3x2x2xf32>
  %batch_norm_training_in1 = arith.constant dense<[1.5, -0.5, 2.0]> : tensor<3xf32>
  %batch_norm_training_in2 = arith.constant dense<[0.0, -2.5, 0.0]> : tensor<3xf32>
  %batch_norm_training_r:3 = call @batch_norm_training(%batch_norm_training_in0, %batch_norm_training_in1, %batch_norm_training_in2) : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
  %batch_norm_training_u0 = tensor.cast %batch_norm_training_r#0 : tensor<2x3x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_training_u0) : (tensor<*xf32>) -> ()
  %batch_norm_training_u1 = tensor.cast %batch_norm_training_r#1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_training_u1) : (tensor<*xf32>) -> ()
  %batch_norm_training_u2 = tensor.cast %batch_norm_training_r#2 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_training_u2) : (tensor<*xf32>) -> ()
  %batch_norm_inference_in0 = arith.constant dense<[[[2.5, 2.0], [-1.0, 2.5], [-2.5, 1.5]], [[1.0, -3.0], [-0.5, -1.0], [-0.5, -1.5]]]> : tensor<2x3x2xf32>
  %batch_norm_inference_in1 = arith.constant dense<[2.5, 2.0, -2.5]> : tensor<3xf32>
  %batch_norm_inference_in2 = arith.constant dense<[1.5, 1.0, -2.0]> : tensor<3xf32>
  %batch_norm_inference_in3 = arith.constant dense<[-0.5, -1.5, 0.0]> : tensor<3xf32>
  %batch_norm_inference_in4 = arith.constant dense<[0.5, 1.5, 0.5]> : tensor<3xf32>
  %batch_norm_inference_r0 = call @batch_norm_inference(%batch_norm_inference_in0, %batch_norm_inference_in1, %batch_norm_inference_in2, %batch_norm_inference_in3, %batch_norm_inference_in4) : (tensor<2x3x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x2xf32>)
  %batch_norm_inference_u0 = tensor.cast %batch_norm_inference_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_inference_u0) : (tensor<*xf32>) -> ()
  %batch_norm_backward_in0 = arith.constant dense<[[[[-2.5, 2.5], [0.0, -1.5]], [[2.5, -1.0], [-2.0, 2.5]], [[-3.0, 3.0], [-3.0, 2.0]]], [[[-0.5, -2.5], [3.0, -0.5]], [[-3.0, 1.5], [3.0, -2.0]], [[0.0, 3.0], [-2.5, 2.0]]]]> : tensor<2x3x2x2xf32>
  %batch_norm_backward_in1 = arith.constant dense<[1.5, -0.5, 2.0]> : tensor<3xf32>
  %batch_norm_backward_in2 = arith.constant dense<[-0.5, -3.0, -2.0]> : tensor<3xf32>
  %batch_norm_backward_in3 = arith.constant dense<[[[[2.5, 1.5], [2.5, 0.5]], [[-2.5, -1.5], [-1.5, -1.5]], [[-2.5, 2.5], [-2.5, 1.5]]], [[[1.5, -0.5], [1.0, -0.5]], [[0.0, 1.5], [-0.5, 3.0]], [[2.0, -2.5], [2.5, -2.0]]]]> : tensor<2x3x2x2xf32>
  %batch_norm_backward_r:3 = call @batch_norm_backward(%batch_norm_backward_in0, %batch_norm_backward_in1, %batch_norm_backward_in2, %batch_norm_backward_in3) : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x2x2xf32>) -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
  %batch_norm_backward_u0 = tensor.cast %batch_norm_backward_r#0 : tensor<2x3x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_backward_u0) : (tensor<*xf32>) -> ()
  %batch_norm_backward_u1 = tensor.cast %batch_norm_backward_r#1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_backward_u1) : (tensor<*xf32>) -> ()
  %batch_norm_backward_u2 = tensor.cast %batch_norm_backward_r#2 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%batch_norm_backward_u2) : (tensor<*xf32>) -> ()
  %layer_norm_axis1_in0 = arith.constant dense<[[[-2.0, -1.0, 2.0, 0.0], [1.5, -3.0, 1.5, -3.0], [-1.5, -2.0, 2.0, -0.5]], [[2.0, 1.5, 1.5, 0.5], [2.5, -3.0, 1.0, -3.0], [1.0, -0.5, 3.0, 2.5]]]> : tensor<2x3x4xf32>
  %layer_norm_axis1_in1 = arith.constant dense<[[-3.0, 2.5, -2.0, -1.0], [0.0, 2.5, -1.0, 3.0], [-1.5, -0.5, 3.0, 1.5]]> : tensor<3x4xf32>
  %layer_norm_axis1_in2 = arith.constant dense<[[1.0, -1.0, -3.0, -2.5], [-1.0, 0.5, 2.5, -2.5], [-3.0, 1.0, -1.5, 2.0]]> : tensor<3x4xf32>
  %layer_norm_axis1_r:3 = call @layer_norm_axis1(%layer_norm_axis1_in0, %layer_norm_axis1_in1, %layer_norm_axis1_in2) : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  %layer_norm_axis1_u0 = tensor.cast %layer_norm_axis1_r#0 : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis1_u0) : (tensor<*xf32>) -> ()
  %layer_norm_axis1_u1 = tensor.cast %layer_norm_axis1_r#1 : tensor<2x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis1_u1) : (tensor<*xf32>) -> ()
  %layer_norm_axis1_u2 = tensor.cast %layer_norm_axis1_r#2 : tensor<2x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis1_u2) : (tensor<*xf32>) -> ()
  %layer_norm_axis0_in0 = arith.constant dense<[[0.5, 2.5, -0.5], [-0.5, 2.0, -2.5]]> : tensor<2x3xf32>
  %layer_norm_axis0_in1 = arith.constant dense<[[-2.0, 2.5, -2.5], [2.5, 1.5, 3.0]]> : tensor<2x3xf32>
  %layer_norm_axis0_in2 = arith.constant dense<[[-1.5, 0.5, -3.0], [1.0, -3.0, -1.0]]> : tensor<2x3xf32>
  %layer_norm_axis0_r:3 = call @layer_norm_axis0(%layer_norm_axis0_in0, %layer_norm_axis0_in1, %layer_norm_axis0_in2) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  %layer_norm_axis0_u0 = tensor.cast %layer_norm_axis0_r#0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis0_u0) : (tensor<*xf32>) -> ()
  %layer_norm_axis0_u1 = tensor.cast %layer_norm_axis0_r#1 : tensor<1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis0_u1) : (tensor<*xf32>) -> ()
  %layer_norm_axis0_u2 = tensor.cast %layer_norm_axis0_r#2 : tensor<1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_axis0_u2) : (tensor<*xf32>) -> ()
  %layer_norm_backward_axis1_in0 = arith.constant dense<[[[-1.0, -2.0, 0.5, -1.5], [-2.5, 1.5, -2.0, -1.0], [-1.0, 1.0, 1.5, 0.0]], [[-2.5, -0.5, 1.5, 3.0], [3.0, -2.0, -1.5, 0.0], [-1.5, -2.0, -2.0, 3.0]]]> : tensor<2x3x4xf32>
  %layer_norm_backward_axis1_in1 = arith.constant dense<[[1.5, 0.0, 0.5, -1.0], [0.5, -2.0, -3.0, 0.5], [0.5, -0.5, -0.5, -2.5]]> : tensor<3x4xf32>
  %layer_norm_backward_axis1_in2 = arith.constant dense<[[2.5, -3.0, 0.0, -0.5], [2.0, 0.5, -2.0, 0.0], [0.5, 2.5, 0.0, 2.5]]> : tensor<3x4xf32>
  %layer_norm_backward_axis1_in3 = arith.constant dense<[[[-1.0, 3.0, 3.0, 2.0], [2.5, 0.0, 3.0, 0.0], [0.5, -0.5, 0.5, -0.5]], [[0.5, -3.0, -3.0, 2.0], [2.5, -1.5, -3.0, -3.0], [2.0, 0.0, -1.5, 1.5]]]> : tensor<2x3x4xf32>
  %layer_norm_backward_axis1_r:3 = call @layer_norm_backward_axis1(%layer_norm_backward_axis1_in0, %layer_norm_backward_axis1_in1, %layer_norm_backward_axis1_in2, %layer_norm_backward_axis1_in3) : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>)
  %layer_norm_backward_axis1_u0 = tensor.cast %layer_norm_backward_axis1_r#0 : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_backward_axis1_u0) : (tensor<*xf32>) -> ()
  %layer_norm_backward_axis1_u1 = tensor.cast %layer_norm_backward_axis1_r#1 : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_backward_axis1_u1) : (tensor<*xf32>) -> ()
  %layer_norm_backward_axis1_u2 = tensor.cast %layer_norm_backward_axis1_r#2 : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%layer_norm_backward_axis1_u2) : (tensor<*xf32>) -> ()
  %softmax_dim0_in0 = arith.constant dense<[[0.0, -0.5, -2.5, -1.0], [2.0, 1.0, 0.0, -2.0], [1.0, -3.0, 3.0, 0.5]]> : tensor<3x4xf32>
  %softmax_dim0_r0 = call @softmax_dim0(%softmax_dim0_in0) : (tensor<3x4xf32>) -> (tensor<3x4xf32>)
  %softmax_dim0_u0 = tensor.cast %softmax_dim0_r0 : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%softmax_dim0_u0) : (tensor<*xf32>) -> ()
  %softmax_middle_dim_in0 = arith.constant dense<[[[101.5, 100.0], [99.0, 102.5], [97.0, 99.5]], [[101.5, 102.0], [98.5, 97.0], [103.0, 97.0]]]> : tensor<2x3x2xf32>
  %softmax_middle_dim_r0 = call @softmax_middle_dim(%softmax_middle_dim_in0) : (tensor<2x3x2xf32>) -> (tensor<2x3x2xf32>)
  %softmax_middle_dim_u0 = tensor.cast %softmax_middle_dim_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%softmax_middle_dim_u0) : (tensor<*xf32>) -> ()
  %log_softmax_middle_dim_in0 = arith.constant dense<[[[2.0, 0.5], [-3.0, -2.0], [-2.0, -3.0]], [[0.5, -2.5], [-1.0, -1.0], [-3.0, -1.0]]]> : tensor<2x3x2xf32>
  %log_softmax_middle_dim_r0 = call @log_softmax_middle_dim(%log_softmax_middle_dim_in0) : (tensor<2x3x2xf32>) -> (tensor<2x3x2xf32>)
  %log_softmax_middle_dim_u0 = tensor.cast %log_softmax_middle_dim_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%log_softmax_middle_dim_u0) : (tensor<*xf32>) -> ()
  %softmax_backward_in0 = arith.constant dense<[[[0.5, 0.5], [0.5, 2.5], [-2.0, -1.0]], [[1.0, -2.0], [-1.5, 0.5], [1.5, -3.0]]]> : tensor<2x3x2xf32>
  %softmax_backward_in1 = arith.constant dense<[[[-0.5, -0.5], [-1.0, -1.0], [2.0, -0.5]], [[0.5, -3.0], [1.5, 0.5], [-1.0, 1.0]]]> : tensor<2x3x2xf32>
  %softmax_backward_r0 = call @softmax_backward(%softmax_backward_in0, %softmax_backward_in1) : (tensor<2x3x2xf32>, tensor<2x3x2xf32>) -> (tensor<2x3x2xf32>)
  %softmax_backward_u0 = tensor.cast %softmax_backward_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%softmax_backward_u0) : (tensor<*xf32>) -> ()
  %log_softmax_backward_in0 = arith.constant dense<[[[1.5, 1.5], [2.5, 3.0], [1.5, -1.0]], [[1.5, 1.0], [-1.0, -0.5], [-3.0, -2.0]]]> : tensor<2x3x2xf32>
  %log_softmax_backward_in1 = arith.constant dense<[[[-2.5, 2.5], [3.0, 1.5], [-1.5, 3.0]], [[-1.5, 2.0], [1.5, 2.5], [1.5, -2.5]]]> : tensor<2x3x2xf32>
  %log_softmax_backward_r0 = call @log_softmax_backward(%log_softmax_backward_in0, %log_softmax_backward_in1) : (tensor<2x3x2xf32>, tensor<2x3x2xf32>) -> (tensor<2x3x2xf32>)
  %log_softmax_backward_u0 = tensor.cast %log_softmax_backward_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%log_softmax_backward_u0) : (tensor<*xf32>) -> ()
  %cross_entropy_mean_ignore_in0 = arith.constant dense<[[-3.0, -3.0, 3.0], [-2.0, 2.0, -0.5], [2.5, 1.0, -3.0], [-0.5, 1.0, 0.0]]> : tensor<4x3xf32>
  %cross_entropy_mean_ignore_in1 = arith.constant dense<[2, -100, 0, 1]> : tensor<4xi64>
  %cross_entropy_mean_ignore_r0 = call @cross_entropy_mean_ignore(%cross_entropy_mean_ignore_in0, %cross_entropy_mean_ignore_in1) : (tensor<4x3xf32>, tensor<4xi64>) -> (tensor<f32>)
  %cross_entropy_mean_ignore_u0 = tensor.cast %cross_entropy_mean_ignore_r0 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%cross_entropy_mean_ignore_u0) : (tensor<*xf32>) -> ()
  %cross_entropy_sum_weights_in0 = arith.constant dense<[[-2.5, 1.5, 1.5], [-3.0, -2.0, 1.0], [-2.5, -3.0, -1.0], [-1.5, -1.0, 1.5]]> : tensor<4x3xf32>
  %cross_entropy_sum_weights_in1 = arith.constant dense<[2, 1, 0, 2]> : tensor<4xi64>
  %cross_entropy_sum_weights_in2 = arith.constant dense<[0.5, 2.0, 1.5]> : tensor<3xf32>
  %cross_entropy_sum_weights_r0 = call @cross_entropy_sum_weights(%cross_entropy_sum_weights_in0, %cross_entropy_sum_weights_in1, %cross_entropy_sum_weights_in2) : (tensor<4x3xf32>, tensor<4xi64>, tensor<3xf32>) -> (tensor<f32>)
  %cross_entropy_sum_weights_u0 = tensor.cast %cross_entropy_sum_weights_r0 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%cross_entropy_sum_weights_u0) : (tensor<*xf32>) -> ()
  %cross_entropy_mean_weights_spatial_in0 = arith.constant dense<[[[-2.0, 1.0], [0.5, -0.5], [-2.5, -1.5]], [[-1.0, 2.0], [-3.0, -1.5], [1.5, -3.0]]]> : tensor<2x3x2xf32>
  %cross_entropy_mean_weights_spatial_in1 = arith.constant dense<[[2, -1], [0, 2]]> : tensor<2x2xi64>
  %cross_entropy_mean_weights_spatial_in2 = arith.constant dense<[0.5, 2.0, 1.5]> : tensor<3xf32>
  %cross_entropy_mean_weights_spatial_r0 = call @cross_entropy_mean_weights_spatial(%cross_entropy_mean_weights_spatial_in0, %cross_entropy_mean_weights_spatial_in1, %cross_entropy_mean_weights_spatial_in2) : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> (tensor<f32>)
  %cross_entropy_mean_weights_spatial_u0 = tensor.cast %cross_entropy_mean_weights_spatial_r0 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%cross_entropy_mean_weights_spatial_u0) : (tensor<*xf32>) -> ()
  %cross_entropy_none_weights_in0 = arith.constant dense<[[[0.5, -1.5], [0.0, -3.0], [-1.5, 2.0]], [[3.0, -2.5], [2.5, 3.0], [1.0, -2.0]]]> : tensor<2x3x2xf32>
  %cross_entropy_none_weights_in1 = arith.constant dense<[[2, 1], [0, 2]]> : tensor<2x2xi64>
  %cross_entropy_none_weights_in2 = arith.constant dense<[0.5, 2.0, 1.5]> : tensor<3xf32>
  %cross_entropy_none_weights_r0 = call @cross_entropy_none_weights(%cross_entropy_none_weights_in0, %cross_entropy_none_weights_in1, %cross_entropy_none_weights_in2) : (tensor<2x3x2xf32>, tensor<2x2xi64>, tensor<3xf32>) -> (tensor<2x2xf32>)
  %cross_entropy_none_weights_u0 = tensor.cast %cross_entropy_none_weights_r0 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%cross_entropy_none_weights_u0) : (tensor<*xf32>) -> ()
  return
}
