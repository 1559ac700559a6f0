// Runs the lowered reductions on the CPU. Expected values were computed with
// numpy: sum/prod/max/min(axis), argmax/argmin (the last-index variants as
// n-1-argmax of the reversed row), cumsum (the exclusive and reverse variants
// by shifting and reversing np.cumsum).
// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @reduce_f32(%x: tensor<2x3xf32>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f32>) {
  %0 = dlcc.reduce sum %x, dims = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = dlcc.reduce prod %x, dims = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = dlcc.reduce max %x, dims = [0] : (tensor<2x3xf32>) -> tensor<3xf32>
  %3 = dlcc.reduce min %x, dims = [0] : (tensor<2x3xf32>) -> tensor<3xf32>
  %4 = dlcc.reduce sum %x, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<f32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f32>
}

func.func @reduce_nan(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = dlcc.reduce max %x, dims = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = dlcc.reduce min %x, dims = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

func.func @reduce_i64(%x: tensor<2x3xi64>)
    -> (tensor<2xi64>, tensor<2xi64>, tensor<3xi64>, tensor<2xi64>) {
  %0 = dlcc.reduce max %x, dims = [1] : (tensor<2x3xi64>) -> tensor<2xi64>
  %1 = dlcc.reduce min %x, dims = [1] : (tensor<2x3xi64>) -> tensor<2xi64>
  %2 = dlcc.reduce sum %x, dims = [0] : (tensor<2x3xi64>) -> tensor<3xi64>
  %3 = dlcc.reduce prod %x, dims = [1] : (tensor<2x3xi64>) -> tensor<2xi64>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2xi64>, tensor<3xi64>, tensor<2xi64>
}

// ui8 compares unsigned (200 and 255 are not negative); i1 max is or, min
// is and. dlcc.convert widens for printing.
func.func @reduce_ui8_i1() -> (tensor<i32>, tensor<i32>, tensor<2xi32>, tensor<2xi32>) {
  %u = dlcc.constant dense<[1, 200, 255, 3]> : tensor<4xui8>
  %0 = dlcc.reduce max %u, dims = [0] : (tensor<4xui8>) -> tensor<ui8>
  %1 = dlcc.reduce min %u, dims = [0] : (tensor<4xui8>) -> tensor<ui8>
  %b = dlcc.constant dense<[[true, false], [true, true]]> : tensor<2x2xi1>
  %2 = dlcc.reduce max %b, dims = [1] : (tensor<2x2xi1>) -> tensor<2xi1>
  %3 = dlcc.reduce min %b, dims = [1] : (tensor<2x2xi1>) -> tensor<2xi1>
  %c0 = dlcc.convert %0 : (tensor<ui8>) -> tensor<i32>
  %c1 = dlcc.convert %1 : (tensor<ui8>) -> tensor<i32>
  %c2 = dlcc.convert %2 : (tensor<2xi1>) -> tensor<2xi32>
  %c3 = dlcc.convert %3 : (tensor<2xi1>) -> tensor<2xi32>
  return %c0, %c1, %c2, %c3 : tensor<i32>, tensor<i32>, tensor<2xi32>, tensor<2xi32>
}

func.func @arg_reduce_f32(%x: tensor<3x4xf32>)
    -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<3x4xf32>) -> tensor<3xi64>
  %1 = dlcc.arg_reduce argmin %x, dim = 1 : (tensor<3x4xf32>) -> tensor<3xi64>
  %2 = dlcc.arg_reduce argmax %x, dim = 1 {select_last_index} : (tensor<3x4xf32>) -> tensor<3xi64>
  %3 = dlcc.arg_reduce argmin %x, dim = 1 {select_last_index} : (tensor<3x4xf32>) -> tensor<3xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

func.func @arg_reduce_int(%x: tensor<2x4xi64>)
    -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<i64>, tensor<i64>, tensor<i64>) {
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<2x4xi64>) -> tensor<2xi64>
  %1 = dlcc.arg_reduce argmin %x, dim = 1 : (tensor<2x4xi64>) -> tensor<2xi64>
  %2 = dlcc.arg_reduce argmin %x, dim = 1 {select_last_index} : (tensor<2x4xi64>) -> tensor<2xi64>
  %u = dlcc.constant dense<[100, 200, 7, 200]> : tensor<4xui8>
  %3 = dlcc.arg_reduce argmax %u, dim = 0 : (tensor<4xui8>) -> tensor<i64>
  %4 = dlcc.arg_reduce argmin %u, dim = 0 : (tensor<4xui8>) -> tensor<i64>
  %5 = dlcc.arg_reduce argmax %u, dim = 0 {select_last_index} : (tensor<4xui8>) -> tensor<i64>
  return %0, %1, %2, %3, %4, %5 : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<i64>, tensor<i64>, tensor<i64>
}

func.func @cumsum_f32(%x: tensor<2x4xf32>)
    -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = dlcc.cumsum %x, dim = 1 : tensor<2x4xf32>
  %1 = dlcc.cumsum %x, dim = 1 {exclusive} : tensor<2x4xf32>
  %2 = dlcc.cumsum %x, dim = 1 {reverse} : tensor<2x4xf32>
  %3 = dlcc.cumsum %x, dim = 1 {exclusive, reverse} : tensor<2x4xf32>
  %4 = dlcc.cumsum %x, dim = 0 : tensor<2x4xf32>
  return %0, %1, %2, %3, %4 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

func.func @cumsum_i64(%x: tensor<3xi64>) -> tensor<3xi64> {
  %0 = dlcc.cumsum %x, dim = 0 : tensor<3xi64>
  return %0 : tensor<3xi64>
}

func.func @main() {
  // CHECK: [2.5, -1.5]
  // CHECK: [-9, -12]
  // CHECK: [4, 0.5, 3]
  // CHECK: [1.5, -2, -6]
  // CHECK: rank = 0
  // CHECK-NEXT: [1]
  %x = arith.constant dense<[[1.5, -2.0, 3.0], [4.0, 0.5, -6.0]]> : tensor<2x3xf32>
  %r:5 = call @reduce_f32(%x) : (tensor<2x3xf32>)
      -> (tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f32>)
  %r0 = tensor.cast %r#0 : tensor<2xf32> to tensor<*xf32>
  %r1 = tensor.cast %r#1 : tensor<2xf32> to tensor<*xf32>
  %r2 = tensor.cast %r#2 : tensor<3xf32> to tensor<*xf32>
  %r3 = tensor.cast %r#3 : tensor<3xf32> to tensor<*xf32>
  %r4 = tensor.cast %r#4 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%r0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%r1) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%r2) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%r3) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%r4) : (tensor<*xf32>) -> ()

  // NaN propagates through max and min.
  // CHECK: [nan, 6]
  // CHECK: [nan, 4]
  %n = arith.constant dense<[[1.0, 0x7FC00000, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %rn:2 = call @reduce_nan(%n) : (tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %rn0 = tensor.cast %rn#0 : tensor<2xf32> to tensor<*xf32>
  %rn1 = tensor.cast %rn#1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rn0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%rn1) : (tensor<*xf32>) -> ()

  // CHECK: [7, 4]
  // CHECK: [-5, -9]
  // CHECK: [-2, -2, 6]
  // CHECK: [-70, -108]
  %i = arith.constant dense<[[-5, 7, 2], [3, -9, 4]]> : tensor<2x3xi64>
  %ri:4 = call @reduce_i64(%i) : (tensor<2x3xi64>)
      -> (tensor<2xi64>, tensor<2xi64>, tensor<3xi64>, tensor<2xi64>)
  %ri0 = tensor.cast %ri#0 : tensor<2xi64> to tensor<*xi64>
  %ri1 = tensor.cast %ri#1 : tensor<2xi64> to tensor<*xi64>
  %ri2 = tensor.cast %ri#2 : tensor<3xi64> to tensor<*xi64>
  %ri3 = tensor.cast %ri#3 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%ri0) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ri1) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ri2) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ri3) : (tensor<*xi64>) -> ()

  // CHECK: rank = 0
  // CHECK-NEXT: [255]
  // CHECK: rank = 0
  // CHECK-NEXT: [1]
  // CHECK: [1, 1]
  // CHECK: [0, 1]
  %ru:4 = call @reduce_ui8_i1() : () -> (tensor<i32>, tensor<i32>, tensor<2xi32>, tensor<2xi32>)
  %ru0 = tensor.cast %ru#0 : tensor<i32> to tensor<*xi32>
  %ru1 = tensor.cast %ru#1 : tensor<i32> to tensor<*xi32>
  %ru2 = tensor.cast %ru#2 : tensor<2xi32> to tensor<*xi32>
  %ru3 = tensor.cast %ru#3 : tensor<2xi32> to tensor<*xi32>
  call @printMemrefI32(%ru0) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ru1) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ru2) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ru3) : (tensor<*xi32>) -> ()

  // Ties, NaN (wins, like numpy) and an all -inf row.
  // CHECK: [1, 0, 0]
  // CHECK: [0, 0, 0]
  // CHECK: [2, 2, 3]
  // CHECK: [0, 2, 3]
  %a = arith.constant dense<[[1.0, 3.0, 3.0, 2.0],
                             [0x7FC00000, 1.0, 0x7FC00000, 5.0],
                             [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<3x4xf32>
  %ar:4 = call @arg_reduce_f32(%a) : (tensor<3x4xf32>)
      -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>)
  %ar0 = tensor.cast %ar#0 : tensor<3xi64> to tensor<*xi64>
  %ar1 = tensor.cast %ar#1 : tensor<3xi64> to tensor<*xi64>
  %ar2 = tensor.cast %ar#2 : tensor<3xi64> to tensor<*xi64>
  %ar3 = tensor.cast %ar#3 : tensor<3xi64> to tensor<*xi64>
  call @printMemrefI64(%ar0) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ar1) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ar2) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ar3) : (tensor<*xi64>) -> ()

  // CHECK: [0, 2]
  // CHECK: [1, 0]
  // CHECK: [1, 3]
  // CHECK: rank = 0
  // CHECK-NEXT: [1]
  // CHECK: rank = 0
  // CHECK-NEXT: [2]
  // CHECK: rank = 0
  // CHECK-NEXT: [3]
  %ai = arith.constant dense<[[4, -1, 4, 0], [-3, -3, 2, -3]]> : tensor<2x4xi64>
  %ak:6 = call @arg_reduce_int(%ai) : (tensor<2x4xi64>)
      -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<i64>, tensor<i64>, tensor<i64>)
  %ak0 = tensor.cast %ak#0 : tensor<2xi64> to tensor<*xi64>
  %ak1 = tensor.cast %ak#1 : tensor<2xi64> to tensor<*xi64>
  %ak2 = tensor.cast %ak#2 : tensor<2xi64> to tensor<*xi64>
  %ak3 = tensor.cast %ak#3 : tensor<i64> to tensor<*xi64>
  %ak4 = tensor.cast %ak#4 : tensor<i64> to tensor<*xi64>
  %ak5 = tensor.cast %ak#5 : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%ak0) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ak1) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ak2) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ak3) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ak4) : (tensor<*xi64>) -> ()
  call @printMemrefI64(%ak5) : (tensor<*xi64>) -> ()

  // CHECK: sizes = [2, 4]
  // CHECK-NEXT{LITERAL}: [[1, 3, 6, 10],
  // CHECK-NEXT{LITERAL}:  [10, 30, 60, 100]]
  // CHECK: sizes = [2, 4]
  // CHECK-NEXT{LITERAL}: [[0, 1, 3, 6],
  // CHECK-NEXT{LITERAL}:  [0, 10, 30, 60]]
  // CHECK: sizes = [2, 4]
  // CHECK-NEXT{LITERAL}: [[10, 9, 7, 4],
  // CHECK-NEXT{LITERAL}:  [100, 90, 70, 40]]
  // CHECK: sizes = [2, 4]
  // CHECK-NEXT{LITERAL}: [[9, 7, 4, 0],
  // CHECK-NEXT{LITERAL}:  [90, 70, 40, 0]]
  // CHECK: sizes = [2, 4]
  // CHECK-NEXT{LITERAL}: [[1, 2, 3, 4],
  // CHECK-NEXT{LITERAL}:  [11, 22, 33, 44]]
  %c = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]]> : tensor<2x4xf32>
  %cs:5 = call @cumsum_f32(%c) : (tensor<2x4xf32>)
      -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  %cs0 = tensor.cast %cs#0 : tensor<2x4xf32> to tensor<*xf32>
  %cs1 = tensor.cast %cs#1 : tensor<2x4xf32> to tensor<*xf32>
  %cs2 = tensor.cast %cs#2 : tensor<2x4xf32> to tensor<*xf32>
  %cs3 = tensor.cast %cs#3 : tensor<2x4xf32> to tensor<*xf32>
  %cs4 = tensor.cast %cs#4 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%cs0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%cs1) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%cs2) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%cs3) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%cs4) : (tensor<*xf32>) -> ()

  // CHECK: [5, 3, 10]
  %ci = arith.constant dense<[5, -2, 7]> : tensor<3xi64>
  %ct = call @cumsum_i64(%ci) : (tensor<3xi64>) -> tensor<3xi64>
  %ct_u = tensor.cast %ct : tensor<3xi64> to tensor<*xi64>
  call @printMemrefI64(%ct_u) : (tensor<*xi64>) -> ()
  return
}
