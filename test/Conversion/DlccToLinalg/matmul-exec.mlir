// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

// Execution tests of dlcc-convert-to-linalg for dlcc.matmul and the
// convolutions: lowered by --dlcc-reference-cpu-lowering and run under
// mlir-runner. Expected values are computed independently with torch (snippet
// above each function; inputs are the @main constants in order); inputs lie on
// integer or half-integer grids so the results are exact.

func.func private @printMemrefF32(tensor<*xf32>)

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = a0 @ a1
// matmul_2d result 0:
// CHECK: rank = 2 offset = 0 sizes = [3, 2]
// CHECK-NEXT: {{\[\[}}-1.25, -5],
// CHECK-NEXT: [1.25, 6.5],
// CHECK-NEXT: [-10, 3]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) -> tensor<3x2xf32> {
  %0 = dlcc.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.matmul(a0, a1)
// matmul_batched result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}13, 8.5],
// CHECK-NEXT: [7.25, -3.75],
// CHECK-NEXT: [-1.5, -1.5]],
// CHECK-NEXT: {{\[\[}}9, 9.5],
// CHECK-NEXT: [3, 1.5],
// CHECK-NEXT: [1, -3]]]
func.func @matmul_batched(%a: tensor<2x3x4xf32>, %b: tensor<2x4x2xf32>) -> tensor<2x3x2xf32> {
  %0 = dlcc.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x2xf32>) -> tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.matmul(a0, a1)
// matmul_batched_4d result 0:
// CHECK: rank = 4 offset = 0 sizes = [2, 2, 2, 2]
// CHECK-NEXT: {{\[\[\[\[}}1.5, -1],
// CHECK-NEXT: [7.5, 4.5]],
// CHECK-NEXT: {{\[\[}}3, 2.75],
// CHECK-NEXT: [{{-?0}}, -5.75]]],
// CHECK-NEXT: {{\[\[\[}}1.75, -2.5],
// CHECK-NEXT: [-2, 0.5]],
// CHECK-NEXT: {{\[\[}}6, 6.5],
// CHECK-NEXT: [-6.5, -11]]]]
func.func @matmul_batched_4d(%a: tensor<2x2x2x3xf32>, %b: tensor<2x2x3x2xf32>) -> tensor<2x2x2x2xf32> {
  %0 = dlcc.matmul %a, %b : (tensor<2x2x2x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x2x2xf32>
  return %0 : tensor<2x2x2x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.matmul(a0, a1.T)
// matmul_shared_rhs_transposed result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 5]
// CHECK-NEXT: {{\[\[\[}}1.25, -4.25, 7.25, {{-?0}}, -6.5],
// CHECK-NEXT: [3.5, 7, 8, 5.25, -8],
// CHECK-NEXT: [-5.25, 6.25, 2.25, 9.25, -7.5]],
// CHECK-NEXT: {{\[\[}}-2.25, -1.75, 2, 3.5, -0.25],
// CHECK-NEXT: [10.25, 16.75, -5.75, -7.5, -1.5],
// CHECK-NEXT: [0.5, -1.75, 3.25, -0.25, -3.75]]]
func.func @matmul_shared_rhs_transposed(%a: tensor<2x3x4xf32>, %b: tensor<5x4xf32>) -> tensor<2x3x5xf32> {
  %0 = dlcc.matmul %a, %b transpose_rhs : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.matmul(a0.transpose(1, 2), a1.transpose(1, 2))
// matmul_both_transposed result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}4.75, -17],
// CHECK-NEXT: [10.25, -8.25],
// CHECK-NEXT: [-4.25, 8.25]],
// CHECK-NEXT: {{\[\[}}4, 1.25],
// CHECK-NEXT: [0.25, -4],
// CHECK-NEXT: [-1.25, -4.25]]]
func.func @matmul_both_transposed(%a: tensor<2x4x3xf32>, %b: tensor<2x2x4xf32>) -> tensor<2x3x2xf32> {
  %0 = dlcc.matmul %a, %b transpose_lhs transpose_rhs : (tensor<2x4x3xf32>, tensor<2x2x4xf32>) -> tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = torch.matmul(a0.transpose(1, 2), a1)
// matmul_shared_lhs_transposed result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}-4, 14.25],
// CHECK-NEXT: [-7.5, -7],
// CHECK-NEXT: [-1.75, 0.25]],
// CHECK-NEXT: {{\[\[}}4.75, 1.25],
// CHECK-NEXT: [-5.5, -4.75],
// CHECK-NEXT: [2, 0.5]]]
func.func @matmul_shared_lhs_transposed(%a: tensor<2x4x3xf32>, %b: tensor<4x2xf32>) -> tensor<2x3x2xf32> {
  %0 = dlcc.matmul %a, %b transpose_lhs : (tensor<2x4x3xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.conv2d(F.pad(a0, (0, 1, 1, 2)), a1, stride=(2, 1), dilation=(1, 2))
// conv2d_strided_padded_dilated result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 3, 4, 6]
// CHECK-NEXT: {{\[\[\[\[}}-3, -5, -3, -9, -4, -10],
// CHECK-NEXT: [6, -4, -5, 3, 6, 5],
// CHECK-NEXT: [-2, -19, -11, -6, -9, -2],
// CHECK-NEXT: [1, 4, -3, {{-?0}}, -1, -5]],
// CHECK-NEXT: {{\[\[}}4, 7, -5, 6, -5, 10],
// CHECK-NEXT: [7, -12, 8, -6, 2, -7],
// CHECK-NEXT: [3, 4, -5, 14, 6, 6],
// CHECK-NEXT: [-6, -4, -2, {{-?0}}, -1, {{-?0}}]],
// CHECK-NEXT: {{\[\[}}-7, 3, -3, -3, 3, -4],
// CHECK-NEXT: [-6, 7, -1, -1, 6, -5],
// CHECK-NEXT: [-3, -2, -3, -10, -10, 7],
// CHECK-NEXT: [8, 2, -6, -8, {{-?0}}, -2]]]]
func.func @conv2d_strided_padded_dilated(%x: tensor<1x2x6x7xf32>, %w: tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32> {
  %0 = dlcc.convolution %x, %w, strides = [2, 1], pad_low = [1, 0], pad_high = [2, 1],
      dilations = [1, 2], groups = 1 : (tensor<1x2x6x7xf32>, tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32>
  return %0 : tensor<1x3x4x6xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.conv2d(F.pad(a0, (0, 1, 1, 0)), a1, stride=2, dilation=(2, 1), groups=2)
// conv2d_groups result 0:
// CHECK: rank = 4 offset = 0 sizes = [2, 4, 2, 2]
// CHECK-NEXT: {{\[\[\[\[}}-5, -3],
// CHECK-NEXT: [-1, 2]],
// CHECK-NEXT: {{\[\[}}{{-?0}}, {{-?0}}],
// CHECK-NEXT: [12, 11]],
// CHECK-NEXT: {{\[\[}}-9, -9],
// CHECK-NEXT: [6, 11]],
// CHECK-NEXT: {{\[\[}}-4, -8],
// CHECK-NEXT: [{{-?0}}, 18]]],
// CHECK-NEXT: {{\[\[\[}}1, {{-?0}}],
// CHECK-NEXT: [1, -6]],
// CHECK-NEXT: {{\[\[}}1, 1],
// CHECK-NEXT: [-6, -3]],
// CHECK-NEXT: {{\[\[}}4, 3],
// CHECK-NEXT: [1, 2]],
// CHECK-NEXT: {{\[\[}}5, 4],
// CHECK-NEXT: [1, -6]]]]
func.func @conv2d_groups(%x: tensor<2x4x5x5xf32>, %w: tensor<4x2x2x3xf32>) -> tensor<2x4x2x2xf32> {
  %0 = dlcc.convolution %x, %w, strides = [2, 2], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [2, 1], groups = 2 : (tensor<2x4x5x5xf32>, tensor<4x2x2x3xf32>) -> tensor<2x4x2x2xf32>
  return %0 : tensor<2x4x2x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.conv1d(F.pad(a0, (2, 1)), a1, stride=3, dilation=2, groups=3)
// conv1d_depthwise result 0:
// CHECK: rank = 3 offset = 0 sizes = [2, 6, 3]
// CHECK-NEXT: {{\[\[\[}}{{-?0}}, 6, -2],
// CHECK-NEXT: [{{-?0}}, -5, 3],
// CHECK-NEXT: [{{-?0}}, -3, 4],
// CHECK-NEXT: [5, 2, 4],
// CHECK-NEXT: [1, -1, 2],
// CHECK-NEXT: [4, 4, -2]],
// CHECK-NEXT: {{\[\[}}2, {{-?0}}, -4],
// CHECK-NEXT: [-1, 2, 2],
// CHECK-NEXT: [6, 3, -2],
// CHECK-NEXT: [2, 1, 4],
// CHECK-NEXT: [1, {{-?0}}, 4],
// CHECK-NEXT: [4, 10, 6]]]
func.func @conv1d_depthwise(%x: tensor<2x3x8xf32>, %w: tensor<6x1x3xf32>) -> tensor<2x6x3xf32> {
  %0 = dlcc.convolution %x, %w, strides = [3], pad_low = [2], pad_high = [1],
      dilations = [2], groups = 3 : (tensor<2x3x8xf32>, tensor<6x1x3xf32>) -> tensor<2x6x3xf32>
  return %0 : tensor<2x6x3xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   result = F.conv3d(F.pad(a0, (1, 0, 1, 0, 0, 0)), a1, stride=(1, 2, 1))
// conv3d result 0:
// CHECK: rank = 5 offset = 0 sizes = [1, 2, 2, 2, 3]
// CHECK-NEXT: {{\[\[\[\[\[}}10, -9, 2],
// CHECK-NEXT: [1, 21, 3]],
// CHECK-NEXT: {{\[\[}}-11, 3, -2],
// CHECK-NEXT: [12, -4, 15]]],
// CHECK-NEXT: {{\[\[\[}}-3, 9, -6],
// CHECK-NEXT: [-3, -13, -9]],
// CHECK-NEXT: {{\[\[}}4, -5, -6],
// CHECK-NEXT: [{{-?0}}, 1, -20]]]]]
func.func @conv3d(%x: tensor<1x2x3x4x3xf32>, %w: tensor<2x2x2x2x2xf32>) -> tensor<1x2x2x2x3xf32> {
  %0 = dlcc.convolution %x, %w, strides = [1, 2, 1], pad_low = [0, 1, 1], pad_high = [0, 0, 0],
      dilations = [1, 1, 1], groups = 1 : (tensor<1x2x3x4x3xf32>, tensor<2x2x2x2x2xf32>) -> tensor<1x2x2x2x3xf32>
  return %0 : tensor<1x2x2x2x3xf32>
}

// --------------------------------------------------------------------------
// (%x is unused: it is the forward input autograd needs.)
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_(); w = a1.clone().requires_grad_()
//   y = F.conv2d(F.pad(x, (0, 1, 1, 0)), w, stride=(2, 3), dilation=(1, 2), groups=2)
//   (y * a2).sum().backward()
//   result = x.grad
// conv_backward_data result 0:
// CHECK: rank = 4 offset = 0 sizes = [1, 4, 7, 6]
// CHECK-NEXT: {{\[\[\[\[}}-1, {{-?0}}, -4, 2, {{-?0}}, 8],
// CHECK-NEXT: [6, {{-?0}}, -2, -8, {{-?0}}, 3],
// CHECK-NEXT: [-4, {{-?0}}, 2, 1, {{-?0}}, -2],
// CHECK-NEXT: [-3, {{-?0}}, 1, 1, {{-?0}}, -1],
// CHECK-NEXT: [5, {{-?0}}, 2, 3, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, -1, 1, {{-?0}}, -1],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}]],
// CHECK-NEXT: {{\[\[}}-3, {{-?0}}, -2, 6, {{-?0}}, 4],
// CHECK-NEXT: [1, {{-?0}}, 1, 4, {{-?0}}, -2],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, 1, -1, {{-?0}}, -1],
// CHECK-NEXT: [1, {{-?0}}, -5, -4, {{-?0}}, 2],
// CHECK-NEXT: [3, {{-?0}}, 1, 1, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, 4, -1, {{-?0}}, 3],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}]],
// CHECK-NEXT: {{\[\[}}2, {{-?0}}, {{-?0}}, 2, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [5, {{-?0}}, {{-?0}}, 2, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [1, {{-?0}}, 2, -2, {{-?0}}, 2],
// CHECK-NEXT: [5, {{-?0}}, 6, -1, {{-?0}}, -4],
// CHECK-NEXT: [1, {{-?0}}, -2, 1, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, 2, 2, {{-?0}}, 2],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}]],
// CHECK-NEXT: {{\[\[}}-2, {{-?0}}, 2, -2, {{-?0}}, 2],
// CHECK-NEXT: [-1, {{-?0}}, 3, -4, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [1, {{-?0}}, 1, 4, {{-?0}}, -2],
// CHECK-NEXT: [4, {{-?0}}, -5, -3, {{-?0}}, -3],
// CHECK-NEXT: [-3, {{-?0}}, 1, -1, {{-?0}}, 1],
// CHECK-NEXT: [3, {{-?0}}, 4, 1, {{-?0}}, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}, {{-?0}}]]]]
func.func @conv_backward_data(%x: tensor<1x4x7x6xf32>, %w: tensor<4x2x3x2xf32>, %dy: tensor<1x4x3x2xf32>) -> tensor<1x4x7x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x3x2xf32>, tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32>
  return %0 : tensor<1x4x7x6xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_(); w = a1.clone().requires_grad_()
//   y = F.conv2d(F.pad(x, (0, 1, 1, 0)), w, stride=(2, 3), dilation=(1, 2), groups=2)
//   (y * a2).sum().backward()
//   result = w.grad
// conv_backward_filter result 0:
// CHECK: rank = 4 offset = 0 sizes = [4, 2, 3, 2]
// CHECK-NEXT: {{\[\[\[\[}}1, -2],
// CHECK-NEXT: [-2, -2],
// CHECK-NEXT: [-2, -8]],
// CHECK-NEXT: {{\[\[}}-3, 6],
// CHECK-NEXT: [-9, {{-?0}}],
// CHECK-NEXT: [-4, 5]]],
// CHECK-NEXT: {{\[\[\[}}-6, {{-?0}}],
// CHECK-NEXT: [1, 2],
// CHECK-NEXT: [-3, -3]],
// CHECK-NEXT: {{\[\[}}-3, 1],
// CHECK-NEXT: [5, -1],
// CHECK-NEXT: [-2, 3]]],
// CHECK-NEXT: {{\[\[\[}}2, 4],
// CHECK-NEXT: [-15, -2],
// CHECK-NEXT: [12, 2]],
// CHECK-NEXT: {{\[\[}}{{-?0}}, {{-?0}}],
// CHECK-NEXT: [9, -10],
// CHECK-NEXT: [-11, 6]]],
// CHECK-NEXT: {{\[\[\[}}4, {{-?0}}],
// CHECK-NEXT: [1, 8],
// CHECK-NEXT: [{{-?0}}, -10]],
// CHECK-NEXT: {{\[\[}}-2, 6],
// CHECK-NEXT: [{{-?0}}, -3],
// CHECK-NEXT: [3, -2]]]]
func.func @conv_backward_filter(%x: tensor<1x4x7x6xf32>, %w: tensor<4x2x3x2xf32>, %dy: tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32> {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x7x6xf32>, tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32>
  return %0 : tensor<4x2x3x2xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   x = a0.clone().requires_grad_()
//   y = F.conv1d(F.pad(x, (1, 2)), a1, stride=2)
//   (y * a2).sum().backward()
//   result = x.grad
// conv_backward_data_wide_pad result 0:
// CHECK: rank = 3 offset = 0 sizes = [1, 2, 5]
// CHECK-NEXT: {{\[\[\[}}{{-?0}}, {{-?0}}, {{-?0}}, 1, {{-?0}}],
// CHECK-NEXT: [{{-?0}}, {{-?0}}, {{-?0}}, 2, {{-?0}}]]]
func.func @conv_backward_data_wide_pad(%x: tensor<1x2x5xf32>, %w: tensor<2x2x1xf32>, %dy: tensor<1x2x4xf32>) -> tensor<1x2x5xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2], pad_low = [1], pad_high = [2],
      dilations = [1], groups = 1 : (tensor<1x2x4xf32>, tensor<2x2x1xf32>) -> tensor<1x2x5xf32>
  return %0 : tensor<1x2x5xf32>
}

// --------------------------------------------------------------------------
// Expected values (torch 1.13, float64; a<i> are the inputs):
//   w = torch.zeros(4, 1, 3, dtype=torch.float64, requires_grad=True)
//   y = F.conv1d(F.pad(a0, (2, 0)), w, stride=3, dilation=2, groups=2)
//   (y * a1).sum().backward()
//   result = w.grad
// conv_backward_filter_1d_dilated result 0:
// CHECK: rank = 3 offset = 0 sizes = [4, 1, 3]
// CHECK-NEXT: {{\[\[\[}}-2, -1, -1]],
// CHECK-NEXT: {{\[\[}}-1, 2, 5]],
// CHECK-NEXT: {{\[\[}}2, 5, 5]],
// CHECK-NEXT: {{\[\[}}-1, 5, -9]]]
func.func @conv_backward_filter_1d_dilated(%x: tensor<2x2x9xf32>, %dy: tensor<2x4x3xf32>) -> tensor<4x1x3xf32> {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [3], pad_low = [2], pad_high = [0],
      dilations = [2], groups = 2 : (tensor<2x2x9xf32>, tensor<2x4x3xf32>) -> tensor<4x1x3xf32>
  return %0 : tensor<4x1x3xf32>
}

func.func @main() {
  %matmul_2d_in0 = arith.constant dense<[[3.0, 1.0, 1.0, 2.5], [0.5, 2.0, 2.0, -2.0], [-3.0, -1.5, -1.5, 2.5]]> : tensor<3x4xf32>
  %matmul_2d_in1 = arith.constant dense<[[2.5, -3.0], [0.0, 2.0], [-2.5, 2.0], [-2.5, 0.0]]> : tensor<4x2xf32>
  %matmul_2d_r0 = call @matmul_2d(%matmul_2d_in0, %matmul_2d_in1) : (tensor<3x4xf32>, tensor<4x2xf32>) -> (tensor<3x2xf32>)
  %matmul_2d_u0 = tensor.cast %matmul_2d_r0 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_2d_u0) : (tensor<*xf32>) -> ()
  %matmul_batched_in0 = arith.constant dense<[[[2.0, -1.5, -1.0, -1.5], [1.5, -1.5, 3.0, -0.5], [0.0, 0.0, 0.5, 0.5]], [[0.0, 3.0, 2.0, 2.0], [1.5, 1.0, -1.0, 3.0], [0.0, -2.0, 2.0, -2.0]]]> : tensor<2x3x4xf32>
  %matmul_batched_in1 = arith.constant dense<[[[2.5, 0.5], [-2.5, -3.0], [-0.5, -3.0], [-2.5, 0.0]], [[3.0, 0.0], [2.0, 2.5], [2.0, 1.0], [-0.5, 0.0]]]> : tensor<2x4x2xf32>
  %matmul_batched_r0 = call @matmul_batched(%matmul_batched_in0, %matmul_batched_in1) : (tensor<2x3x4xf32>, tensor<2x4x2xf32>) -> (tensor<2x3x2xf32>)
  %matmul_batched_u0 = tensor.cast %matmul_batched_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_batched_u0) : (tensor<*xf32>) -> ()
  %matmul_batched_4d_in0 = arith.constant dense<[[[[-1.5, 0.0, -1.0], [-1.5, 3.0, -3.0]], [[-2.5, -2.0, 3.0], [1.0, 2.5, -2.0]]], [[[1.5, -1.0, 0.0], [-3.0, 1.0, 2.0]], [[1.0, -2.0, 0.0], [-1.5, 3.0, 2.5]]]]> : tensor<2x2x2x3xf32>
  %matmul_batched_4d_in1 = arith.constant dense<[[[[-2.0, 0.0], [3.0, 2.5], [1.5, 1.0]], [[-3.0, 1.5], [0.0, -2.5], [-1.5, 0.5]]], [[[1.5, 0.0], [0.5, 2.5], [1.0, -1.0]], [[1.0, 0.5], [-2.5, -3.0], [1.0, -0.5]]]]> : tensor<2x2x3x2xf32>
  %matmul_batched_4d_r0 = call @matmul_batched_4d(%matmul_batched_4d_in0, %matmul_batched_4d_in1) : (tensor<2x2x2x3xf32>, tensor<2x2x3x2xf32>) -> (tensor<2x2x2x2xf32>)
  %matmul_batched_4d_u0 = tensor.cast %matmul_batched_4d_r0 : tensor<2x2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_batched_4d_u0) : (tensor<*xf32>) -> ()
  %matmul_shared_rhs_transposed_in0 = arith.constant dense<[[[0.5, -1.0, -2.0, -2.5], [-1.0, 2.0, -0.5, -1.0], [0.5, 3.0, -0.5, 0.5]], [[-0.5, 0.5, -0.5, 1.0], [0.5, 1.0, 3.0, -2.5], [0.5, -0.5, -1.0, -1.5]]]> : tensor<2x3x4xf32>
  %matmul_shared_rhs_transposed_in1 = arith.constant dense<[[-3.0, -0.5, 2.0, -2.5], [-0.5, 3.0, 3.0, -2.0], [-3.0, 1.0, -3.0, -1.5], [0.0, 2.5, -2.5, 1.0], [0.0, -2.5, 2.0, 2.0]]> : tensor<5x4xf32>
  %matmul_shared_rhs_transposed_r0 = call @matmul_shared_rhs_transposed(%matmul_shared_rhs_transposed_in0, %matmul_shared_rhs_transposed_in1) : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> (tensor<2x3x5xf32>)
  %matmul_shared_rhs_transposed_u0 = tensor.cast %matmul_shared_rhs_transposed_r0 : tensor<2x3x5xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_shared_rhs_transposed_u0) : (tensor<*xf32>) -> ()
  %matmul_both_transposed_in0 = arith.constant dense<[[[0.0, 3.0, 0.5], [2.5, 3.0, 0.5], [-1.5, -2.5, 0.5], [-2.0, 1.5, 3.0]], [[-1.5, 0.5, -3.0], [-2.0, -1.0, 2.5], [3.0, 1.0, 0.5], [0.5, -3.0, -1.0]]]> : tensor<2x4x3xf32>
  %matmul_both_transposed_in1 = arith.constant dense<[[[3.0, -0.5, -2.0, -1.5], [1.5, -3.0, 3.0, 2.5]], [[0.5, 0.0, 1.5, 0.5], [0.0, -1.0, -0.5, 1.5]]]> : tensor<2x2x4xf32>
  %matmul_both_transposed_r0 = call @matmul_both_transposed(%matmul_both_transposed_in0, %matmul_both_transposed_in1) : (tensor<2x4x3xf32>, tensor<2x2x4xf32>) -> (tensor<2x3x2xf32>)
  %matmul_both_transposed_u0 = tensor.cast %matmul_both_transposed_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_both_transposed_u0) : (tensor<*xf32>) -> ()
  %matmul_shared_lhs_transposed_in0 = arith.constant dense<[[[-3.0, -3.0, 1.5], [-1.0, 2.0, -3.0], [2.5, -2.5, -0.5], [3.0, -2.5, 1.0]], [[1.5, -0.5, -2.5], [0.0, -0.5, 2.5], [1.0, -1.0, -3.0], [0.5, -1.5, 1.0]]]> : tensor<2x4x3xf32>
  %matmul_shared_lhs_transposed_in1 = arith.constant dense<[[2.5, -1.0], [2.5, 0.0], [0.0, 1.5], [2.0, 2.5]]> : tensor<4x2xf32>
  %matmul_shared_lhs_transposed_r0 = call @matmul_shared_lhs_transposed(%matmul_shared_lhs_transposed_in0, %matmul_shared_lhs_transposed_in1) : (tensor<2x4x3xf32>, tensor<4x2xf32>) -> (tensor<2x3x2xf32>)
  %matmul_shared_lhs_transposed_u0 = tensor.cast %matmul_shared_lhs_transposed_r0 : tensor<2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%matmul_shared_lhs_transposed_u0) : (tensor<*xf32>) -> ()
  %conv2d_strided_padded_dilated_in0 = arith.constant dense<[[[[2.0, -2.0, 0.0, 2.0, -1.0, -2.0, 0.0], [1.0, 1.0, 2.0, 1.0, -2.0, 2.0, 0.0], [2.0, 2.0, 2.0, -2.0, 2.0, 1.0, 0.0], [1.0, 2.0, 0.0, -2.0, 1.0, -1.0, -1.0], [-2.0, -2.0, 2.0, -1.0, -2.0, -2.0, -1.0], [-1.0, -1.0, 2.0, 2.0, 0.0, 2.0, -1.0]], [[-2.0, -1.0, -2.0, 2.0, -1.0, 0.0, -1.0], [2.0, -2.0, 0.0, 2.0, 0.0, 2.0, 2.0], [1.0, 1.0, 0.0, 0.0, 2.0, 0.0, 2.0], [2.0, -1.0, 0.0, 1.0, 2.0, -2.0, -2.0], [-1.0, 0.0, -2.0, 0.0, 0.0, 2.0, 1.0], [-1.0, 1.0, 2.0, 1.0, 1.0, -1.0, 1.0]]]]> : tensor<1x2x6x7xf32>
  %conv2d_strided_padded_dilated_in1 = arith.constant dense<[[[[-2.0, 1.0], [2.0, 2.0], [-1.0, -1.0]], [[1.0, -1.0], [1.0, -1.0], [-2.0, -2.0]]], [[[0.0, -1.0], [-1.0, 2.0], [2.0, 2.0]], [[0.0, -2.0], [1.0, 1.0], [2.0, 0.0]]], [[[-2.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], [[-2.0, 2.0], [1.0, 0.0], [-1.0, 1.0]]]]> : tensor<3x2x3x2xf32>
  %conv2d_strided_padded_dilated_r0 = call @conv2d_strided_padded_dilated(%conv2d_strided_padded_dilated_in0, %conv2d_strided_padded_dilated_in1) : (tensor<1x2x6x7xf32>, tensor<3x2x3x2xf32>) -> (tensor<1x3x4x6xf32>)
  %conv2d_strided_padded_dilated_u0 = tensor.cast %conv2d_strided_padded_dilated_r0 : tensor<1x3x4x6xf32> to tensor<*xf32>
  call @printMemrefF32(%conv2d_strided_padded_dilated_u0) : (tensor<*xf32>) -> ()
  %conv2d_groups_in0 = arith.constant dense<[[[[0.0, 1.0, -2.0, -2.0, 1.0], [-2.0, 1.0, 0.0, -2.0, 1.0], [1.0, 2.0, 2.0, 1.0, 2.0], [-2.0, 2.0, 2.0, 1.0, 2.0], [1.0, 2.0, 2.0, 0.0, 2.0]], [[2.0, -1.0, -2.0, -2.0, -2.0], [0.0, -2.0, -1.0, -1.0, 1.0], [-1.0, 2.0, -2.0, 2.0, 0.0], [-1.0, -2.0, -1.0, 0.0, -2.0], [-2.0, -2.0, 1.0, -2.0, -2.0]], [[0.0, -1.0, 0.0, 2.0, 2.0], [0.0, 1.0, 2.0, 0.0, 1.0], [-1.0, 1.0, -1.0, -2.0, 1.0], [0.0, -1.0, -2.0, -1.0, 2.0], [0.0, 2.0, 2.0, 2.0, -2.0]], [[-2.0, 0.0, -1.0, 2.0, -1.0], [-2.0, -2.0, -1.0, 1.0, -2.0], [1.0, -1.0, -1.0, 1.0, 2.0], [0.0, 1.0, -1.0, -2.0, 2.0], [1.0, 1.0, 2.0, 0.0, -2.0]]], [[[0.0, 0.0, -1.0, 1.0, -1.0], [1.0, 1.0, -2.0, 0.0, 1.0], [-2.0, 1.0, 2.0, 2.0, 1.0], [2.0, -1.0, -1.0, -2.0, 1.0], [-1.0, 2.0, 0.0, 2.0, -2.0]], [[-2.0, -1.0, -2.0, 0.0, 1.0], [1.0, -1.0, -2.0, 0.0, 1.0], [2.0, 2.0, -1.0, -2.0, -1.0], [2.0, 0.0, 2.0, 1.0, 0.0], [-2.0, 0.0, -1.0, 2.0, -2.0]], [[-2.0, 1.0, 1.0, 2.0, 0.0], [-1.0, -1.0, -1.0, 1.0, 0.0], [-1.0, -1.0, 1.0, -1.0, -1.0], [-1.0, 2.0, 0.0, 0.0, -2.0], [-1.0, 1.0, 1.0, 0.0, 2.0]], [[-1.0, -2.0, -2.0, -2.0, 1.0], [2.0, -2.0, 0.0, -2.0, 2.0], [-2.0, 1.0, -2.0, 1.0, 2.0], [1.0, -1.0, 2.0, -1.0, 1.0], [2.0, 0.0, 1.0, 2.0, -2.0]]]]> : tensor<2x4x5x5xf32>
  %conv2d_groups_in1 = arith.constant dense<[[[[-2.0, 0.0, -2.0], [2.0, 2.0, -1.0]], [[-1.0, 1.0, 0.0], [-2.0, 1.0, 1.0]]], [[[-2.0, 1.0, 0.0], [2.0, 2.0, 1.0]], [[-1.0, -1.0, 1.0], [-2.0, -1.0, 0.0]]], [[[2.0, 1.0, 2.0], [-2.0, -1.0, -1.0]], [[1.0, 0.0, -1.0], [1.0, 1.0, 2.0]]], [[[0.0, -2.0, 2.0], [-2.0, -2.0, 1.0]], [[0.0, 1.0, -2.0], [1.0, 0.0, 2.0]]]]> : tensor<4x2x2x3xf32>
  %conv2d_groups_r0 = call @conv2d_groups(%conv2d_groups_in0, %conv2d_groups_in1) : (tensor<2x4x5x5xf32>, tensor<4x2x2x3xf32>) -> (tensor<2x4x2x2xf32>)
  %conv2d_groups_u0 = tensor.cast %conv2d_groups_r0 : tensor<2x4x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%conv2d_groups_u0) : (tensor<*xf32>) -> ()
  %conv1d_depthwise_in0 = arith.constant dense<[[[1.0, 2.0, 1.0, 2.0, -2.0, 1.0, 1.0, -1.0], [-1.0, 1.0, -2.0, -2.0, 2.0, 1.0, 0.0, 1.0], [-1.0, 1.0, -1.0, 0.0, -2.0, -1.0, -1.0, 0.0]], [[0.0, -2.0, -1.0, 2.0, 0.0, 0.0, -2.0, -1.0], [2.0, 0.0, -2.0, 1.0, 1.0, -1.0, -2.0, 2.0], [-1.0, 2.0, -1.0, -1.0, 1.0, -2.0, -2.0, 1.0]]]> : tensor<2x3x8xf32>
  %conv1d_depthwise_in1 = arith.constant dense<[[[2.0, 2.0, -2.0]], [[-2.0, -1.0, 1.0]], [[2.0, 2.0, -1.0]], [[2.0, -1.0, -2.0]], [[0.0, -2.0, 1.0]], [[2.0, -2.0, -2.0]]]> : tensor<6x1x3xf32>
  %conv1d_depthwise_r0 = call @conv1d_depthwise(%conv1d_depthwise_in0, %conv1d_depthwise_in1) : (tensor<2x3x8xf32>, tensor<6x1x3xf32>) -> (tensor<2x6x3xf32>)
  %conv1d_depthwise_u0 = tensor.cast %conv1d_depthwise_r0 : tensor<2x6x3xf32> to tensor<*xf32>
  call @printMemrefF32(%conv1d_depthwise_u0) : (tensor<*xf32>) -> ()
  %conv3d_in0 = arith.constant dense<[[[[[-2.0, -2.0, 0.0], [0.0, 2.0, 0.0], [2.0, 1.0, 2.0], [-2.0, 0.0, 2.0]], [[1.0, -1.0, 2.0], [1.0, -2.0, -2.0], [-1.0, 0.0, -2.0], [-2.0, -2.0, -1.0]], [[-1.0, -1.0, 0.0], [1.0, -1.0, 0.0], [1.0, -2.0, 2.0], [2.0, -1.0, 2.0]]], [[[-1.0, 2.0, 1.0], [-1.0, -2.0, -1.0], [1.0, -1.0, 0.0], [-2.0, 0.0, -2.0]], [[2.0, 0.0, 2.0], [-2.0, -2.0, -2.0], [0.0, 2.0, 1.0], [0.0, 2.0, -2.0]], [[-2.0, 1.0, 2.0], [-1.0, -1.0, 0.0], [1.0, -1.0, 2.0], [0.0, 1.0, 1.0]]]]]> : tensor<1x2x3x4x3xf32>
  %conv3d_in1 = arith.constant dense<[[[[[0.0, 0.0], [2.0, -1.0]], [[2.0, 1.0], [-2.0, 2.0]]], [[[-1.0, -2.0], [-1.0, -2.0]], [[-1.0, -2.0], [0.0, 2.0]]]], [[[[2.0, 2.0], [-1.0, -1.0]], [[1.0, 2.0], [2.0, -1.0]]], [[[1.0, 0.0], [0.0, 0.0]], [[0.0, 2.0], [1.0, -2.0]]]]]> : tensor<2x2x2x2x2xf32>
  %conv3d_r0 = call @conv3d(%conv3d_in0, %conv3d_in1) : (tensor<1x2x3x4x3xf32>, tensor<2x2x2x2x2xf32>) -> (tensor<1x2x2x2x3xf32>)
  %conv3d_u0 = tensor.cast %conv3d_r0 : tensor<1x2x2x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%conv3d_u0) : (tensor<*xf32>) -> ()
  %conv_backward_data_in0 = arith.constant dense<[[[[1.0, -1.0, -1.0, 0.0, 2.0, -2.0], [0.0, -1.0, 2.0, 0.0, 2.0, 2.0], [-2.0, 1.0, 1.0, 2.0, 2.0, 1.0], [2.0, 1.0, -1.0, 2.0, 1.0, 1.0], [2.0, 1.0, -1.0, -1.0, -1.0, -2.0], [-2.0, 1.0, 1.0, -2.0, -1.0, 2.0], [2.0, 0.0, 2.0, -1.0, 2.0, 2.0]], [[0.0, -2.0, -1.0, 0.0, -1.0, -2.0], [-2.0, 2.0, -1.0, 0.0, 0.0, 2.0], [-2.0, -1.0, 0.0, 2.0, 0.0, 1.0], [2.0, 1.0, 2.0, 2.0, -1.0, 0.0], [-1.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 0.0, 1.0, 0.0, -1.0], [-2.0, 0.0, 0.0, 1.0, -2.0, -2.0]], [[1.0, 1.0, 1.0, -2.0, 1.0, 2.0], [1.0, 0.0, 0.0, 0.0, -2.0, 1.0], [0.0, 0.0, 2.0, 1.0, 2.0, -2.0], [2.0, 0.0, 0.0, 0.0, -2.0, 2.0], [1.0, -2.0, 2.0, 0.0, -2.0, 1.0], [-2.0, 0.0, 1.0, -2.0, 1.0, 0.0], [-1.0, -1.0, -2.0, -2.0, -1.0, 2.0]], [[0.0, -2.0, 1.0, 0.0, 2.0, 1.0], [2.0, 1.0, -2.0, 0.0, 0.0, 2.0], [-2.0, 0.0, 2.0, 1.0, -2.0, 2.0], [-1.0, 1.0, 1.0, 1.0, 0.0, 0.0], [-2.0, 0.0, -1.0, -1.0, -2.0, 1.0], [2.0, -1.0, 0.0, 0.0, -2.0, 1.0], [2.0, 0.0, -2.0, -1.0, -2.0, 2.0]]]]> : tensor<1x4x7x6xf32>
  %conv_backward_data_in1 = arith.constant dense<[[[[2.0, -1.0], [-1.0, 2.0], [-2.0, 1.0]], [[2.0, 0.0], [1.0, 1.0], [2.0, -2.0]]], [[[1.0, -1.0], [2.0, 2.0], [-1.0, 0.0]], [[0.0, 0.0], [2.0, 1.0], [1.0, 1.0]]], [[[-1.0, 0.0], [-1.0, 0.0], [-2.0, -2.0]], [[-1.0, -1.0], [1.0, -1.0], [-1.0, 0.0]]], [[[0.0, 2.0], [0.0, -1.0], [-1.0, 0.0]], [[2.0, -1.0], [-1.0, 0.0], [1.0, 2.0]]]]> : tensor<4x2x3x2xf32>
  %conv_backward_data_in2 = arith.constant dense<[[[[-1.0, 2.0], [2.0, -1.0], [-1.0, -1.0]], [[-1.0, 2.0], [-1.0, 0.0], [2.0, 1.0]], [[-2.0, -2.0], [-1.0, 2.0], [-1.0, -1.0]], [[0.0, 0.0], [-2.0, -2.0], [2.0, 0.0]]]]> : tensor<1x4x3x2xf32>
  %conv_backward_data_r0 = call @conv_backward_data(%conv_backward_data_in0, %conv_backward_data_in1, %conv_backward_data_in2) : (tensor<1x4x7x6xf32>, tensor<4x2x3x2xf32>, tensor<1x4x3x2xf32>) -> (tensor<1x4x7x6xf32>)
  %conv_backward_data_u0 = tensor.cast %conv_backward_data_r0 : tensor<1x4x7x6xf32> to tensor<*xf32>
  call @printMemrefF32(%conv_backward_data_u0) : (tensor<*xf32>) -> ()
  %conv_backward_filter_in0 = arith.constant dense<[[[[-1.0, 2.0, 0.0, 2.0, -2.0, 0.0], [2.0, 1.0, 1.0, 0.0, 2.0, -1.0], [1.0, 0.0, -1.0, -1.0, 0.0, -1.0], [0.0, 1.0, 2.0, 1.0, 0.0, -2.0], [-2.0, 1.0, 0.0, 2.0, 0.0, 0.0], [-1.0, -2.0, -2.0, 1.0, 0.0, -1.0], [-1.0, 1.0, -1.0, -1.0, -1.0, 1.0]], [[2.0, -1.0, -1.0, 0.0, -2.0, 0.0], [2.0, 1.0, -2.0, -1.0, -2.0, 2.0], [-1.0, -1.0, 2.0, -1.0, -1.0, -1.0], [-1.0, -2.0, 1.0, 0.0, 2.0, 1.0], [-1.0, 1.0, 2.0, -2.0, -2.0, -2.0], [-2.0, -1.0, 1.0, 1.0, -1.0, 0.0], [1.0, 2.0, -1.0, 1.0, 0.0, 1.0]], [[2.0, 1.0, -1.0, 1.0, -2.0, -1.0], [-1.0, -1.0, 2.0, 0.0, -2.0, 0.0], [-2.0, -2.0, -1.0, 0.0, -1.0, 1.0], [0.0, -2.0, 2.0, -2.0, -1.0, -2.0], [2.0, -1.0, 2.0, 2.0, -1.0, -2.0], [-2.0, -2.0, 0.0, -2.0, 2.0, 0.0], [2.0, -2.0, -2.0, 0.0, -2.0, -2.0]], [[-2.0, -1.0, 1.0, 1.0, 0.0, -2.0], [0.0, 1.0, -2.0, 0.0, 2.0, 0.0], [0.0, 2.0, 1.0, -2.0, 1.0, 2.0], [-1.0, 2.0, 0.0, 1.0, -1.0, -2.0], [-2.0, 1.0, 2.0, 1.0, -1.0, 1.0], [2.0, -1.0, -2.0, 2.0, -2.0, 2.0], [-2.0, -2.0, -1.0, -1.0, -1.0, -2.0]]]]> : tensor<1x4x7x6xf32>
  %conv_backward_filter_in1 = arith.constant dense<[[[[2.0, 2.0], [1.0, 2.0], [2.0, 2.0]], [[-1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]], [[[-1.0, 0.0], [-2.0, 2.0], [2.0, 1.0]], [[1.0, -1.0], [-1.0, 0.0], [-1.0, -2.0]]], [[[-1.0, 1.0], [-1.0, 1.0], [0.0, 0.0]], [[1.0, 2.0], [2.0, 1.0], [-2.0, -1.0]]], [[[0.0, -2.0], [0.0, -2.0], [0.0, -2.0]], [[-1.0, -1.0], [2.0, 0.0], [0.0, 2.0]]]]> : tensor<4x2x3x2xf32>
  %conv_backward_filter_in2 = arith.constant dense<[[[[-2.0, -1.0], [0.0, 2.0], [1.0, 1.0]], [[-1.0, 2.0], [-2.0, 0.0], [-1.0, -2.0]], [[-2.0, 1.0], [2.0, -1.0], [-2.0, -2.0]], [[-2.0, 1.0], [-2.0, 1.0], [1.0, -1.0]]]]> : tensor<1x4x3x2xf32>
  %conv_backward_filter_r0 = call @conv_backward_filter(%conv_backward_filter_in0, %conv_backward_filter_in1, %conv_backward_filter_in2) : (tensor<1x4x7x6xf32>, tensor<4x2x3x2xf32>, tensor<1x4x3x2xf32>) -> (tensor<4x2x3x2xf32>)
  %conv_backward_filter_u0 = tensor.cast %conv_backward_filter_r0 : tensor<4x2x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%conv_backward_filter_u0) : (tensor<*xf32>) -> ()
  %conv_backward_data_wide_pad_in0 = arith.constant dense<[[[-1.0, -1.0, 1.0, 2.0, 1.0], [-1.0, 1.0, 1.0, 0.0, -2.0]]]> : tensor<1x2x5xf32>
  %conv_backward_data_wide_pad_in1 = arith.constant dense<[[[-1.0], [2.0]], [[0.0], [-2.0]]]> : tensor<2x2x1xf32>
  %conv_backward_data_wide_pad_in2 = arith.constant dense<[[[2.0, 0.0, -1.0, -2.0], [0.0, 0.0, -2.0, 2.0]]]> : tensor<1x2x4xf32>
  %conv_backward_data_wide_pad_r0 = call @conv_backward_data_wide_pad(%conv_backward_data_wide_pad_in0, %conv_backward_data_wide_pad_in1, %conv_backward_data_wide_pad_in2) : (tensor<1x2x5xf32>, tensor<2x2x1xf32>, tensor<1x2x4xf32>) -> (tensor<1x2x5xf32>)
  %conv_backward_data_wide_pad_u0 = tensor.cast %conv_backward_data_wide_pad_r0 : tensor<1x2x5xf32> to tensor<*xf32>
  call @printMemrefF32(%conv_backward_data_wide_pad_u0) : (tensor<*xf32>) -> ()
  %conv_backward_filter_1d_dilated_in0 = arith.constant dense<[[[0.0, -2.0, -2.0, -1.0, 1.0, 1.0, 2.0, 1.0, 2.0], [-1.0, 0.0, 1.0, -1.0, 0.0, 1.0, 2.0, 2.0, -1.0]], [[1.0, 1.0, 2.0, 1.0, -1.0, 1.0, -2.0, -1.0, 0.0], [1.0, -2.0, 1.0, -2.0, -1.0, -2.0, -2.0, -1.0, 2.0]]]> : tensor<2x2x9xf32>
  %conv_backward_filter_1d_dilated_in1 = arith.constant dense<[[[0.0, 1.0, -1.0], [-1.0, 2.0, 1.0], [0.0, -1.0, 2.0], [0.0, -2.0, 2.0]], [[0.0, 0.0, -1.0], [-1.0, 1.0, -1.0], [0.0, -2.0, 2.0], [-1.0, 1.0, -1.0]]]> : tensor<2x4x3xf32>
  %conv_backward_filter_1d_dilated_r0 = call @conv_backward_filter_1d_dilated(%conv_backward_filter_1d_dilated_in0, %conv_backward_filter_1d_dilated_in1) : (tensor<2x2x9xf32>, tensor<2x4x3xf32>) -> (tensor<4x1x3xf32>)
  %conv_backward_filter_1d_dilated_u0 = tensor.cast %conv_backward_filter_1d_dilated_r0 : tensor<4x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%conv_backward_filter_1d_dilated_u0) : (tensor<*xf32>) -> ()
  return
}
