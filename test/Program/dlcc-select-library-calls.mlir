// RUN: dlcc-opt %s --dlcc-select-library-calls --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-select-library-calls=generated-gemm=1 --split-input-file | FileCheck %s --check-prefix=GENERATED
// RUN: dlcc-opt %s --dlcc-select-library-calls=generated-conv=1 --split-input-file | FileCheck %s --check-prefix=GENERATED-CONV

// Selection on the dlcc dialect: each selected matmul or convolution moves
// into a kernel function of its own carrying its typed descriptor, and the
// entry point calls it. Leading dimensions are the stored rows' lengths,
// strides are in elements.

// A [8, 32] times B^T (B stored [16, 32], as torch's Linear weight):
// trans_b. Flops 2 * 8 * 16 * 32 = 8192; bytes (8*32 + 16*32 + 8*16) * 4 =
// 3584.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[A:.+]]: tensor<8x32xf32>, %[[B:.+]]: tensor<16x32xf32>)
// CHECK-NEXT: %[[Y:.+]] = call @linear_gemm(%[[A]], %[[B]]) : (tensor<8x32xf32>, tensor<16x32xf32>) -> tensor<8x16xf32>
// CHECK-NEXT: return %[[Y]]
// CHECK: func.func private @linear_gemm(%[[KA:.+]]: tensor<8x32xf32>, %[[KB:.+]]: tensor<16x32xf32>) -> tensor<8x16xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 3584 : i64, dlcc.kernel_flops = 8192 : i64, dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 8, n = 16, k = 32, batch = 1, trans_a = false, trans_b = true, lda = 32, ldb = 32, ldc = 16, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>}
// CHECK-NEXT: %[[R:.+]] = dlcc.matmul %[[KA]], %[[KB]] transpose_rhs
// CHECK-NEXT: return %[[R]]
// GENERATED-LABEL: func.func @linear
// GENERATED-NEXT: dlcc.matmul
// GENERATED-NOT: dlcc.library_call
func.func @linear(%a: tensor<8x32xf32>, %b: tensor<16x32xf32>) -> tensor<8x16xf32> {
  %0 = dlcc.matmul %a, %b transpose_rhs : (tensor<8x32xf32>, tensor<16x32xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// Attention scores: [2, 2, 8, 16] x [2, 2, 16, 8], both batch dims
// flattened into batch = 4.
// CHECK-LABEL: func.func private @batched_gemm
// CHECK-SAME: #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 8, n = 8, k = 16, batch = 4, trans_a = false, trans_b = false, lda = 16, ldb = 8, ldc = 8, stride_a = 128, stride_b = 128, stride_c = 64,
func.func @batched(%a: tensor<2x2x8x16xf32>, %b: tensor<2x2x16x8xf32>) -> tensor<2x2x8x8xf32> {
  %0 = dlcc.matmul %a, %b : (tensor<2x2x8x16xf32>, tensor<2x2x16x8xf32>) -> tensor<2x2x8x8xf32>
  return %0 : tensor<2x2x8x8xf32>
}

// -----

// A [2, 8, 32] x W [32, 64]: the batch only A has folds into m = 16 (one
// GEMM), batch = 1. Transposed, A [2, 32, 8] cannot fold: W is shared by
// the two matrices of the batch (stride_b = 0).
// CHECK-LABEL: func.func private @shared_gemm(
// CHECK-SAME: m = 16, n = 64, k = 32, batch = 1, trans_a = false, trans_b = false, lda = 32, ldb = 64, ldc = 64, stride_a = 0, stride_b = 0, stride_c = 0,
// CHECK-LABEL: func.func private @shared_gemm_0(
// CHECK-SAME: m = 8, n = 64, k = 32, batch = 2, trans_a = true, trans_b = false, lda = 8, ldb = 64, ldc = 64, stride_a = 256, stride_b = 0, stride_c = 512,
func.func @shared(%a: tensor<2x8x32xf32>, %t: tensor<2x32x8xf32>, %w: tensor<32x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64xf32>) {
  %0 = dlcc.matmul %a, %w : (tensor<2x8x32xf32>, tensor<32x64xf32>) -> tensor<2x8x64xf32>
  %1 = dlcc.matmul %t, %w transpose_lhs : (tensor<2x32x8xf32>, tensor<32x64xf32>) -> tensor<2x8x64xf32>
  return %0, %1 : tensor<2x8x64xf32>, tensor<2x8x64xf32>
}

// -----

// Not library GEMMs: f64 (oneDNN has no f64 GEMM), an empty result.
// CHECK-LABEL: func.func @not_gemms
// CHECK-COUNT-2: dlcc.matmul
// CHECK-NOT: dlcc.library_call
func.func @not_gemms(%a: tensor<4x6xf64>, %b: tensor<6x5xf64>, %d: tensor<6x5xf32>, %e: tensor<0x6xf32>) -> (tensor<4x5xf64>, tensor<0x5xf32>) {
  %0 = dlcc.matmul %a, %b : (tensor<4x6xf64>, tensor<6x5xf64>) -> tensor<4x5xf64>
  %2 = dlcc.matmul %e, %d : (tensor<0x6xf32>, tensor<6x5xf32>) -> tensor<0x5xf32>
  return %0, %2 : tensor<4x5xf64>, tensor<0x5xf32>
}

// -----

// A 2-d convolution, strided and dilated, padded 1 at both ends of the
// first spatial dim: the descriptor carries the op's geometry.
// Flops 2 * (2*8*4*7) * (3*3*3) = 24192.
// CHECK-LABEL: func.func @conv(
// CHECK-NEXT: call @conv_conv(%arg0, %arg1)
// CHECK: func.func private @conv_conv(
// CHECK-SAME: dlcc.kernel_flops = 24192 : i64, dlcc.library_call = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [2, 3, 9, 9], filter_shape = [8, 3, 3, 3], output_shape = [2, 8, 4, 7], strides = [2, 1], pads = [1, 0, 1, 0], dilations = [2, 1], groups = 1, element_type = f32>
// CHECK-NEXT: dlcc.convolution
// GENERATED-LABEL: func.func private @conv_conv(
// GENERATED-SAME: #dlcc.conv_call<kind = forward
// GENERATED-CONV-LABEL: func.func @conv(
// GENERATED-CONV-NEXT: dlcc.convolution
// GENERATED-CONV-NOT: dlcc.library_call
func.func @conv(%x: tensor<2x3x9x9xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<2x8x4x7xf32> {
  %0 = dlcc.convolution %x, %w, strides = [2, 1], pad_low = [1, 0], pad_high = [1, 0],
      dilations = [2, 1], groups = 1 : (tensor<2x3x9x9xf32>, tensor<8x3x3x3xf32>) -> tensor<2x8x4x7xf32>
  return %0 : tensor<2x8x4x7xf32>
}

// -----

// Padding 0 before and 1 after: cuDNN's symmetric 0 would give 3 outputs,
// not 4, so the input is padded explicitly and the call pads nothing.
// Padding 1 before and 0 after at stride 2 (ONNX's SAME_LOWER on an even
// input): the symmetric 1 gives the same 3 outputs, so the call pads.
// CHECK-LABEL: func.func @conv_padding(
// CHECK-SAME: %[[X:.+]]: tensor<1x1x5x5xf32>, %[[W:.+]]: tensor<1x1x3x3xf32>, %[[X6:.+]]: tensor<1x1x6x6xf32>)
// CHECK: %[[ZERO:.+]] = dlcc.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[P:.+]] = dlcc.pad constant %[[X]], %[[ZERO]], low = [0, 0, 0, 0], high = [0, 0, 1, 1]
// CHECK: call @conv_padding_conv(%[[P]], %[[W]]) : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
// CHECK: call @conv_padding_conv_0(%[[X6]], %[[W]]) : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK: func.func private @conv_padding_conv(
// CHECK-SAME: input_shape = [1, 1, 6, 6], filter_shape = [1, 1, 3, 3], output_shape = [1, 1, 4, 4], strides = [1, 1], pads = [0, 0, 0, 0]
// CHECK-NEXT: dlcc.convolution {{.*}} pad_low = [0, 0], pad_high = [0, 0]
// CHECK: func.func private @conv_padding_conv_0(
// CHECK-SAME: input_shape = [1, 1, 6, 6], filter_shape = [1, 1, 3, 3], output_shape = [1, 1, 3, 3], strides = [2, 2], pads = [1, 1, 0, 0]
func.func @conv_padding(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>, %x6: tensor<1x1x6x6xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) {
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [1, 1],
      dilations = [1, 1], groups = 1 : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %1 = dlcc.convolution %x6, %w, strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0],
      dilations = [1, 1], groups = 1 : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0, %1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
}

// -----

// A grouped 1-d convolution; not library convolutions: f64 (oneDNN and the
// FMA cuDNN path are f32) and 4 spatial dims.
// CHECK-LABEL: func.func private @conv_kinds_conv(
// CHECK-SAME: input_shape = [1, 4, 7], filter_shape = [6, 2, 3], output_shape = [1, 6, 5], strides = [1], pads = [0, 0], dilations = [1], groups = 2
// CHECK-NOT: func.func private
func.func @conv_kinds(%x: tensor<1x4x7xf32>, %w: tensor<6x2x3xf32>, %a: tensor<1x1x5x5xf64>, %b: tensor<1x1x3x3xf64>, %c: tensor<1x1x3x3x3x3xf32>, %d: tensor<1x1x1x1x1x1xf32>) -> (tensor<1x6x5xf32>, tensor<1x1x3x3xf64>, tensor<1x1x3x3x3x3xf32>) {
  %0 = dlcc.convolution %x, %w, strides = [1], pad_low = [0], pad_high = [0],
      dilations = [1], groups = 2 : (tensor<1x4x7xf32>, tensor<6x2x3xf32>) -> tensor<1x6x5xf32>
  %1 = dlcc.convolution %a, %b, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 1 : (tensor<1x1x5x5xf64>, tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64>
  %2 = dlcc.convolution %c, %d, strides = [1, 1, 1, 1], pad_low = [0, 0, 0, 0], pad_high = [0, 0, 0, 0],
      dilations = [1, 1, 1, 1], groups = 1 : (tensor<1x1x3x3x3x3xf32>, tensor<1x1x1x1x1x1xf32>) -> tensor<1x1x3x3x3x3xf32>
  return %0, %1, %2 : tensor<1x6x5xf32>, tensor<1x1x3x3xf64>, tensor<1x1x3x3x3x3xf32>
}

// -----

// A convolution's data gradient (ConvTranspose): dy argument 0, w 1, dx 2,
// with the forward convolution's descriptor: x [1, 2, 6, 6] (dx), w
// [4, 1, 3, 3], y [1, 4, 3, 3] (dy), stride 2, pads 1 before and 0 after
// (cuDNN's symmetric 1 gives the same size).
// CHECK-LABEL: func.func @transposed(
// CHECK-NEXT: call @transposed_conv_backward_data(%arg0, %arg1) : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32>
// CHECK: func.func private @transposed_conv_backward_data(
// CHECK-SAME: #dlcc.conv_call<kind = backward_data, x = 2, w = 1, y = 0, input_shape = [1, 2, 6, 6], filter_shape = [4, 1, 3, 3], output_shape = [1, 4, 3, 3], strides = [2, 2], pads = [1, 1, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>
// CHECK-NEXT: dlcc.convolution_backward_data
// GENERATED-CONV-LABEL: func.func @transposed(
// GENERATED-CONV-NEXT: dlcc.convolution_backward_data
func.func @transposed(%dy: tensor<1x4x3x3xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0],
      dilations = [1, 1], groups = 2 : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// Padding 1 before and 0 after in a dimension where cuDNN's symmetric 1
// would give 4 outputs, not 3: the data gradient stays generated.
// CHECK-LABEL: func.func @transposed_asymmetric(
// CHECK-NEXT: dlcc.convolution_backward_data
// CHECK-NOT: dlcc.library_call
func.func @transposed_asymmetric(%dy: tensor<1x4x3x2xf32>, %w: tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x3x2xf32>, tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32>
  return %0 : tensor<1x4x7x6xf32>
}

// -----

// The filter gradient: x argument 0, dy 1, dw 2, with the forward
// convolution's descriptor x [2, 4, 5, 5], w [6, 2, 3, 3] (2 groups),
// y [2, 6, 2, 2] (stride 2, no padding). Padding 1 at both ends stays in
// the call; padding 0 before and 1 after (which symmetric padding cannot
// express) is an explicit pad.
// CHECK-LABEL: func.func @filter_gradient(
// CHECK-SAME: %[[X:.+]]: tensor<2x4x5x5xf32>, %[[DY:.+]]: tensor<2x6x2x2xf32>, %[[X1:.+]]: tensor<1x1x4x4xf32>, %[[DY1:.+]]: tensor<1x2x4x4xf32>, %[[DY2:.+]]: tensor<1x2x3x3xf32>)
// CHECK-NEXT: call @filter_gradient_conv_backward_filter(%[[X]], %[[DY]])
// CHECK-NEXT: call @filter_gradient_conv_backward_filter_0(%[[X1]], %[[DY1]])
// CHECK: %[[P:.+]] = dlcc.pad constant %[[X1]], %{{.+}}, low = [0, 0, 0, 0], high = [0, 0, 1, 1]
// CHECK-NEXT: call @filter_gradient_conv_backward_filter_1(%[[P]], %[[DY2]]) : (tensor<1x1x5x5xf32>, tensor<1x2x3x3xf32>) -> tensor<2x1x3x3xf32>
// CHECK: func.func private @filter_gradient_conv_backward_filter(
// CHECK-SAME: #dlcc.conv_call<kind = backward_filter, x = 0, w = 2, y = 1, input_shape = [2, 4, 5, 5], filter_shape = [6, 2, 3, 3], output_shape = [2, 6, 2, 2], strides = [2, 2], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>
// CHECK-NEXT: dlcc.convolution_backward_filter
// CHECK: func.func private @filter_gradient_conv_backward_filter_0(
// CHECK-SAME: input_shape = [1, 1, 4, 4], filter_shape = [2, 1, 3, 3], output_shape = [1, 2, 4, 4], strides = [1, 1], pads = [1, 1, 1, 1]
// CHECK: func.func private @filter_gradient_conv_backward_filter_1(
// CHECK-SAME: input_shape = [1, 1, 5, 5], filter_shape = [2, 1, 3, 3], output_shape = [1, 2, 3, 3], strides = [1, 1], pads = [0, 0, 0, 0]
func.func @filter_gradient(%x: tensor<2x4x5x5xf32>, %dy: tensor<2x6x2x2xf32>, %x1: tensor<1x1x4x4xf32>, %dy1: tensor<1x2x4x4xf32>, %dy2: tensor<1x2x3x3xf32>) -> (tensor<6x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2x1x3x3xf32>) {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 2 : (tensor<2x4x5x5xf32>, tensor<2x6x2x2xf32>) -> tensor<6x2x3x3xf32>
  %1 = dlcc.convolution_backward_filter %x1, %dy1, strides = [1, 1], pad_low = [1, 1], pad_high = [1, 1],
      dilations = [1, 1], groups = 1 : (tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<2x1x3x3xf32>
  %2 = dlcc.convolution_backward_filter %x1, %dy2, strides = [1, 1], pad_low = [0, 0], pad_high = [1, 1],
      dilations = [1, 1], groups = 1 : (tensor<1x1x4x4xf32>, tensor<1x2x3x3xf32>) -> tensor<2x1x3x3xf32>
  return %0, %1, %2 : tensor<6x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2x1x3x3xf32>
}
