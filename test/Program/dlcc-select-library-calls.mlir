// RUN: dlcc-opt %s --dlcc-select-library-calls --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-select-library-calls=generated-gemm=1 --split-input-file | FileCheck %s --check-prefix=GENERATED
// RUN: dlcc-opt %s --dlcc-select-library-calls=generated-conv=1 --split-input-file | FileCheck %s --check-prefix=GENERATED-CONV

// dlcc-select-library-calls: a kernel that is exactly C = A * B (zero-filled
// output, f32) gets the row-major GEMM descriptor of its library call.
// Leading dimensions are the stored rows' lengths, strides are in elements.

// A [8, 32] times B^T (B stored [16, 32], as torch's Linear weight):
// m = 8, n = 16, k = 32, lda = k = 32, ldb = k = 32 (B is trans_b), ldc = n.
// CHECK-LABEL: func.func private @linear
// CHECK-SAME: dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 8, n = 16, k = 32, batch = 1, trans_a = false, trans_b = true, lda = 32, ldb = 32, ldc = 16, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>
// GENERATED-LABEL: func.func private @linear
// GENERATED-NOT: dlcc.library_call
func.func private @linear(%a: tensor<8x32xf32>, %b: tensor<16x32xf32>) -> tensor<8x16xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
                       affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x32xf32>, tensor<16x32xf32>) outs(%f : tensor<8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// A named linalg.matmul; A [4, 6] x B [6, 5].
// CHECK-LABEL: func.func private @named
// CHECK-SAME: #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 4, n = 5, k = 6, batch = 1, trans_a = false, trans_b = false, lda = 6, ldb = 5, ldc = 5
func.func private @named(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) -> tensor<4x5xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
  %r = linalg.matmul ins(%a, %b : tensor<4x6xf32>, tensor<6x5xf32>) outs(%f : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %r : tensor<4x5xf32>
}

// -----

// Attention scores: [2, 2, 8, 16] x [2, 2, 16, 8] with both batch dims on
// both operands: batch = 4, strides m*k = 128, k*n = 128, m*n = 64.
// CHECK-LABEL: func.func private @batched
// CHECK-SAME: batch = 4,
// CHECK-SAME: trans_a = false, trans_b = false, lda = 16, ldb = 8, ldc = 8, stride_a = 128, stride_b = 128, stride_c = 64,
func.func private @batched(%a: tensor<2x2x8x16xf32>, %b: tensor<2x2x16x8xf32>) -> tensor<2x2x8x8xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2x8x8xf32>) -> tensor<2x2x8x8xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>,
                       affine_map<(b, h, m, n, k) -> (b, h, k, n)>,
                       affine_map<(b, h, m, n, k) -> (b, h, m, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x2x8x16xf32>, tensor<2x2x16x8xf32>) outs(%f : tensor<2x2x8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x2x8x8xf32>
  return %r : tensor<2x2x8x8xf32>
}

// -----

// A [2, 8, 32] x W [32, 64]: the batch only A has folds into m = 16 (one
// GEMM), batch = 1.
// CHECK-LABEL: func.func private @folded
// CHECK-SAME: m = 16, n = 64, k = 32, batch = 1,
func.func private @folded(%a: tensor<2x8x32xf32>, %w: tensor<32x64xf32>) -> tensor<2x8x64xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>,
                       affine_map<(b, m, n, k) -> (b, m, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<2x8x32xf32>, tensor<32x64xf32>) outs(%f : tensor<2x8x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x8x64xf32>
  return %r : tensor<2x8x64xf32>
}

// -----

// Not GEMMs: f64 (oneDNN has no f64 GEMM), and an output that starts from
// a bias instead of zero.
// CHECK-LABEL: func.func private @f64
// CHECK-NOT: dlcc.library_call
// CHECK-LABEL: func.func private @accumulate
// CHECK-NOT: dlcc.library_call
func.func private @f64(%a: tensor<4x6xf64>, %b: tensor<6x5xf64>) -> tensor<4x5xf64>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x5xf64>
  %f = linalg.fill ins(%zero : f64) outs(%e : tensor<4x5xf64>) -> tensor<4x5xf64>
  %r = linalg.matmul ins(%a, %b : tensor<4x6xf64>, tensor<6x5xf64>) outs(%f : tensor<4x5xf64>) -> tensor<4x5xf64>
  return %r : tensor<4x5xf64>
}
func.func private @accumulate(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>, %c: tensor<4x5xf32>) -> tensor<4x5xf32>
    attributes {dlcc.kernel} {
  %r = linalg.matmul ins(%a, %b : tensor<4x6xf32>, tensor<6x5xf32>) outs(%c : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %r : tensor<4x5xf32>
}

// -----

// A 2-d convolution of two kernel arguments into a zero fill gets the
// conv_forward descriptor (pads zero: padding is a kernel of its own).
// CHECK-LABEL: func.func private @conv
// CHECK-SAME: dlcc.library_call = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [2, 3, 9, 9], filter_shape = [8, 3, 3, 3], output_shape = [2, 8, 3, 7], strides = [2, 1], pads = [0, 0, 0, 0], dilations = [2, 1], groups = 1, element_type = f32>
// generated-gemm leaves convolutions library calls, generated-conv GEMMs.
// GENERATED-LABEL: func.func private @conv
// GENERATED-SAME: #dlcc.conv_call<kind = forward
// GENERATED-CONV-LABEL: func.func private @linear
// GENERATED-CONV-SAME: #dlcc.gemm_call
// GENERATED-CONV-LABEL: func.func private @conv
// GENERATED-CONV-NOT: dlcc.library_call
func.func private @conv(%x: tensor<2x3x9x9xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<2x8x3x7xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x3x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x3x7xf32>) -> tensor<2x8x3x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
      ins(%x, %w : tensor<2x3x9x9xf32>, tensor<8x3x3x3xf32>) outs(%f : tensor<2x8x3x7xf32>) -> tensor<2x8x3x7xf32>
  return %r : tensor<2x8x3x7xf32>
}

// -----

// Not library convolutions: f64 (oneDNN and the FMA cuDNN path are f32), and
// a convolution that accumulates into a bias.
// CHECK-LABEL: func.func private @conv_f64
// CHECK-NOT: dlcc.library_call
// CHECK-LABEL: func.func private @conv_accumulate
// CHECK-NOT: dlcc.library_call
func.func private @conv_f64(%x: tensor<1x1x5x5xf64>, %w: tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<1x1x3x3xf64>
  %f = linalg.fill ins(%zero : f64) outs(%e : tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x5x5xf64>, tensor<1x1x3x3xf64>) outs(%f : tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64>
  return %r : tensor<1x1x3x3xf64>
}
func.func private @conv_accumulate(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
    attributes {dlcc.kernel} {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) outs(%b : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %r : tensor<1x1x3x3xf32>
}

// -----

// A kernel that only zero-pads the convolution's input (the same amount at
// both ends of each spatial dim) folds into the call: the entry point calls
// a clone of the convolution kernel with the unpadded input, whose body pads
// first and whose descriptor has the pads; the pad kernel goes.
// CHECK-LABEL: func.func @fold_padding
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x5x5xf32>, %[[W:.+]]: tensor<4x2x3x3xf32>)
// CHECK-NEXT: %[[Y:.+]] = call @fold_padding_conv_padded(%[[X]], %[[W]])
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: func.func private @fold_padding_pad
// CHECK-NOT: func.func private @fold_padding_conv(
// CHECK-LABEL: func.func private @fold_padding_conv_padded
// CHECK-SAME: (%[[A:.+]]: tensor<1x2x5x5xf32>, %{{.+}}: tensor<4x2x3x3xf32>)
// CHECK-SAME: input_shape = [1, 2, 5, 5]
// CHECK-SAME: pads = [1, 2, 1, 2]
// CHECK: tensor.pad %[[A]] low[0, 0, 1, 2] high[0, 0, 1, 2]
// CHECK: linalg.conv_2d_nchw_fchw
func.func @fold_padding(%x: tensor<1x2x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x5x7xf32> {
  %p = call @fold_padding_pad(%x) : (tensor<1x2x5x5xf32>) -> tensor<1x2x7x9xf32>
  %y = call @fold_padding_conv(%p, %w) : (tensor<1x2x7x9xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x7xf32>
  return %y : tensor<1x4x5x7xf32>
}
func.func private @fold_padding_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x7x9xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 2] high[0, 0, 1, 2] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x9xf32>
  return %p : tensor<1x2x7x9xf32>
}
func.func private @fold_padding_conv(%x: tensor<1x2x7x9xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x5x7xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x5x7xf32>) -> tensor<1x4x5x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x7x9xf32>, tensor<4x2x3x3xf32>) outs(%f : tensor<1x4x5x7xf32>) -> tensor<1x4x5x7xf32>
  return %r : tensor<1x4x5x7xf32>
}

// -----

// Padding that differs between the ends of a dim where padding both ends
// by the begin amount (cuDNN's way) gives another output size stays a kernel
// of its own; the call keeps zero pads.
// CHECK-LABEL: func.func @keep_asymmetric_padding
// CHECK: call @keep_asymmetric_padding_pad
// CHECK: call @keep_asymmetric_padding_conv(
// CHECK-LABEL: func.func private @keep_asymmetric_padding_conv
// CHECK-SAME: pads = [0, 0, 0, 0]
func.func @keep_asymmetric_padding(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x3xf32> {
  %p = call @keep_asymmetric_padding_pad(%x) : (tensor<1x1x5x5xf32>) -> tensor<1x1x6x5xf32>
  %y = call @keep_asymmetric_padding_conv(%p, %w) : (tensor<1x1x6x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x3xf32>
  return %y : tensor<1x1x4x3xf32>
}
func.func private @keep_asymmetric_padding_pad(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x6x5xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x5x5xf32> to tensor<1x1x6x5xf32>
  return %p : tensor<1x1x6x5xf32>
}
func.func private @keep_asymmetric_padding_conv(%x: tensor<1x1x6x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x3xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x4x3xf32>) -> tensor<1x1x4x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x6x5xf32>, tensor<1x1x3x3xf32>) outs(%f : tensor<1x1x4x3xf32>) -> tensor<1x1x4x3xf32>
  return %r : tensor<1x1x4x3xf32>
}

// -----

// A convolution on grouped views (DlccToLinalg's form for groups > 1 and for
// 1-d and 3-d): x [N, G, C/G, H, W], w [G, O/G, C/G, KH, KW], y [N, G, O/G,
// E, F]; the call sees the same bytes as dense NCHW with groups = G. Here a
// depthwise convolution (4 groups of one channel), stride 2 and dilation 3
// along W.
// CHECK-LABEL: func.func private @grouped
// CHECK-SAME: dlcc.library_call = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [2, 4, 6, 12], filter_shape = [8, 1, 3, 3], output_shape = [2, 8, 4, 3], strides = [1, 2], pads = [0, 0, 0, 0], dilations = [1, 3], groups = 4, element_type = f32>
func.func private @grouped(%x: tensor<2x4x1x6x12xf32>, %w: tensor<4x2x1x3x3xf32>) -> tensor<2x4x2x4x3xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x2x4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x2x4x3xf32>) -> tensor<2x4x2x4x3xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(n, g, o, e, f, c, kh, kw) -> (n, g, c, e + kh, f * 2 + kw * 3)>,
                       affine_map<(n, g, o, e, f, c, kh, kw) -> (g, o, c, kh, kw)>,
                       affine_map<(n, g, o, e, f, c, kh, kw) -> (n, g, o, e, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel",
                        "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x4x1x6x12xf32>, tensor<4x2x1x3x3xf32>) outs(%f : tensor<2x4x2x4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x4x2x4x3xf32>
  return %r : tensor<2x4x2x4x3xf32>
}

// -----

// Padding that differs between the ends of a dim folds where padding both
// ends by the begin amount gives the same output size (here the stride never
// reaches the second padded row or column at the end); the descriptor keeps
// the true pads.
// CHECK-LABEL: func.func @fold_unreached_end_padding
// CHECK-NEXT: call @fold_unreached_end_padding_conv_padded(
// CHECK-LABEL: func.func private @fold_unreached_end_padding_conv_padded
// CHECK-SAME: pads = [1, 1, 2, 2]
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
func.func @fold_unreached_end_padding(%x: tensor<1x1x7x7xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32> {
  %p = call @fold_unreached_end_padding_pad(%x) : (tensor<1x1x7x7xf32>) -> tensor<1x1x10x10xf32>
  %y = call @fold_unreached_end_padding_conv(%p, %w) : (tensor<1x1x10x10xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
func.func private @fold_unreached_end_padding_pad(%x: tensor<1x1x7x7xf32>) -> tensor<1x1x10x10xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 2, 2] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x7x7xf32> to tensor<1x1x10x10xf32>
  return %p : tensor<1x1x10x10xf32>
}
func.func private @fold_unreached_end_padding_conv(%x: tensor<1x1x10x10xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x10x10xf32>, tensor<1x1x3x3xf32>) outs(%f : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %r : tensor<1x1x4x4xf32>
}

// -----

// A grouped convolution reads the padded tensor through its grouped view;
// the padding folds all the same: the call takes the grouped view of the
// unpadded tensor, the clone pads that view (spatial dims only).
// CHECK-LABEL: func.func @fold_grouped_padding
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x5x5xf32>, %[[W:.+]]: tensor<4x1x1x3x3xf32>)
// CHECK-NEXT: %[[V:.+]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 4, 1, 5, 5]
// CHECK-NEXT: %[[Y:.+]] = call @fold_grouped_padding_conv_padded(%[[V]], %[[W]])
// CHECK-NOT: func.func private @fold_grouped_padding_pad
// CHECK-LABEL: func.func private @fold_grouped_padding_conv_padded
// CHECK-SAME: (%[[A:.+]]: tensor<1x4x1x5x5xf32>
// CHECK-SAME: input_shape = [1, 4, 5, 5]
// CHECK-SAME: pads = [1, 1, 1, 1], dilations = [1, 1], groups = 4,
// CHECK: tensor.pad %[[A]] low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1]
func.func @fold_grouped_padding(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x1x3x3xf32>) -> tensor<1x4x5x5xf32> {
  %p = call @fold_grouped_padding_pad(%x) : (tensor<1x4x5x5xf32>) -> tensor<1x4x7x7xf32>
  %v = tensor.expand_shape %p [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 7, 7] : tensor<1x4x7x7xf32> into tensor<1x4x1x7x7xf32>
  %y = call @fold_grouped_padding_conv(%v, %w) : (tensor<1x4x1x7x7xf32>, tensor<4x1x1x3x3xf32>) -> tensor<1x4x1x5x5xf32>
  %c = tensor.collapse_shape %y [[0], [1, 2], [3], [4]] : tensor<1x4x1x5x5xf32> into tensor<1x4x5x5xf32>
  return %c : tensor<1x4x5x5xf32>
}
func.func private @fold_grouped_padding_pad(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x7x7xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x5x5xf32> to tensor<1x4x7x7xf32>
  return %p : tensor<1x4x7x7xf32>
}
func.func private @fold_grouped_padding_conv(%x: tensor<1x4x1x7x7xf32>, %w: tensor<4x1x1x3x3xf32>) -> tensor<1x4x1x5x5xf32>
    attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x1x5x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x1x5x5xf32>) -> tensor<1x4x1x5x5xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(n, g, o, e, f, c, kh, kw) -> (n, g, c, e + kh, f + kw)>,
                       affine_map<(n, g, o, e, f, c, kh, kw) -> (g, o, c, kh, kw)>,
                       affine_map<(n, g, o, e, f, c, kh, kw) -> (n, g, o, e, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel",
                        "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x4x1x7x7xf32>, tensor<4x1x1x3x3xf32>) outs(%f : tensor<1x4x1x5x5xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x1x5x5xf32>
  return %r : tensor<1x4x1x5x5xf32>
}
