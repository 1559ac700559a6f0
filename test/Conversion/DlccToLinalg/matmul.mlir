// RUN: dlcc-opt %s --dlcc-convert-to-linalg --split-input-file | FileCheck %s

// dlcc.matmul and the convolutions. Contractions accumulate into a
// zero-filled init; named linalg ops are used where they fit exactly.

// CHECK-LABEL: func.func @matmul_2d_named
// CHECK-SAME: (%[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3x5xf32>)
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[I]] : tensor<3x5xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d_named(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = dlcc.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batched_named
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xbf16>, %[[B:.+]]: tensor<2x4x5xbf16>)
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : bf16) outs(%{{.+}} : tensor<2x3x5xbf16>)
// CHECK: %[[R:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[I]] : tensor<2x3x5xbf16>)
// CHECK: return %[[R]]
func.func @matmul_batched_named(%a: tensor<2x3x4xbf16>, %b: tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16> {
  %0 = dlcc.matmul %a, %b : (tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16>
  return %0 : tensor<2x3x5xbf16>
}

// -----

// A shared 2-D rhs is read without the batch loops; transpose_rhs swaps its
// map to (n, k).
// CHECK-DAG: #[[$LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_shared_rhs_transposed
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xf32>, %[[B:.+]]: tensor<5x4xf32>)
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x3x5xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x3x4xf32>, tensor<5x4xf32>) outs(%[[I]] : tensor<2x3x5xf32>)
// CHECK: ^bb0(%[[L:.+]]: f32, %[[RR:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[P:.+]] = arith.mulf %[[L]], %[[RR]] : f32
// CHECK: %[[S:.+]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @matmul_shared_rhs_transposed(%a: tensor<2x3x4xf32>, %b: tensor<5x4xf32>) -> tensor<2x3x5xf32> {
  %0 = dlcc.matmul %a, %b transpose_rhs : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Two batch dimensions, transpose_lhs: lhs is read at (b0, b1, k, m).
// CHECK-DAG: #[[$LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2)>
// CHECK-DAG: #[[$RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_transpose_lhs_4d
// CHECK: arith.constant 0.000000e+00 : f16
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_transpose_lhs_4d(%a: tensor<2x6x4x3xf16>, %b: tensor<2x6x4x5xf16>) -> tensor<2x6x3x5xf16> {
  %0 = dlcc.matmul %a, %b transpose_lhs : (tensor<2x6x4x3xf16>, tensor<2x6x4x5xf16>) -> tensor<2x6x3x5xf16>
  return %0 : tensor<2x6x3x5xf16>
}

// -----

// groups = 1 in 2-D: zero padding, then the named convolution with the
// strides and dilations.
// CHECK-LABEL: func.func @conv2d_named
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x6x7xf32>, %[[W:.+]]: tensor<3x2x3x2xf32>)
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK: tensor.yield %[[Z]] : f32
// CHECK: } : tensor<1x2x6x7xf32> to tensor<1x2x9x8xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x3x4x6xf32>)
// CHECK: %[[R:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
// CHECK-SAME: ins(%[[P]], %[[W]] : tensor<1x2x9x8xf32>, tensor<3x2x3x2xf32>) outs(%[[I]] : tensor<1x3x4x6xf32>)
// CHECK: return %[[R]]
func.func @conv2d_named(%x: tensor<1x2x6x7xf32>, %w: tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32> {
  %0 = dlcc.convolution %x, %w, strides = [2, 1], pad_low = [1, 0], pad_high = [2, 1],
      dilations = [1, 2], groups = 1 : (tensor<1x2x6x7xf32>, tensor<3x2x3x2xf32>) -> tensor<1x3x4x6xf32>
  return %0 : tensor<1x3x4x6xf32>
}

// -----

// Without padding there is no tensor.pad.
// CHECK-LABEL: func.func @conv2d_unpadded_named
// CHECK-SAME: (%[[X:.+]]: tensor<8x3x32x32xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>)
// CHECK-NOT: tensor.pad
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] :
func.func @conv2d_unpadded_named(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<8x16x30x30xf32> {
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 1 : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x30x30xf32>
  return %0 : tensor<8x16x30x30xf32>
}

// -----

// Groups: [N, G, C/G, D...] input and [G, O/G, C/G, K...] filter views; loops
// [N, G, O/G, E0, E1, C/G, K0, K1]; the input is read at e*stride + k*dil.
// CHECK-DAG: #[[$X:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6 * 2, d4 * 2 + d7)>
// CHECK-DAG: #[[$W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[$Y:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x5x5xf32>, %[[W:.+]]: tensor<6x2x2x3xf32>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 0, 1]
// CHECK: %[[XG:.+]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 2, 6, 6] : tensor<2x4x6x6xf32> into tensor<2x2x2x6x6xf32>
// CHECK: %[[WG:.+]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 2, 3] : tensor<6x2x2x3xf32> into tensor<2x3x2x2x3xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x2x3x2x2xf32>)
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XG]], %[[WG]] : {{.*}}) outs(%[[I]] : tensor<2x2x3x2x2xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x3x2x2xf32> into tensor<2x6x2x2xf32>
// CHECK: return %[[R]]
func.func @conv2d_grouped(%x: tensor<2x4x5x5xf32>, %w: tensor<6x2x2x3xf32>) -> tensor<2x6x2x2xf32> {
  %0 = dlcc.convolution %x, %w, strides = [2, 2], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [2, 1], groups = 2 : (tensor<2x4x5x5xf32>, tensor<6x2x2x3xf32>) -> tensor<2x6x2x2xf32>
  return %0 : tensor<2x6x2x2xf32>
}

// -----

// 1-D (and any rank but 2-D groups = 1) uses the generic with G = 1.
// CHECK-DAG: #[[$X:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5)>
// CHECK-LABEL: func.func @conv1d
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2], [3]] output_shape [2, 1, 3, 8]
// CHECK: linalg.generic {indexing_maps = [#[[$X]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2], [3]] : tensor<2x1x4x6xf32> into tensor<2x4x6xf32>
func.func @conv1d(%x: tensor<2x3x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<2x4x6xf32> {
  %0 = dlcc.convolution %x, %w, strides = [1], pad_low = [0], pad_high = [0],
      dilations = [1], groups = 1 : (tensor<2x3x8xf32>, tensor<4x3x3xf32>) -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}

// -----

// Filter gradient: loops [G, O/G, C/G, K0, K1, N, E0, E1] correlating the
// padded input with grad_output; the result collapses [G, O/G] to O.
// CHECK-DAG: #[[$X:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d2, d6 * 2 + d3, d7 * 3 + d4 * 2)>
// CHECK-DAG: #[[$DY:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d1, d6, d7)>
// CHECK-DAG: #[[$DW:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_backward_filter
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x7x6xf32>, %[[DY:.+]]: tensor<1x4x3x2xf32>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 0, 1]
// CHECK: %[[XG:.+]] = tensor.expand_shape %[[P]] {{.*}} into tensor<1x2x2x8x7xf32>
// CHECK: %[[DYG:.+]] = tensor.expand_shape %[[DY]] {{.*}} into tensor<1x2x2x3x2xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x2x2x3x2xf32>)
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[$X]], #[[$DY]], #[[$DW]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XG]], %[[DYG]] : {{.*}}) outs(%[[I]] :
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[\[}}0, 1], [2], [3], [4]] : tensor<2x2x2x3x2xf32> into tensor<4x2x3x2xf32>
// CHECK: return %[[R]]
func.func @conv_backward_filter(%x: tensor<1x4x7x6xf32>, %dy: tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32> {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x7x6xf32>, tensor<1x4x3x2xf32>) -> tensor<4x2x3x2xf32>
  return %0 : tensor<4x2x3x2xf32>
}

// -----

// Data gradient as a transposed convolution: dy is spread with the strides
// over zeros at offset (K-1)*dil - pad_low (1 and 2), over D + (K-1)*dil
// positions (7 + 2 = 9, 6 + 2 = 8), by one generic that reads dy at
// (l - offset) / stride where that divides and lands inside (clamped to 0
// elsewhere), then correlated with the spatially flipped filter,
// (K-1)*dil - k*dil, summing over O/G.
// CHECK-DAG: #[[$T:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 + 2, d4 - d7 * 2 + 2)>
// CHECK-DAG: #[[$W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-DAG: #[[$DX:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_backward_data
// CHECK-SAME: (%[[DY:.+]]: tensor<1x4x3x2xf32>, %[[W:.+]]: tensor<4x2x3x2xf32>)
// CHECK: %[[DYG:.+]] = tensor.expand_shape %[[DY]] {{.*}} into tensor<1x2x2x3x2xf32>
// CHECK: %[[TE:.+]] = tensor.empty() : tensor<1x2x2x9x8xf32>
// CHECK: %[[T:.+]] = linalg.generic {{.*}} outs(%[[TE]] : tensor<1x2x2x9x8xf32>)
// CHECK: %[[L3:.+]] = linalg.index 3 : index
// CHECK-NEXT: %[[C1:.+]] = arith.constant 1 : index
// CHECK-NEXT: %[[J3:.+]] = arith.subi %[[L3]], %[[C1]] : index
// CHECK-NEXT: %[[C2:.+]] = arith.constant 2 : index
// CHECK-NEXT: %[[Q3:.+]] = arith.divsi %[[J3]], %[[C2]] : index
// CHECK: arith.remsi %[[J3]]
// CHECK: %[[L4:.+]] = linalg.index 4 : index
// CHECK-NEXT: %[[C2B:.+]] = arith.constant 2 : index
// CHECK-NEXT: %[[J4:.+]] = arith.subi %[[L4]], %[[C2B]] : index
// CHECK-NEXT: %[[C3:.+]] = arith.constant 3 : index
// CHECK-NEXT: %[[Q4:.+]] = arith.divsi %[[J4]], %[[C3]] : index
// CHECK: %[[I3:.+]] = arith.select %[[VALID:.+]], %[[Q3]], %{{.+}} : index
// CHECK-NEXT: %[[I4:.+]] = arith.select %[[VALID]], %[[Q4]], %{{.+}} : index
// CHECK-NEXT: %[[V:.+]] = tensor.extract %[[DYG]][%{{.+}}, %{{.+}}, %{{.+}}, %[[I3]], %[[I4]]]
// CHECK: %[[TV:.+]] = arith.select %[[VALID]], %[[V]], %{{.+}} : f32
// CHECK-NEXT: linalg.yield %[[TV]]
// CHECK: %[[WG:.+]] = tensor.expand_shape %[[W]] {{.*}} into tensor<2x2x2x3x2xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x2x7x6xf32>)
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[$T]], #[[$W]], #[[$DX]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[T]], %[[WG]] : {{.*}}) outs(%[[I]] :
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x2x7x6xf32> into tensor<1x4x7x6xf32>
// CHECK: return %[[R]]
func.func @conv_backward_data(%dy: tensor<1x4x3x2xf32>, %w: tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x3x2xf32>, tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32>
  return %0 : tensor<1x4x7x6xf32>
}

// -----

// Padding wider than the kernel: offset (K-1)*dil - pad_low = -1, so dy[0]
// and dy[3] land outside the 5 positions and are never read.
// CHECK-LABEL: func.func @conv_backward_data_wide_pad
// CHECK: %[[DYG:.+]] = tensor.expand_shape
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x1x2x5xf32>)
// CHECK: %[[L:.+]] = linalg.index 3 : index
// CHECK-NEXT: %[[OFF:.+]] = arith.constant -1 : index
// CHECK-NEXT: arith.subi %[[L]], %[[OFF]] : index
// CHECK: tensor.extract %[[DYG]]
func.func @conv_backward_data_wide_pad(%dy: tensor<1x2x4xf32>, %w: tensor<2x2x1xf32>) -> tensor<1x2x5xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2], pad_low = [1], pad_high = [2],
      dilations = [1], groups = 1 : (tensor<1x2x4xf32>, tensor<2x2x1xf32>) -> tensor<1x2x5xf32>
  return %0 : tensor<1x2x5xf32>
}

// -----

// No grad_output element reaches the input: the gradient is zero.
// CHECK-LABEL: func.func @conv_backward_data_unreachable
// CHECK: %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x1xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[Z]]
func.func @conv_backward_data_unreachable(%dy: tensor<1x1x1xf32>, %w: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [3], pad_low = [1], pad_high = [1],
      dilations = [1], groups = 1 : (tensor<1x1x1xf32>, tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}
