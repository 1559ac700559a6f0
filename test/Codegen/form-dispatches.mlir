// RUN: dlcc-opt %s --dlcc-form-dispatches --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-form-dispatches="max-cloned-splat-elements=2" --split-input-file | FileCheck %s --check-prefix=LIMIT

// dlcc-form-dispatches: every kernel root of a public function is outlined
// into `@<entry>_kernel_<N>` and called. Expected attribute values:
//   dlcc.kernel_flops = iteration space x arith/math ops in the payload
//   dlcc.kernel_bytes = bytes of all tensor arguments and results

// An elementwise chain fused into one generic is one kernel; its init
// tensor.empty is recreated inside.
// flops = 4*8 iterations x 3 ops (addf, mulf, exp) = 96
// bytes = (2 args + 1 result) x 32 f32 x 4 B = 384
// CHECK-LABEL: func.func @fused_elementwise_chain
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>, %[[Y:.+]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[R:.+]] = call @fused_elementwise_chain_kernel_0(%[[X]], %[[Y]]) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func private @fused_elementwise_chain_kernel_0
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 384 : i64, dlcc.kernel_flops = 96 : i64}
// CHECK-NEXT: %[[E:.+]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NEXT: %[[G:.+]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<4x8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK: math.exp
// CHECK: return %[[G]] : tensor<4x8xf32>
func.func @fused_elementwise_chain(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.mulf %s, %a : f32
    %x2 = math.exp %m : f32
    linalg.yield %x2 : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// The fill that only initialises the matmul's output joins its kernel, with
// its scalar constant; nothing is left in the entry point but the call.
// flops = 2 x 4*16*8 multiply-adds = 1024
// bytes = (4*8 + 8*16 + 4*16) f32 x 4 B = 896
// CHECK-LABEL: func.func @matmul_with_fill
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[R:.+]] = call @matmul_with_fill_kernel_0(%[[A]], %[[B]])
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func private @matmul_with_fill_kernel_0
// CHECK-SAME: (%[[KA:.+]]: tensor<4x8xf32>, %[[KB:.+]]: tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 896 : i64, dlcc.kernel_flops = 1024 : i64}
// CHECK-NEXT: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[E:.+]] = tensor.empty() : tensor<4x16xf32>
// CHECK-NEXT: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x16xf32>)
// CHECK-NEXT: %[[M:.+]] = linalg.matmul ins(%[[KA]], %[[KB]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[F]] : tensor<4x16xf32>)
// CHECK-NEXT: return %[[M]]
func.func @matmul_with_fill(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Two kernels in program order; the collapse between them stays in the entry
// point as a view of the first kernel's result.
// flops = 24 x 1 op each; bytes = (24 + 24) f32 x 4 B = 192 each
// CHECK-LABEL: func.func @reshape_between_kernels
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[N:.+]] = call @reshape_between_kernels_kernel_0(%[[X]]) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[C:.+]] = tensor.collapse_shape %[[N]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK-NEXT: %[[T:.+]] = call @reshape_between_kernels_kernel_1(%[[C]]) : (tensor<6x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: return %[[T]]
// CHECK-LABEL: func.func private @reshape_between_kernels_kernel_0
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 192 : i64, dlcc.kernel_flops = 24 : i64}
// CHECK: arith.negf
// CHECK-LABEL: func.func private @reshape_between_kernels_kernel_1
// CHECK-SAME: (%{{.+}}: tensor<6x4xf32>) -> tensor<6x4xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 192 : i64, dlcc.kernel_flops = 24 : i64}
// CHECK-NOT: tensor.collapse_shape
// CHECK: math.tanh
func.func @reshape_between_kernels(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %e = tensor.empty() : tensor<2x3x4xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<2x3x4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.negf %a : f32
    linalg.yield %v : f32
  } -> tensor<2x3x4xf32>
  %c = tensor.collapse_shape %n [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %e2 = tensor.empty() : tensor<6x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%c : tensor<6x4xf32>) outs(%e2 : tensor<6x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// -----

// A small splat constant is cloned into the kernel; a dense constant stays in
// the entry point and is passed as an argument. With
// max-cloned-splat-elements=2 the 4-element splat is an argument too.
// flops = 4 x 2 ops = 8; bytes = (2 args + 1 result) x 4 f32 x 4 B = 48
// (with the limit: 3 args, 64)
// CHECK-LABEL: func.func @splat_and_dense_constants
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT: dense<1.000000e+00>
// CHECK: %[[W:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: %[[R:.+]] = call @splat_and_dense_constants_kernel_0(%[[X]], %[[W]]) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func private @splat_and_dense_constants_kernel_0
// CHECK-SAME: (%[[KX:.+]]: tensor<4xf32>, %[[KW:.+]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 48 : i64, dlcc.kernel_flops = 8 : i64}
// CHECK-NEXT: %[[ONE:.+]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[E:.+]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[KX]], %[[ONE]], %[[KW]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)

// LIMIT-LABEL: func.func @splat_and_dense_constants
// LIMIT-SAME: (%[[X:.+]]: tensor<4xf32>)
// LIMIT-DAG: %[[ONE:.+]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// LIMIT-DAG: %[[W:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// LIMIT: call @splat_and_dense_constants_kernel_0(%[[X]], %[[ONE]], %[[W]])
// LIMIT-LABEL: func.func private @splat_and_dense_constants_kernel_0
// LIMIT-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 64 : i64, dlcc.kernel_flops = 8 : i64}
// LIMIT-NOT: arith.constant
// LIMIT: return
func.func @splat_and_dense_constants(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %w = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %one, %w : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.mulf %s, %c : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A multi-result generic is one kernel with one result per generic result.
// flops = 8 x 2 ops (addf, mulf) = 16; bytes = (2 args + 2 results) x 32 B = 128
// CHECK-LABEL: func.func @multiple_results
// CHECK-SAME: (%[[X:.+]]: tensor<8xf32>, %[[Y:.+]]: tensor<8xf32>)
// CHECK-NEXT: %[[R:.+]]:2 = call @multiple_results_kernel_0(%[[X]], %[[Y]]) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
// CHECK-LABEL: func.func private @multiple_results_kernel_0
// CHECK-SAME: -> (tensor<8xf32>, tensor<8xf32>)
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 128 : i64, dlcc.kernel_flops = 16 : i64}
// CHECK: %[[G:.+]]:2 = linalg.generic
// CHECK: return %[[G]]#0, %[[G]]#1 : tensor<8xf32>, tensor<8xf32>
func.func @multiple_results(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e0 = tensor.empty() : tensor<8xf32>
  %e1 = tensor.empty() : tensor<8xf32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %y : tensor<8xf32>, tensor<8xf32>) outs(%e0, %e1 : tensor<8xf32>, tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o0: f32, %o1: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.mulf %a, %b : f32
    linalg.yield %s, %m : f32, f32
  } -> (tensor<8xf32>, tensor<8xf32>)
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// The reduction's init fill joins it. A fill that is read as an input and
// returned does not only initialise an output: it is a kernel of its own.
// reduce: flops = 4*8 x 1 (maximumf) = 32, bytes = (32 + 4) x 4 B = 144
// fill: flops 0, bytes 16; subf: flops 4, bytes 48
// CHECK-LABEL: func.func @reduce_with_fill_and_shared_fill
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[M:.+]] = call @reduce_with_fill_and_shared_fill_kernel_0(%[[X]]) : (tensor<4x8xf32>) -> tensor<4xf32>
// CHECK-NEXT: %[[G:.+]] = call @reduce_with_fill_and_shared_fill_kernel_1() : () -> tensor<4xf32>
// CHECK-NEXT: %[[S:.+]] = call @reduce_with_fill_and_shared_fill_kernel_2(%[[M]], %[[G]])
// CHECK-NEXT: return %[[S]], %[[G]]
// CHECK-LABEL: func.func private @reduce_with_fill_and_shared_fill_kernel_0
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 144 : i64, dlcc.kernel_flops = 32 : i64}
// CHECK: %[[F:.+]] = linalg.fill
// CHECK-NEXT: linalg.reduce ins(%{{.+}} : tensor<4x8xf32>) outs(%[[F]] : tensor<4xf32>)
// CHECK-LABEL: func.func private @reduce_with_fill_and_shared_fill_kernel_1
// CHECK-SAME: () -> tensor<4xf32>
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 16 : i64, dlcc.kernel_flops = 0 : i64}
// CHECK: %[[F2:.+]] = linalg.fill
// CHECK-NEXT: return %[[F2]]
// CHECK-LABEL: func.func private @reduce_with_fill_and_shared_fill_kernel_2
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 48 : i64, dlcc.kernel_flops = 4 : i64}
func.func @reduce_with_fill_and_shared_fill(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%f : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %v = arith.maximumf %in, %acc : f32
      linalg.yield %v : f32
    }
  %e2 = tensor.empty() : tensor<4xf32>
  %g = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %e3 = tensor.empty() : tensor<4xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%m, %g : tensor<4xf32>, tensor<4xf32>) outs(%e3 : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.subf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  return %s, %g : tensor<4xf32>, tensor<4xf32>
}

// -----

// tensor.pad and tensor.concat are kernels (data movement, 0 flops). The
// scalar padding value is read inside the kernel: its tensor.extract moves in
// and the 0-d tensor becomes the argument.
// pad: bytes = (6 + 1 + 10) x 4 B = 68; concat: bytes = (10 + 20) x 4 B = 120
// CHECK-LABEL: func.func @pad_and_concat
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[V:.+]]: tensor<f32>)
// CHECK-NEXT: %[[P:.+]] = call @pad_and_concat_kernel_0(%[[X]], %[[V]]) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x5xf32>
// CHECK-NEXT: %[[C:.+]] = call @pad_and_concat_kernel_1(%[[P]]) : (tensor<2x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: return %[[C]]
// CHECK-LABEL: func.func private @pad_and_concat_kernel_0
// CHECK-SAME: (%[[KX:.+]]: tensor<2x3xf32>, %[[KV:.+]]: tensor<f32>)
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 68 : i64, dlcc.kernel_flops = 0 : i64}
// CHECK-NEXT: %[[PV:.+]] = tensor.extract %[[KV]][] : tensor<f32>
// CHECK-NEXT: tensor.pad %[[KX]] low[0, 1] high[0, 1]
// CHECK: tensor.yield %[[PV]] : f32
// CHECK-LABEL: func.func private @pad_and_concat_kernel_1
// CHECK-SAME: (%[[KP:.+]]: tensor<2x5xf32>)
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 120 : i64, dlcc.kernel_flops = 0 : i64}
// CHECK-NEXT: tensor.concat dim(0) %[[KP]], %[[KP]]
func.func @pad_and_concat(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<4x5xf32> {
  %pv = tensor.extract %v[] : tensor<f32>
  %p = tensor.pad %x low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %pv : f32
  } : tensor<2x3xf32> to tensor<2x5xf32>
  %c = tensor.concat dim(0) %p, %p : (tensor<2x5xf32>, tensor<2x5xf32>) -> tensor<4x5xf32>
  return %c : tensor<4x5xf32>
}

// -----

// Private functions are not entry points and stay as they are. An outs init
// that is a view of a tensor.empty (as left by reshape propagation during
// fusion) moves into the kernel with its empty; a view of real data stays
// outside.
// bytes = (12 + 12) x 4 B = 96
// CHECK-LABEL: func.func private @helper
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: linalg.transpose
// CHECK-LABEL: func.func @transpose_of_reshaped_empty
// CHECK-SAME: (%[[X:.+]]: tensor<2x6xf32>)
// CHECK-NEXT: %[[XE:.+]] = tensor.expand_shape %[[X]]
// CHECK-NEXT: %[[R:.+]] = call @transpose_of_reshaped_empty_kernel_0(%[[XE]]) : (tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-NOT: @helper_kernel
// CHECK-LABEL: func.func private @transpose_of_reshaped_empty_kernel_0
// CHECK-SAME: (%[[KX:.+]]: tensor<2x3x2xf32>)
// CHECK-SAME: attributes {dlcc.kernel, dlcc.kernel_bytes = 96 : i64, dlcc.kernel_flops = 0 : i64}
// CHECK-NEXT: %[[E:.+]] = tensor.empty() : tensor<6x2xf32>
// CHECK-NEXT: %[[EE:.+]] = tensor.expand_shape %[[E]]
// CHECK-NEXT: linalg.transpose ins(%[[KX]] : tensor<2x3x2xf32>) outs(%[[EE]] : tensor<2x3x2xf32>)
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.transpose ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) permutation = [0]
  return %r : tensor<4xf32>
}

func.func @transpose_of_reshaped_empty(%x: tensor<2x6xf32>) -> tensor<2x3x2xf32> {
  %e = tensor.empty() : tensor<6x2xf32>
  %ee = tensor.expand_shape %e [[0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xf32> into tensor<2x3x2xf32>
  %xe = tensor.expand_shape %x [[0], [1, 2]] output_shape [2, 3, 2] : tensor<2x6xf32> into tensor<2x3x2xf32>
  %r = linalg.transpose ins(%xe : tensor<2x3x2xf32>) outs(%ee : tensor<2x3x2xf32>) permutation = [0, 1, 2]
  return %r : tensor<2x3x2xf32>
}

// -----

// A softmax row: the row max and the sum of exp are per-row values only the
// normalising op reads, through the row map: the three ops and the two
// fills form one kernel (a row kernel, see dlcc-tile-kernels).
// CHECK-LABEL: func.func @softmax_row_kernel
// CHECK-SAME: (%[[X:.+]]: tensor<4x100xf32>)
// CHECK-NEXT: %[[R:.+]] = call @softmax_row_kernel_kernel_0(%[[X]]) : (tensor<4x100xf32>) -> tensor<4x100xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func private @softmax_row_kernel_kernel_0
// CHECK-SAME: (%[[A:.+]]: tensor<4x100xf32>) -> tensor<4x100xf32>
// CHECK: %[[MAX:.+]] = linalg.generic {{.*}} ins(%[[A]] : tensor<4x100xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[A]], %[[MAX]] : tensor<4x100xf32>, tensor<4xf32>)
// CHECK: math.exp
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[A]], %[[MAX]], %[[SUM]] : tensor<4x100xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: return %[[Y]] : tensor<4x100xf32>
// CHECK-NOT: func.func private @softmax_row_kernel_kernel_1
func.func @softmax_row_kernel(%x: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x100xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x, %max : tensor<4x100xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %x2 = math.exp %d : f32
    %s = arith.addf %o, %x2 : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %ye = tensor.empty() : tensor<4x100xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max, %sum : tensor<4x100xf32>, tensor<4xf32>, tensor<4xf32>) outs(%ye : tensor<4x100xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %x2 = math.exp %d : f32
    %q = arith.divf %x2, %s : f32
    linalg.yield %q : f32
  } -> tensor<4x100xf32>
  return %y : tensor<4x100xf32>
}

// -----

// A per-row value the entry point also reads after the row kernel is one
// more result of it (stored, every row's).
// CHECK-LABEL: func.func @row_value_used_outside
// CHECK-SAME: (%[[X:.+]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[K:.+]]:2 = call @row_value_used_outside_kernel_0(%[[X]]) : (tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4xf32>)
// CHECK-NEXT: return %[[K]]#0, %[[K]]#1
// CHECK-NOT: func.func private @row_value_used_outside_kernel_1
func.func @row_value_used_outside(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x4xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x, %max : tensor<4x4xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %s = arith.addf %o, %d : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %ye = tensor.empty() : tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max, %sum : tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%ye : tensor<4x4xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %q = arith.divf %d, %s : f32
    linalg.yield %q : f32
  } -> tensor<4x4xf32>
  return %y, %max : tensor<4x4xf32>, tensor<4xf32>
}

// -----

// A per-row value read through another map (broadcast along the other
// dimension) does not join: two kernels.
// CHECK-LABEL: func.func @not_a_row_map
// CHECK-NEXT: %[[MAX:.+]] = call @not_a_row_map_kernel_0(
// CHECK-NEXT: %[[Y:.+]] = call @not_a_row_map_kernel_1(%{{.+}}, %[[MAX]])
// CHECK-NEXT: return %[[Y]]
func.func @not_a_row_map(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x4xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %ye = tensor.empty() : tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : tensor<4x4xf32>, tensor<4xf32>) outs(%ye : tensor<4x4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// A row kernel's last op read by a later op through that op's row map
// stays the root of its own row kernel (its members go with it): a
// per-row normalisation n = g / mean(g) of rank 1, then y = x * n over
// rows of rank 2. Two kernels, nothing left in the entry point.
// CHECK-LABEL: func.func @nested_row_kernels
// CHECK-SAME: (%[[G:.+]]: tensor<2x3xf32>, %[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[N:.+]] = call @nested_row_kernels_kernel_0(%[[G]]) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[Y:.+]] = call @nested_row_kernels_kernel_1(%[[X]], %[[N]])
// CHECK-NEXT: return %[[Y]]
// CHECK-LABEL: func.func private @nested_row_kernels_kernel_0
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @nested_row_kernels(%g: tensor<2x3xf32>, %x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %three = arith.constant 3.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %mi = linalg.fill ins(%zero : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%g : tensor<2x3xf32>) outs(%mi : tensor<2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  %md = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%m : tensor<2xf32>) outs(%e : tensor<2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %q = arith.divf %a, %three : f32
    linalg.yield %q : f32
  } -> tensor<2xf32>
  %ne = tensor.empty() : tensor<2x3xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%g, %md : tensor<2x3xf32>, tensor<2xf32>) outs(%ne : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.divf %a, %b : f32
    linalg.yield %q : f32
  } -> tensor<2x3xf32>
  %ye = tensor.empty() : tensor<2x3x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %n : tensor<2x3x4xf32>, tensor<2x3xf32>) outs(%ye : tensor<2x3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    linalg.yield %p : f32
  } -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A per-row value read by another op before the row kernel's last op (here
// a copy into a [4, 4] broadcast the entry point returns) leaves the group:
// the kernel would run after that read.
// CHECK-LABEL: func.func @row_value_read_before
// CHECK-NEXT: %[[MAX:.+]] = call @row_value_read_before_kernel_0(
// CHECK-NEXT: %[[B:.+]] = call @row_value_read_before_kernel_1(%[[MAX]])
// CHECK-NEXT: %[[Y:.+]] = call @row_value_read_before_kernel_2(%{{.+}}, %[[MAX]])
// CHECK-NEXT: return %[[Y]], %[[B]]
func.func @row_value_read_before(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x4xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %be = tensor.empty() : tensor<4x4xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%max : tensor<4xf32>) outs(%be : tensor<4x4xf32>) {
  ^bb0(%m: f32, %o: f32):
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %ye = tensor.empty() : tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : tensor<4x4xf32>, tensor<4xf32>) outs(%ye : tensor<4x4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  } -> tensor<4x4xf32>
  return %y, %b : tensor<4x4xf32>, tensor<4x4xf32>
}
